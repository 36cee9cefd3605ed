"""The words a synthetic corpus is written with: duty topics, unit names, local phrasing.

A synthetic 政务公开 corpus is only a fair test of linking if its items read like real ones, so
the duties come from the seed documents themselves: every seed item is cut into a heading and
its obligation sentences, region names and 文号 are scrubbed out, and the words that tie a text
to one level (全省, 省政府, 省直) become placeholders that :func:`render_scope` fills for the level
a document is written at.  Near-duplicate sentences (安居区 repeats 川办发〔2021〕16号 almost word
for word) are kept once, so two topics never share a sentence by construction.  The seeds hold
about a hundred distinct topics; :func:`composed_topics` adds more from a table of 政务公开
domains so a national plan and a pool of purely local duties never run short.

Notes
-----
Placeholders are ``{全}`` (全国/全省/全市/全区), ``{政府}`` (国务院/省政府/市政府/区政府),
``{政府办}`` (国务院办公厅/省政府办公厅/市政府办公室), ``{我}`` (我国/我省/我市), ``{地}`` (the
region's own name),
``{级}`` (国家/省级/市级/区级) and ``{直}`` (国务院/省直/市直/区直).  A county's placeholders
use the last character of its name: 全县 in a 县, 全区 in a 区, 全市 in a 县级市, 全旗 in a 旗.

References
----------
seeds/sichuan-2021-chuanbanfa-16-province.txt, seeds/suining-anju-2021-task-division.md,
seeds/meishan-2023-task-breakdown.txt, seeds/wanyuan-2023-key-points-division.txt,
seeds/meishan-grassroots-annex1-task-division.txt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = [
    "Topic",
    "UNIT_KINDS",
    "SYNONYMS",
    "swap_synonym",
    "LOCAL_CLAUSES",
    "fill_slots",
    "SPECIALTIES",
    "SECTION_TITLES",
    "level_char",
    "render_scope",
    "unit_name",
    "collective_units",
    "scrub",
    "seed_topics",
    "composed_topics",
    "bigrams",
    "jaccard",
]

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@dataclass(frozen=True)
class Topic:
    """One duty as a heading and its obligation sentences (placeholders unrendered)."""

    title: str
    sentences: tuple[str, ...]
    origin: str = "seed"


#: Unit kinds: key → (national, province, city, county) name without the region prefix.
#: Province/city/county names take the level character in front (省财政厅, 市财政局, 区财政局).
UNIT_KINDS: dict[str, tuple[str, str, str, str]] = {
    "office": ("国务院办公厅", "政府办公厅", "政府办公室", "政府办公室"),
    "finance": ("财政部", "财政厅", "财政局", "财政局"),
    "development": ("国家发展改革委", "发展改革委", "发展改革委", "发展改革局"),
    "education": ("教育部", "教育厅", "教育局", "教育局"),
    "health": ("国家卫生健康委", "卫生健康委", "卫生健康委", "卫生健康局"),
    "justice": ("司法部", "司法厅", "司法局", "司法局"),
    "environment": ("生态环境部", "生态环境厅", "生态环境局", "生态环境局"),
    "housing": ("住房城乡建设部", "住房城乡建设厅", "住房城乡建设局", "住房城乡建设局"),
    "land": ("自然资源部", "自然资源厅", "自然资源和规划局", "自然资源和规划局"),
    "labour": ("人力资源社会保障部", "人力资源社会保障厅", "人力资源社会保障局", "人力资源社会保障局"),
    "civil": ("民政部", "民政厅", "民政局", "民政局"),
    "emergency": ("应急管理部", "应急管理厅", "应急管理局", "应急管理局"),
    "market": ("市场监管总局", "市场监管局", "市场监管局", "市场监管局"),
    "agriculture": ("农业农村部", "农业农村厅", "农业农村局", "农业农村局"),
    "transport": ("交通运输部", "交通运输厅", "交通运输局", "交通运输局"),
    "commerce": ("商务部", "商务厅", "商务局", "商务局"),
    "audit": ("审计署", "审计厅", "审计局", "审计局"),
    "service": ("国务院办公厅", "政务服务管理局", "政务服务管理局", "行政审批局"),
    "data": ("国家数据局", "大数据中心", "大数据中心", "电子政务管理中心"),
    "statistics": ("国家统计局", "统计局", "统计局", "统计局"),
    "insurance": ("国家医保局", "医保局", "医保局", "医保局"),
    "archives": ("国家档案局", "档案馆", "档案馆", "档案馆"),
    "culture": ("文化和旅游部", "文化和旅游厅", "文化广电旅游局", "文化广电旅游局"),
    "editorial": ("中央编办", "委编办", "委编办", "委编办"),
}

#: Words a local drafter swaps for one another without changing the duty (either direction).
#: Terms of art are left alone: 政务公开 never becomes 政务公布, 规范化 never 优化化.
SYNONYMS: tuple[tuple[str, str], ...] = (
    ("推进", "推动"),
    ("加强", "强化"),
    ("做好", "抓好"),
    ("完善", "健全"),
    ("进一步", "持续"),
    ("及时", "第一时间"),
    ("深化", "深入推进"),
    ("规范", "优化"),
    ("积极", "主动"),
    ("建立", "建立健全"),
    ("向社会公开", "向社会公布"),
    ("政府网站", "政府门户网站"),
    ("群众", "人民群众"),
    ("相关", "有关"),
)
#: Characters that, following a word, make it part of a term (规范化, 积极性).
_TERM_AFTER = "化性"


def _word(word: str, other: str) -> re.Pattern:
    """``word`` where it is not part of ``other`` (群众 inside 人民群众) nor of a term (规范化)."""
    pattern = re.escape(word) + f"(?![{_TERM_AFTER}])"
    at = other.find(word)
    if at >= 0:
        before, after = other[:at], other[at + len(word):]
        pattern = (f"(?<!{re.escape(before)})" if before else "") + pattern + (f"(?!{re.escape(after)})" if after else "")
    return re.compile(pattern)


_SYNONYM_PATTERNS = tuple((_word(a, b), a, _word(b, a), b) for a, b in SYNONYMS)


def swap_synonym(text: str, k: int) -> str:
    """Swap the ``k``-th synonym pair at its first occurrence, whichever side the text uses.

    >>> swap_synonym("深入推进规范化建设", 7), swap_synonym("及时回应人民群众关切", 12)
    ('深入推进规范化建设', '及时回应群众关切')
    >>> swap_synonym("回应群众关切", 12)
    '回应人民群众关切'
    """
    pa, a, pb, b = _SYNONYM_PATTERNS[k]
    if pb.search(text):
        return pb.sub(a, text, count=1)
    return pa.sub(b, text, count=1)


#: Clauses a local plan adds to a duty it carries (placeholders allowed, ``{Y}`` the year).
#: ``{M}`` (a month), ``{N}`` (a count) and ``{D}`` (a day) are filled when the clause is added,
#: so the same closing phrase recurs across a plan's items only as often as real plans repeat it.
LOCAL_CLAUSES: tuple[str, ...] = (
    "{全}各级各部门要建立工作台账，每{N}个月通报一次进展情况。",
    "每季度开展一次自查，发现问题及时整改。",
    "{Y}年{M}月底前完成。",
    "{Y}年{M}月{D}日前完成相关制度建设并向社会公布。",
    "相关工作情况纳入{级}政务公开工作年度考核。",
    "结合本地实际细化工作措施，明确责任人和完成时限。",
    "结合{地}实际，制定具体工作措施。",
    "{地}各部门要明确专人负责，确保按期完成。",
    "{政府}办公室加强统筹协调和督促指导。",
    "{M}月底前报送半年工作总结，年底前报送全年工作总结。",
    "确保各项工作落地见效。",
    "每年至少开展{N}次专项检查。",
    "在{政府}门户网站开设专栏，每月更新不少于{N}次。",
    "{Y}年{M}月底前完成自查整改，{级}政务公开办公室适时开展抽查。",
    "每半年向{政府}办公室报送一次工作进展。",
    "组织开展业务培训不少于{N}次。",
)


def fill_slots(clause: str, rng) -> str:
    """Fill a local clause's ``{M}``, ``{N}`` and ``{D}`` slots with a month, a count and a day.

    >>> import random
    >>> text = fill_slots("{Y}年{M}月{D}日前开展{N}次检查。", random.Random(1))
    >>> text.startswith("{Y}年") and "{M}" not in text and "{N}" not in text and "{D}" not in text
    True
    """
    return clause.replace("{M}", str(rng.randint(3, 11))).replace("{N}", str(rng.randint(1, 4))).replace("{D}", str(rng.randint(1, 30)))


#: Local specialities for duties a lower government adds on its own (no parent).
SPECIALTIES: tuple[str, ...] = (
    "特色农产品品牌建设", "文旅融合发展", "康养产业", "工业园区建设", "物流枢纽建设", "乡村旅游",
    "茶产业发展", "生猪稳产保供", "红色文化保护传承", "城市更新", "老旧小区改造", "河湖长制",
    "森林防灭火", "地质灾害防治", "民族团结进步创建", "易地扶贫搬迁后续扶持", "返乡创业",
    "县域商业体系建设", "农村人居环境整治", "中医药传承创新", "电商进农村", "夜间经济",
)

#: Section headings of a national plan (placeholders allowed).
SECTION_TITLES: tuple[str, ...] = (
    "加强政策发布解读回应",
    "深化重点领域信息公开",
    "推进决策和执行公开",
    "深化新时代基层政务公开",
    "提升政务公开平台建设水平",
    "优化政府信息依申请公开",
    "强化政务公开工作保障",
    "推进办事服务公开",
)

#: Domains for composed topics: (object of the duty, a unit kind responsible for it).
_DOMAINS: tuple[tuple[str, str], ...] = (
    ("财政预决算", "finance"), ("政府债务", "finance"), ("重大建设项目", "development"),
    ("公共资源交易", "service"), ("义务教育", "education"), ("医疗卫生", "health"),
    ("生态环境保护", "environment"), ("食品药品安全", "market"), ("安全生产", "emergency"),
    ("就业创业", "labour"), ("社会救助", "civil"), ("养老服务", "civil"), ("保障性住房", "housing"),
    ("征地补偿", "land"), ("行政执法", "justice"), ("统计数据", "statistics"), ("医疗保障", "insurance"),
    ("交通运输", "transport"), ("农业补贴", "agriculture"), ("审计结果", "audit"), ("文化旅游", "culture"),
    ("营商环境", "development"), ("减税降费", "finance"), ("高标准农田建设", "agriculture"),
    ("城市管理", "housing"), ("市场主体培育", "market"), ("科技创新", "development"),
    ("自然灾害防治", "emergency"), ("对外开放合作", "commerce"), ("消费促进", "commerce"),
)
_COMPOSED = (
    (
        "推进{obj}信息公开",
        "全面公开{obj}相关政策文件、实施方案和执行情况",
        "在政府门户网站设置{obj}专栏，集中发布有关信息",
        "建立{obj}信息公开工作台账，明确公开内容、时限和责任主体",
    ),
    (
        "做好{obj}政策解读",
        "围绕{obj}领域重要政策，同步制发解读材料，说明政策背景和主要举措",
        "通过新闻发布会、图表图解等多种形式解读{obj}政策，回应社会关切",
        "对{obj}领域的热点问题，及时发布权威信息，主动引导社会预期",
    ),
)

_REGION_WORDS = re.compile(
    r"(?:四川省|四川|眉山市|眉山|遂宁市|遂宁|安居区|安居|万源市|万源|达州市|达州|天府新区|成渝地区双城经济圈|成都都市圈|万达开川渝统筹发展示范区|川渝)"
)
_DOC_NO = re.compile(r"[（(]?[\u4e00-\u9fff]{1,12}[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*\d{1,5}\s*号[）)]?")
_SCOPE = (
    (re.compile(r"[省市区县]政府办公[厅室]"), "{政府办}"),
    (re.compile(r"我[省市区县]"), "{我}"),
    (re.compile(r"全[省市区县州]"), "{全}"),
    (re.compile(r"[省市区县]政府(?!办公)"), "{政府}"),
    (re.compile(r"[省市区县]级(?!以上)"), "{级}"),
    (re.compile(r"[省市区县]直"), "{直}"),
)
_SCOPE_VALUES = {
    "national": {"政府办": "国务院办公厅", "我": "我国", "全": "全国", "政府": "国务院", "级": "国家", "直": "国务院"},
}
_CN_UNITS = re.compile(r"[〔\[［【(（]?\s*(?:牵头单位|责任单位|牵头部门|责任部门).*$")


def level_char(level: str, region: str | None) -> str:
    """The character a level's own units and scope words begin with (省, 市, 区, 县, 州, 旗 …).

    >>> level_char("county", "安居区"), level_char("county", "万源市"), level_char("city", "凉山彝族自治州")
    ('区', '市', '州')
    >>> level_char("province", "广西壮族自治区"), level_char("province", "重庆市")
    ('区', '市')
    """
    if level == "national" or not region:
        return "国"
    if level == "province":
        if region.endswith("自治区"):
            return "区"
        return "市" if region.endswith("市") else "省"
    if level == "city":
        return {"州": "州", "盟": "盟", "区": "区"}.get(region[-1], "市")
    return region[-1] if region[-1] in "区县市旗" else "县"


def render_scope(text: str, level: str, region: str | None = None, year: int | None = None) -> str:
    """Fill the level placeholders of a text for a document written at ``level``.

    >>> render_scope("{全}各级各部门要在{政府}网站公开。", "county", "安居区")
    '全区各级各部门要在区政府网站公开。'
    >>> render_scope("{全}推进", "national")
    '全国推进'
    """
    values = _SCOPE_VALUES.get(level)
    if values is None:
        c = level_char(level, region)
        office = "办公厅" if level == "province" else "办公室"
        values = {"政府办": c + "政府" + office, "我": "我" + c, "全": "全" + c, "政府": c + "政府", "级": c + "级", "直": c + "直"}
    out = text.replace("{地}", region or "全国")
    for key, value in values.items():
        out = out.replace("{" + key + "}", value)
    if year is not None:
        out = out.replace("{Y}", str(year))
    return out


def unit_name(kind: str, level: str, region: str | None, *, full: bool = False) -> str:
    """A unit of ``kind`` as a document at ``level`` names it (relative, or with its region).

    >>> unit_name("finance", "county", "安居区"), unit_name("finance", "county", "安居区", full=True)
    ('区财政局', '安居区财政局')
    >>> unit_name("office", "province", "四川省"), unit_name("finance", "national", None)
    ('省政府办公厅', '财政部')
    >>> unit_name("finance", "province", "西藏自治区")
    '自治区财政厅'
    """
    names = UNIT_KINDS[kind]
    if level == "national":
        return names[0]
    base = names[("province", "city", "county").index(level) + 1]
    if full and region:
        return region + base
    if level == "province" and region and region.endswith("自治区"):
        return "自治区" + base
    return level_char(level, region) + base


def collective_units(level: str, region: str | None) -> str:
    """The collective 责任单位 a level assigns duties to (its subordinate governments and offices).

    >>> collective_units("city", "眉山市")
    '各县（市、区）人民政府，市级有关部门（单位）'
    """
    if level == "national":
        return "各省、自治区、直辖市人民政府，国务院各部门"
    if level == "province":
        return "各市（州）人民政府，" + level_char(level, region) + "直有关部门（单位）"
    if level == "city":
        return "各县（市、区）人民政府，" + level_char(level, region) + "级有关部门（单位）"
    return "各乡镇人民政府、街道办事处，" + level_char(level, region) + "直各部门"


def scrub(sentence: str) -> str:
    """A seed sentence made level-neutral: regions and 文号 out, scope words to placeholders.

    >>> scrub("全区各镇要在区政府门户网站公开眉山市有关信息")
    '{全}各镇要在{政府}门户网站公开有关信息'
    """
    s = _DOC_NO.sub("", sentence)
    s = _REGION_WORDS.sub("", s)
    for pattern, placeholder in _SCOPE:
        s = pattern.sub(placeholder, s)
    return s


def bigrams(text: str) -> frozenset[str]:
    """Character bigrams of the Chinese characters in a text (for near-duplicate tests)."""
    chars = re.sub(r"[^\u4e00-\u9fff]", "", text)
    return frozenset(chars[i : i + 2] for i in range(len(chars) - 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard similarity of two sets (0 for two empty sets).

    >>> jaccard(frozenset("ab"), frozenset("bc"))
    0.3333333333333333
    """
    return len(a & b) / len(a | b) if a or b else 0.0


_SENTENCE = re.compile(r"[^。；;！？]+[。；;！？]?")
#: Sentences shorter or longer than this (characters) are headings or run-ons, not duties.
MIN_SENTENCE, MAX_SENTENCE = 12, 110
#: Two sentences at least this similar (bigram Jaccard) are one sentence twice.
DUPLICATE_JACCARD = 0.45
#: At most this many sentences per topic: long seed items are cut, as local plans cut them.
MAX_SENTENCES = 4


def _sentences(text: str) -> list[str]:
    out = []
    for m in _SENTENCE.finditer(text):
        s = m.group(0).strip().rstrip("；;").strip()
        if not s:
            continue
        if not s.endswith(("。", "！", "？")):
            s += "。"
        out.append(s)
    return out


def _title_from(sentence: str) -> str:
    """A heading made from a sentence: its first clause when short enough, else its start.

    >>> _title_from("建设政策咨询问答库，特别要针对社会公众关注的热点。")
    '建设政策咨询问答库'
    """
    head = re.split(r"[，,：:]", sentence, maxsplit=1)[0].strip("。 ")
    if 6 <= len(head) <= 30 and "{" not in head:
        return head
    return re.sub(r"\{[^}]*$", "", sentence[:14]).strip("，、。（( ")


@lru_cache(maxsize=1)
def seed_topics() -> tuple[Topic, ...]:
    """Distinct duty topics cut from the seed documents' items, scrubbed to placeholders.

    Seeds are parsed with the project's own parser; a seed it cannot read is skipped, so the
    vocabulary degrades instead of failing.  Sentences are kept in first-seen order and a
    sentence nearly equal to one already kept is dropped, so topics never share a sentence.
    """
    from policy_lineage.errors import LineageError
    from policy_lineage.ingest.parser import parse_text

    order = [
        "sichuan-2021-chuanbanfa-16-province.txt",
        "meishan-2023-task-breakdown.txt",
        "wanyuan-2023-key-points-division.txt",
        "meishan-grassroots-annex1-task-division.txt",
        "suining-anju-2021-task-division.md",
    ]
    kept: list[frozenset[str]] = []
    titles: set[frozenset[str]] = set()
    topics: list[Topic] = []
    for name in order:
        path = SEEDS / name
        if not path.exists():
            continue
        try:
            doc = parse_text(path.read_text(encoding="utf-8"), str(path))
        except LineageError:
            continue
        for item in doc.items:
            text = _CN_UNITS.sub("", item.text)
            title = item.title or (item.section[-1] if item.section else None)
            body = text[len(item.title) + 1 :] if item.title and text.startswith(item.title) else text
            sentences = []
            for s in _sentences(body):
                s = scrub(s)
                grams = bigrams(s)
                if not MIN_SENTENCE <= len(s) <= MAX_SENTENCE or "\t" in s:
                    continue
                if any(jaccard(grams, k) >= DUPLICATE_JACCARD for k in kept):
                    continue
                kept.append(grams)
                sentences.append(s)
                if len(sentences) == MAX_SENTENCES:
                    break
            if not sentences:
                continue
            title = scrub(title or "").strip("。 ")
            if not 4 <= len(title) <= 30 or bigrams(title) in titles:
                title = _title_from(sentences[0])
            titles.add(bigrams(title))
            topics.append(Topic(title, tuple(sentences), "seed:" + name))
    return tuple(topics)


@lru_cache(maxsize=1)
def composed_topics() -> tuple[Topic, ...]:
    """Topics composed from the domain table, two per domain (disclosure and interpretation).

    >>> t = composed_topics()[0]
    >>> t.title, len(t.sentences)
    ('推进财政预决算信息公开', 3)
    """
    out = []
    for template in _COMPOSED:
        for obj, _kind in _DOMAINS:
            title, *sentences = (s.format(obj=obj) for s in template)
            out.append(Topic(title, tuple(s + "。" for s in sentences), "composed:" + obj))
    return tuple(out)


def domain_kind(topic: Topic) -> str | None:
    """The unit kind a composed topic names (its domain's office), else ``None``."""
    if topic.origin.startswith("composed:"):
        obj = topic.origin.split(":", 1)[1]
        return dict(_DOMAINS).get(obj)
    return None
