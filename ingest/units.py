"""Responsible units: split, given roles, expanded against the issuer's region, told apart.

Task tables name units the way their readers say them: relative to the issuing government
("区财政局" in 安居区 means 安居区财政局, "市委宣传部" in 眉山 means 眉山市委宣传部), several in one cell
("市财政局、市审计局等市级有关部门（单位）"), with a role in words ("市司法局加强指导") or in a
labelled tail ("牵头单位:区政府办公室;责任单位:各镇、街道,区直各部门").  This module turns those
strings into :class:`~policy_lineage.graph.model.Unit` records: the canonical name with the
region written out, the printed original kept, the role, and whether the "unit" is a
collective (各县（区）人民政府, 市级有关部门（单位）) that stands for many offices.

:func:`unit_kind` strips the region and the rank word (厅/局/办公室) so a provincial duty's
units can be matched with the county offices that do the same job (四川省财政厅 ~ 安居区财政局).
"""

from __future__ import annotations

import re
from functools import lru_cache

from policy_lineage.graph.model import Region, Unit
from policy_lineage.ingest.regions import find_regions
from policy_lineage.ingest.text import repair_spacing

__all__ = ["split_units", "unit_role", "parse_assignment", "has_role_labels", "name_break", "split_cells_at_name_break", "resolve_unit", "is_collective", "unit_kind", "office_key"]

_SEPARATORS = re.compile(r"[、，,；;\n]+")
_LABEL = re.compile(
    r"(?P<label>牵头单位|牵头部门|责任单位|责任部门|配合单位|配合部门|参与单位|协办单位|主办单位|指导单位"
    r"|(?:牵头|主办|配合|协办|责任|指导)(?=\s*[:：]))\s*[:：]?"
)
_LABEL_ROLE = {
    "牵头单位": "lead",
    "牵头部门": "lead",
    "主办单位": "lead",
    "牵头": "lead",
    "主办": "lead",
    "指导单位": "guide",
    "指导": "guide",
}
_GUIDE = re.compile(r"(?:负责|加强|做好|业务)?指导(?:工作)?$|[（(]指导[)）]$")
_LEAD = re.compile(r"(?:负责)?牵头(?:负责)?$|[（(]牵头[)）]$")
#: "X、Y等市级有关部门（单位）": the named units plus a collective.
_ETC = re.compile(r"^(?P<named>.+?)等(?P<collective>.*(?:部门|单位|机构)(?:[（(][^）)]*[)）])?)$")
_COLLECTIVE = re.compile(r"^(?:街道办事处|乡镇人民政府|镇人民政府|乡人民政府|乡镇|街道|乡镇（街道）)$|^各|"
    r"(?:部门|单位|机构)(?:[（(](?:单位|部门)[)）])?$|[省市区县]直(?:各|有关)?部门|各(?:部门|单位|级)|有关(?:部门|单位|指导部门)|[级直]各|相关(?:部门|单位)|成员单位")
#: A bare rank fragment that continues the previous 各… piece (各镇、街道; 各乡、镇人民政府).
_CONTINUES_COLLECTIVE = re.compile(
    r"^(?:乡|镇|街道|街道办事处|村|社区|乡镇|镇人民政府|乡人民政府)$|^镇人民政府|^街道|^[县区市乡镇][（(]"
)
#: How a cell says "each in its own remit" after a unit's name; not part of the name.
_DUTY_WORDS = re.compile(
    r"(?:按各自职责分工推进|按职责分工负责|按职责分工落实|按职责分工|分别负责|负责落实|共同负责|负责|协助配合|配合|参与)$"
)
_LEVEL_CHARS = "省市区县州盟旗"
_OWN_OFFICE = re.compile(r"(?:厅|局|委|办|办公室|中心|馆|院)$")
_NOT_OWN = re.compile(r"^(?:国家|国务院|中央|中共|全国)|[省市区县州]")
_RANK_SUFFIX = re.compile(r"(?:办公厅|办公室|委员会|管理局|厅|局|委|办|中心|处|科)$")


def split_units(text: str) -> list[str]:
    """Split a units cell into unit names (roles still attached), keeping collectives whole.

    >>> split_units("各镇、街道,区直各部门")
    ['各镇、街道', '区直各部门']
    >>> split_units("市财政局、市审计局等市级有关部门（单位），各乡、镇人民政府")
    ['市财政局', '市审计局', '市级有关部门（单位）', '各乡、镇人民政府']
    >>> split_units("各市(州)、县(市、区)人民政府，省直有关部门(单位)按各自职责分工推进")
    ['各市(州)、县(市、区)人民政府', '省直有关部门(单位)']
    >>> split_units("区自然资源和规划 局")
    ['区自然资源和规划局']
    >>> split_units("国家发展改革委、财政部等按职责分工负责")
    ['国家发展改革委', '财政部']
    """
    text = repair_spacing(_join_broken_lines(text)).strip(" 。.")
    pieces: list[str] = []
    for raw in _split_outside_brackets(text):
        piece = raw.strip(" 。.")
        if not piece:
            continue
        piece = _DUTY_WORDS.sub("", piece) or piece
        piece = re.sub(r"(?<=..)等$", "", piece)  # 财政部等 (按职责分工负责): the list ends
        if pieces and _bare_levels(pieces[-1]) and _CONTINUES_COLLECTIVE.match(piece):
            pieces[-1] += "、" + piece
            continue
        m = _ETC.match(piece)
        if m:
            pieces.extend(p for p in m["named"].split("、") if p)
            pieces.append(m["collective"])
            continue
        pieces.append(piece)
    return _distribute_suffix(pieces)


#: How a unit's name ends, and how the next one starts, where a line break falls between two.
_NAME_END = re.compile(
    r"(?:局|委|办|厅|室|院|中心|政府|部门|单位|办事处|管委会|委员会|街道|馆|所|站|队|公司|部)(?:[（(][^）)]{1,6}[）)])?$"
)
_NAME_START = re.compile(r"^(?:[省市区县]|各|中共|共青团|国家)")


def _join_broken_lines(text: str) -> str:
    """A units cell's lines joined: a break inside a name is closed up (各乡镇人民 / 政府), a break
    between two whole names (县司法局 / 县政府办公室, two cells of a flattened table) separates them.

    >>> _join_broken_lines("各乡镇人民\\n政府"), _join_broken_lines("县司法局\\n县政府办公室"), _join_broken_lines("区委\\n宣传部")
    ('各乡镇人民政府', '县司法局、县政府办公室', '区委宣传部')
    """
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    out = lines[0] if lines else ""
    for line in lines[1:]:
        out += ("、" if name_break(out, line) else "") + line
    return out


def name_break(before: str, line: str) -> bool:
    """Whether a line break after ``before`` falls between two whole unit names.

    >>> name_break("县司法局", "县政府办公室"), name_break("县司法局、", "县政府办公室"), name_break("县政府", "办公室")
    (True, False, False)
    """
    regions = find_regions(line[:8])
    starts = bool(_NAME_START.match(line)) or bool(regions and line.startswith(regions[0]))
    return starts and bool(_NAME_END.search(before))


def split_cells_at_name_break(lines: list[str]) -> tuple[list[str], list[str]]:
    """Two unit cells printed one after the other (牵头单位 then 配合单位): split at the first
    break between whole names that is not inside a list (a list goes on after 、).

    >>> split_cells_at_name_break(["县司法局、县", "政府办公室", "县级各部门"])
    (['县司法局、县', '政府办公室'], ['县级各部门'])
    """
    for k in range(1, len(lines)):
        if name_break("".join(lines[:k]).strip(), lines[k].strip()):
            return lines[:k], lines[k:]
    return lines, []


def _bare_levels(piece: str) -> bool:
    """各镇, 各市(州): a 各 followed by level words only, waiting for the rest of its list."""
    return piece.startswith("各") and not re.search(r"政府|部门|单位|局|委|办|厅|中心", piece)


def _split_outside_brackets(text: str) -> list[str]:
    """Split at separators that are not inside brackets: 各市(州)、县(市、区)人民政府 stays whole."""
    parts, depth, current = [], 0, ""
    for ch in text:
        depth += ch in "（(" 
        depth -= ch in "）)" and depth > 0
        if depth == 0 and _SEPARATORS.fullmatch(ch):
            parts.append(current)
            current = ""
        else:
            current += ch
    return parts + [current]


def _distribute_suffix(pieces: list[str]) -> list[str]:
    """仁寿县、东坡区、青神县人民政府 → each county's 人民政府."""
    if len(pieces) < 2:
        return pieces
    last = pieces[-1]
    regions = find_regions(last)
    if not regions or not last.startswith(regions[0]) or len(regions) != 1:
        return pieces
    suffix = last[len(regions[0]):]
    if not suffix:
        return pieces
    return [p + suffix if find_regions(p) == [p] else p for p in pieces[:-1]] + [last]


def unit_role(piece: str) -> tuple[str, str]:
    """A unit's name and role from its wording (lead, guide, else responsible).

    >>> unit_role("市政务服务管理局加强指导")
    ('市政务服务管理局', 'guide')
    >>> unit_role("市政府办公室牵头")
    ('市政府办公室', 'lead')
    >>> unit_role("市司法局")
    ('市司法局', 'responsible')
    """
    for pattern, role in ((_GUIDE, "guide"), (_LEAD, "lead")):
        m = pattern.search(piece)
        if m and m.start() > 0:
            return piece[: m.start()].strip(), role
    return piece, "responsible"


def has_role_labels(text: str) -> bool:
    """Whether a units cell labels its roles (牵头单位：…；配合单位：…, 牵头：…).

    >>> has_role_labels("牵头：区政府办公室；配合：区级各部门"), has_role_labels("区政府办公室（牵头）")
    (True, False)
    """
    return bool(re.search(_LABEL.pattern + r"(?<=[:：])", re.sub(r"\s+", "", text)))


def parse_assignment(tail: str) -> dict[str, list[str]]:
    """Units by role from a labelled tail (牵头单位:…;责任单位:…).

    When a tail labels both parts 责任单位 (a common slip), the first part is the lead, as in
    the usual 牵头单位 / 责任单位 order.

    >>> parse_assignment("牵头单位:区政府办公室、区档案馆;责任单位:各镇、街道,区直各部门")
    {'lead': ['区政府办公室', '区档案馆'], 'responsible': ['各镇、街道', '区直各部门']}
    >>> parse_assignment("责任单位:区政府办公室、区司法局;责任单位:各镇、街道")["lead"]
    ['区政府办公室', '区司法局']

    Without labels the roles are in words:

    >>> parse_assignment("市政府办公室牵头，市级各部门按职责分工负责")
    {'lead': ['市政府办公室'], 'responsible': ['市级各部门']}
    """
    tail = repair_spacing(re.sub(r"\s+", "", tail))
    parts = list(_LABEL.finditer(tail))
    roles: dict[str, list[str]] = {}
    if not parts:  # 市政府办公室牵头，市级各部门按职责分工负责: roles in words
        for piece in split_units(tail):
            name, role = unit_role(piece)
            roles.setdefault(role, []).append(name)
        return roles
    labels = [m["label"] for m in parts]
    for i, m in enumerate(parts):
        end = parts[i + 1].start() if i + 1 < len(parts) else len(tail)
        body = tail[m.end() : end].strip("；;，, ")
        role = _LABEL_ROLE.get(m["label"], "responsible")
        if role == "responsible" and i == 0 and len(parts) > 1 and labels.count(m["label"]) > 1:
            role = "lead"
        roles.setdefault(role, []).extend(split_units(body))
    return roles


def is_collective(name: str) -> bool:
    """Whether a unit name stands for many offices.

    >>> is_collective("各县（区）人民政府"), is_collective("市级有关部门（单位）"), is_collective("市财政局")
    (True, True, False)

    A name of a kind of office rather than an office (市政府工作部门, 被审计单位) stands for many:

    >>> is_collective("市政府工作部门（单位）"), is_collective("街道办事处"), is_collective("古东关街道办事处")
    (True, True, False)
    """
    return bool(_COLLECTIVE.search(name))


def resolve_unit(name: str, region: Region | None, *, role: str = "responsible") -> Unit:
    """A unit with its region-relative name written out against the issuer's region.

    A leading rank character (省, 市, 区, 县) means the nearest region on the issuer's path whose
    name ends with it: in 安居区, 区财政局 → 安居区财政局; in 万源市 (a county-level city),
    市财政局 → 万源市财政局.  Collectives keep their printed name.

    >>> r = Region("安居区", "county", ("四川省", "遂宁市", "安居区"))
    >>> u = resolve_unit("区财政局", r)
    >>> u.name, u.original, u.region
    ('安居区财政局', '区财政局', '安居区')
    >>> resolve_unit("市委宣传部", r).name
    '遂宁市委宣传部'
    >>> resolve_unit("各镇、街道", r).collective
    True
    """
    name = name.strip()
    collective = is_collective(name)
    canonical, unit_region = name, region.name if region else None
    if region is not None and not collective:
        canonical, unit_region = _expand(name, region)
    return Unit(name=canonical, original=name, role=role, collective=collective, region=unit_region)


def _expand(name: str, region: Region) -> tuple[str, str | None]:
    if region.level == "national":  # 国务院's units (教育部, 国家发展改革委) are named in full
        return name, region.name
    named = find_regions(name[:8])
    if named and name.startswith(named[0]):
        return name, named[-1]
    first = name[:1]
    if first not in _LEVEL_CHARS and _OWN_OFFICE.search(name) and not _NOT_OWN.search(name):
        return region.name + name, region.name  # 财政厅 in a provincial document is 四川省财政厅
    if first in _LEVEL_CHARS and len(name) > 2 and not name.startswith(("市场", "区域", "县域", "省级", "市级", "区级", "县级")):
        for ancestor in reversed(region.path):
            if ancestor.endswith(first):
                return ancestor + name[1:], ancestor
    return name, region.name


def unit_kind(name: str) -> str:
    """The job a unit does, without its region or rank, to match offices across levels.

    >>> unit_kind("四川省财政厅") == unit_kind("安居区财政局") == unit_kind("市财政局")
    True
    >>> unit_kind("四川省人民政府办公厅") == unit_kind("遂宁市安居区人民政府办公室")
    True
    """
    s = office_key(name)
    if s[:1] in _LEVEL_CHARS and len(s) > 2:
        s = s[1:]
    return _RANK_SUFFIX.sub("", s) or s


@lru_cache(maxsize=1 << 17)  # asked once per unit mention when the graph is built
def office_key(name: str) -> str:
    """A unit's name without the regions in it, 人民政府 shortened to 政府.

    Two printings of one office share it — 遂宁市安居区人民政府办公室 as a document's issuer,
    安居区政府办公室 in its task table — while offices that differ in any other character do not
    (区委 and 区委办, 财政局 and 财政厅).  With the unit's region it names one office
    (:func:`policy_lineage.graph.nxgraph.office_names`).

    >>> office_key("遂宁市安居区人民政府办公室") == office_key("安居区政府办公室")
    True
    >>> office_key("安居区委") == office_key("安居区委办")
    False
    """
    s = name
    for region in find_regions(s):
        s = s.replace(region, "")
    return s.replace("人民政府", "政府")
