"""Document metadata read from the text: title, 文号, issuer, issue date, region, level, cycle year.

Where each fact is printed depends on how the document was published:

* a notice (通知) opens with the issuer, ``关于印发《…》的通知``, the 文号 and the addressees, and
  ends its cover letter with the issuer and the date; the plan's own title follows;
* a bare annex starts with ``附件1`` and the plan's title, naming the region inside it;
* a table exported on its own carries the issuer and date at the very end (``…人民政府办公室
  2023年6月16日印发``);
* a page saved from a government portal has a 信息公开 block (索引号, 发布机构, 文号, 成文日期).

The portal block wins where present; then the notice header; then the tail.  The cycle year is
the year in the plan's title (a 2021 plan may be issued in 2021 or late 2020), else the issue
date's year; ``metadata_origin`` records which source each field came from, so a reader can tell
facts from inferences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from policy_lineage.ingest.docno import find_doc_nos
from policy_lineage.graph.model import Region
from policy_lineage.ingest.raw import Line
from policy_lineage.ingest.regions import find_regions, region_of_issuer, resolve_region
from policy_lineage.ingest.text import PORTAL_FURNITURE, repair_spacing

__all__ = ["Metadata", "read_metadata", "portal_block", "find_issue_date", "is_plan_title", "tail_start", "arabic_date"]

_PORTAL_KEYS = {
    "索引号": "index_no",
    "发布机构": "issuer",
    "发文机关": "issuer",
    "文号": "doc_no",
    "发文字号": "doc_no",
    "成文日期": "date",
    "发布日期": "published",
    "标题": "title",
    "名称": "title",
    "主题分类": "topic",
}
_PORTAL = re.compile(r"(?P<key>" + "|".join(_PORTAL_KEYS) + r")\s*[:：]\s*(?P<value>[^\t:：]*?)(?=\s{2,}|\t|$|\s+(?:" + "|".join(_PORTAL_KEYS) + r")\s*[:：])")
_DATE = re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
_ISO_DATE = re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})")
_NOTICE = re.compile(r"关于(?P<verb>印发|转发|下发|公布)\s*[《〈]?(?P<title>.+?)[》〉]?\s*的\s*通\s*知")
_ISSUER = re.compile(
    r"(?P<issuer>国务院办公厅|国务院(?!办)|"
    r"[\u4e00-\u9fff]{2,20}?(?:人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室|委员会|管理局|管委会))"
)
_PLAN_TITLE = re.compile(
    r"^(?:#{1,6}\s*)?(?P<title>\S.{3,60}?(?:安排|要点|方案|分工|分工表|分解表|任务表|清单|计划|意见|通知|办法|任务|台账|细则))\s*$"
)
_YEAR_IN_TITLE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年")


@dataclass
class Metadata:
    """What the text says about the document (``origin`` names the source of each field)."""

    title: str | None = None
    doc_no: str | None = None
    issuer: str | None = None
    date: str | None = None
    year: int | None = None
    region: str | None = None
    region_path: list[str] = field(default_factory=list)
    level: str | None = None
    forwards: str | None = None
    cites: list[str] = field(default_factory=list)
    origin: dict[str, str] = field(default_factory=dict)

    def set(self, name: str, value, origin: str) -> None:
        """Set a field once: the first source to state a fact wins."""
        if value and not getattr(self, name):
            setattr(self, name, value)
            self.origin[name] = origin


def portal_block(lines: list[Line]) -> dict[str, str]:
    """The 信息公开 metadata block of a page saved from a government portal.

    >>> from policy_lineage.ingest.raw import to_lines
    >>> portal_block(to_lines("索引号：11510000MB1234/2021-00012\\t发布机构：四川省人民政府办公厅\\n文号：川办发〔2021〕16号  成文日期：2021-03-30"))
    {'index_no': '11510000MB1234/2021-00012', 'issuer': '四川省人民政府办公厅', 'doc_no': '川办发〔2021〕16号', 'date': '2021-03-30'}
    """
    found: dict[str, str] = {}
    for line in lines[:80]:
        for m in _PORTAL.finditer(line.text):
            key = _PORTAL_KEYS[m["key"]]
            value = m["value"].strip()
            if value and key not in found:
                found[key] = value
    return found


def _iso(m: re.Match) -> str | None:
    y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
    if 1 <= mo <= 12 and 1 <= d <= 31:
        return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


_CN_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0", "Ｏ": "0", "O": "0"}
_CN_DATE = re.compile(
    r"(?P<y>[〇零○ＯO一二三四五六七八九]{4})\s*年\s*(?P<m>[一二三四五六七八九十]{1,3})\s*月\s*(?P<d>[一二三四五六七八九十]{1,3})\s*日"
)


def arabic_date(text: str) -> str:
    """Dates signed in Chinese numerals (二〇二二年四月六日) written with Arabic digits.

    >>> arabic_date("二〇二二年十二月三十一日"), arabic_date("2021年3月30日")
    ('2022年12月31日', '2021年3月30日')
    """

    def small(n: str) -> str:  # 十 → 10, 十二 → 12, 二十 → 20, 三十一 → 31
        if "十" not in n:
            return _CN_DIGIT[n]
        tens, _, units = n.partition("十")
        return str(int(_CN_DIGIT[tens] if tens else "1") * 10 + (int(_CN_DIGIT[units]) if units else 0))

    def repl(m: re.Match) -> str:
        year = "".join(_CN_DIGIT[c] for c in m["y"])
        return f"{year}年{small(m['m'])}月{small(m['d'])}日"

    return _CN_DATE.sub(repl, text)


def find_issue_date(lines: list[Line]) -> str | None:
    """The issue date: a date standing alone on its line, or beside the issuer / 印发.

    >>> from policy_lineage.ingest.raw import to_lines
    >>> find_issue_date(to_lines("四川省人民政府办公厅\\n\\n2021 年 3 月 30 日"))
    '2021-03-30'
    >>> find_issue_date(to_lines("万源市人民政府办公室                   2023年6月16日印发"))
    '2023-06-16'
    >>> find_issue_date(to_lines("2021年12月31日前在区政府门户网站集中向社会公布")) is None
    True
    >>> find_issue_date(to_lines("自贡市人民政府办公室\\n二〇二二年四月六日"))
    '2022-04-06'
    """
    for line in lines:
        s = arabic_date(line.stripped.lstrip("#").strip())
        m = _DATE.search(s)
        if not m:
            continue
        rest = (s[: m.start()] + s[m.end():]).strip()
        if not rest or rest in {"印发", "印 发"} or re.fullmatch(r"[\u4e00-\u9fff]{2,30}(?:\s+|)(?:印\s*发)?", rest) and _ISSUER.search(rest):
            return _iso(m)
    return None


_TAIL_MARK = re.compile(r"^(?:抄\s*送|主\s*送|[（(]\s*此\s*件.*[）)]$|信息公开选项|公开方式\s*[:：])")


def tail_start(lines: list[Line], start: int) -> int:
    """Index of the first line of the document's tail at or after ``start`` (else ``len(lines)``).

    The tail is what follows the plan: a signature (the issuer alone on its line with the date on
    the next non-blank line), (此件公开发布), 抄送, or an 印发 line with its date.  A date alone is
    not enough: a PDF line break can leave one on its own line inside a duty.

    >>> from policy_lineage.ingest.raw import to_lines
    >>> lines = to_lines("政策文件同步发布。\\n\\n利州区人民政府办公室\\n2023年3月8日\\n抄送：区委办。")
    >>> tail_start(lines, 0), tail_start(to_lines("于\\n2023年6月30日\\n前完成。"), 0)
    (2, 3)

    With no blank line after the last duty: a signature on one line, or the date alone after a
    finished sentence as the last line (or before 抄送), ends the plan.

    >>> tail_start(to_lines("公开政府债务信息。\\n三台县人民政府办公室  2022年3月15日"), 0)
    1
    >>> tail_start(to_lines("公开政府债务信息。〔牵头单位：县财政局〕\\n2022年3月15日"), 0)
    1
    """
    previous = next((line.stripped for line in reversed(lines[:start]) if line.stripped), "")
    for i in range(start, len(lines)):
        s = lines[i].stripped
        if not s:
            continue
        if _TAIL_MARK.match(s) or PORTAL_FURNITURE.search(s) or (_DATE.search(s) and re.search(r"印\s*发\s*$", s)):
            return i
        following = next((line.stripped for line in lines[i + 1 :] if line.stripped), "")
        if _ISSUERS.fullmatch(s) and find_issue_date([Line(0, following)]) is not None:
            return i
        if _signed(s) or (_dated(s) and _FINISHED.search(previous) and (not following or _TAIL_MARK.match(following))):
            return i
        previous = s
    return len(lines)


#: How a duty's last line ends (a sentence, a tail's bracket): a date alone after it is no cell.
_FINISHED = re.compile(r"[。；;！？〕）)\]］】]$")


#: Issuers signing side by side on one line (中共某县委办公室  某县人民政府办公室).
_ONE_ISSUER = _ISSUER.pattern.replace("?P<issuer>", "?:")
_ISSUERS = re.compile(rf"{_ONE_ISSUER}(?:\s+{_ONE_ISSUER})*")


def _signed(line: str) -> bool:
    """Whether a line is a signature: issuer(s) and the date on one line (某县人民政府办公室  2022年3月15日).

    >>> _signed("三台县人民政府办公室  2022年3月15日"), _signed("县政府办公室于2022年3月15日前完成。")
    (True, False)
    """
    s = arabic_date(line)
    m = _DATE.search(s)
    if not m:
        return False
    rest = (s[: m.start()] + s[m.end():]).strip()
    return bool(rest) and bool(_ISSUERS.fullmatch(rest))


def _dated(line: str) -> bool:
    """Whether a line holds a full date and nothing else (the signature's date after an item)."""
    m = _DATE.fullmatch(arabic_date(line).strip())
    return m is not None


#: Labels of a container's 信息公开 block (as the readers name them) → metadata fields.
_CONTAINER_KEYS = {"文号": "doc_no", "发布机构": "issuer", "成文日期": "date", "标题": "title"}


def read_metadata(lines: list[Line], *, head_end: int, container: dict | None = None) -> Metadata:
    """Metadata from the whole text; ``head_end`` is the index of the first body line.

    The header (cover letter and title) is ``lines[:head_end]``; the tail is the last twenty
    lines, where exported tables print issuer and date.  ``container`` is what the file around
    the text stated (an HTML page's 信息公开 block, a Word title property); like a portal block
    printed in the text it is read first, except for the title: portals title a page with the
    notice (关于印发《…》的通知), so the plan's own title printed in the text is preferred.
    """
    meta = Metadata()
    head = lines[:head_end]
    tail = lines[-20:]
    blocks = [
        ({_CONTAINER_KEYS[k]: v for k, v in (container or {}).items() if k in _CONTAINER_KEYS}, "container"),
        (portal_block(lines), "text:portal"),
    ]
    for block, origin in blocks:
        _read_block(meta, block, origin)

    head_text = repair_spacing("\n".join(l.text for l in head))
    notice = _own_notice(head_text)
    if notice:
        meta.set("title", notice["title"].strip("《》〈〉 "), "text:notice")
        issuer = _ISSUER.search(head_text[: notice.start()])
        meta.set("issuer", issuer["issuer"] if issuer else None, "text:notice")
        if notice["verb"] == "转发":
            cited = find_doc_nos(notice["title"])
            meta.forwards = cited[0] if cited else notice["title"]
    in_title = set(find_doc_nos(notice["title"])) if notice else set()
    meta.set("doc_no", _own_doc_no(head, exclude=in_title), "text:header")
    meta.set("title", _plan_title(head), "text:title")
    meta.set("doc_no", _own_doc_no(tail, exclude=in_title), "text:tail")
    meta.set("date", find_issue_date(head), "text:header")
    meta.set("date", find_issue_date(tail), "text:tail")
    for line in list(head) + list(reversed(tail)):
        m = _ISSUER.search(line.stripped)
        rest = line.stripped[m.end():].strip() if m else ""
        stands_alone = not rest or bool(_DATE.match(rest)) or rest.startswith("印")
        if m and m.start() == 0 and stands_alone and region_of_issuer(m["issuer"]) is not None:
            meta.set("issuer", m["issuer"], "text:signature")
            break
    for block, origin in blocks:  # a block's title, or an issuer that names no region, last
        _read_block(meta, block, origin, fallback=True)
    if meta.forwards and not find_doc_nos(meta.forwards):
        meta.forwards = _number_of(meta.forwards, head_text) or meta.forwards

    region = region_of_issuer(meta.issuer) if meta.issuer else None
    if region is None and meta.title:
        region = _title_region(find_regions(meta.title))
        if region is not None:
            meta.origin["region"] = "text:title"
    elif region is not None:
        meta.origin["region"] = "text:issuer"
    if region is not None:
        meta.region, meta.region_path, meta.level = region.name, list(region.path), region.level
        if meta.issuer and region_of_issuer(meta.issuer) is None:  # 市政府办公室 → 射洪市政府办公室
            from policy_lineage.ingest.units import resolve_unit

            meta.issuer = resolve_unit(meta.issuer, region).name

    year_source = meta.title or ""
    m = _YEAR_IN_TITLE.search(year_source)
    if m:
        meta.set("year", int(m["y"]), "text:title")
    elif meta.date:
        meta.set("year", int(meta.date[:4]), "text:date")
    return meta


def _number_of(title: str, text: str) -> str | None:
    """The 文号 printed right after a cited title: 现将《…方案》（广府办函〔2023〕12号）转发给你们.

    >>> _number_of("某方案", "现将《某方案》（广府办函〔2023〕12号）转发给你们")
    '广府办函〔2023〕12号'
    """
    m = re.search("《" + re.escape(title) + r"》\s*[（(]([^）)]{4,30})[）)]", text)
    found = find_doc_nos(m.group(1)) if m else []
    return found[0] if found else None


def _own_notice(head_text: str) -> re.Match | None:
    """The document's own 关于印发《…》的通知, not one its preamble cites inside 《》.

    >>> _own_notice("根据《四川省人民政府办公厅关于印发2021年全省政务公开重点工作安排的通知》要求") is None
    True
    >>> _own_notice("眉山市人民政府办公室关于印发《2023年眉山市政务公开重点任务分解表》的通知")["title"]
    '2023年眉山市政务公开重点任务分解表'
    """
    for m in _NOTICE.finditer(head_text):
        before = head_text[: m.start()]
        if before.count("《") <= before.count("》") and not re.search(r"(?:根据|按照|依据|贯彻|落实)[^。]{0,30}$", before):
            return m
    return None


def _read_block(meta: Metadata, block: dict[str, str], origin: str, *, fallback: bool = False) -> None:
    """Fields of a 信息公开 block (a portal's 文号, 发布机构, 成文日期, 标题).

    First pass: 文号, date and an issuer that names its region are facts that beat the text's
    own guesses.  Fallback pass: the title (a notice title gives the plan's name inside 《》 and
    tells a forwarding notice) and an issuer without a region (市政府办公室).
    """
    if not fallback:
        found = find_doc_nos(block.get("doc_no", ""))
        meta.set("doc_no", found[0] if found else None, origin)
        raw_date = arabic_date(block.get("date", ""))
        m = _ISO_DATE.search(raw_date) or _DATE.search(raw_date)
        meta.set("date", _iso(m) if m else None, origin)
        issuer = block.get("issuer", "").strip()
        if issuer and region_of_issuer(issuer) is not None:
            meta.set("issuer", issuer, origin)
        return
    meta.set("issuer", block.get("issuer", "").strip() or None, origin)
    title = repair_spacing(block.get("title", ""))
    notice = _NOTICE.search(title)
    if notice:
        if meta.title is None and notice["verb"] == "转发" and meta.forwards is None:
            cited = find_doc_nos(notice["title"])
            meta.forwards = cited[0] if cited else notice["title"].strip("《》〈〉 ")
        title = notice["title"].strip("《》〈〉 ")
    meta.set("title", title or None, origin)


#: A line that is nothing but a 文号 (as printed under a notice's title or beside its signature).
_DOC_NO_LINE = re.compile(r"^(?:文号[:：])?[（(\[［【]?\s*(?P<no>[^，。；：:,;]{3,30}?号)\s*[）)\]］】]?$")


def _own_doc_no(lines: list[Line], *, exclude: set[str]) -> str | None:
    """The document's own 文号: one standing alone on its line.

    A 文号 inside a sentence (根据《…》（川办发〔2021〕16号）要求) is a citation, not the
    document's number, however near the title it is printed.

    >>> from policy_lineage.ingest.raw import to_lines
    >>> _own_doc_no(to_lines("关于印发…的通知\\n川办发〔2021〕16 号"), exclude=set())
    '川办发〔2021〕16号'
    >>> _own_doc_no(to_lines("根据《…的通知》（川办发〔2021〕16号）要求，制定本方案。"), exclude=set()) is None
    True
    """
    for line in lines:
        s = line.stripped.lstrip("#").strip()
        m = _DOC_NO_LINE.match(re.sub(r"\s+", "", s))
        if not m:
            continue
        found = find_doc_nos(m["no"])
        if len(found) == 1 and found[0] not in exclude and len(found[0]) >= len(m["no"]) - 1:
            return found[0]
    return None


def _title_region(names: list[str]) -> Region | None:
    """The deepest region a title names as a chain (巴中市恩阳区…), ignoring later mentions."""
    for k in range(len(names), 0, -1):
        region = resolve_region("".join(names[:k]))
        if region is not None and set(names[:k]) <= set(region.path):
            return region
    return None


def is_plan_title(line: str) -> bool:
    """Whether a line reads as a plan's title naming its region or year (a heading, not a cell).

    >>> is_plan_title("附件1眉山市深化政务公开促进基层政府治理能力提升重点任务分工")
    False
    >>> is_plan_title("眉山市深化政务公开促进基层政府治理能力提升重点任务分工"), is_plan_title("制定工作方案")
    (True, False)
    """
    s = repair_spacing(line.strip().lstrip("#").strip())
    m = _PLAN_TITLE.match(s)
    if not m or "，" in s or "。" in s or s.startswith("附件"):
        return False
    return bool(_YEAR_IN_TITLE.search(s) or find_regions(s))


def _plan_title(head: list[Line]) -> str | None:
    """The plan's own title: a heading line ending like a plan's name (…方案, …分工表).

    A title the PDF broke over two lines (南充市顺庆区2023年政务公开 / 重点工作任务分工方案) is joined
    when its first line does not end like a title on its own.

    >>> from policy_lineage.ingest.raw import to_lines
    >>> _plan_title(to_lines("南充市顺庆区2023年政务公开\\n\\n重点工作任务分工方案"))
    '南充市顺庆区2023年政务公开重点工作任务分工方案'
    """
    texts = [_title_text(line) for line in head if line.stripped]
    for k, s in enumerate(texts):
        candidates = [s] + ([s + texts[k + 1]] if k + 1 < len(texts) and len(s) >= 4 else [])
        for text in candidates:
            if _NOTICE.search(text) or text.startswith("附件"):
                continue
            m = _PLAN_TITLE.match(text)
            if m and not re.search(r"[，,。：:；;]", text):
                return m["title"]
    return None


def _title_text(line: Line) -> str:
    s = repair_spacing(line.stripped.lstrip("#").strip())
    return re.sub(r"^附件\d*(?=[^\d:：])", "", s)  # 附件1 眉山市…分工: a bare annex's heading
