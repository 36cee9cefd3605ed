"""文号 (document numbers) and standard numbers found in text, normalised.

A 文号 is an issuer abbreviation, the year in brackets and a serial number: 川办发〔2021〕16号.
Documents print the brackets as 〔〕, [], ［］, 【】, （）or ﹝﹞ and scatter spaces through it when a PDF
is extracted; the normal form uses 〔〕 and no spaces, so the same document cited in two ways is
one node in the graph.  The issuer abbreviation is the run of Chinese characters before the
bracket, with leading function words (根据, 按照, 印发 …) removed.
"""

from __future__ import annotations

import re
from functools import lru_cache

from policy_lineage.ingest.text import repair_spacing

__all__ = ["find_doc_nos", "doc_no_spans", "normalise_doc_no", "find_standards", "find_cited_titles"]

_OPEN = "〔\\[［【（(﹝"
_CLOSE = "〕\\]］】）)﹞"
_DOC_NO = re.compile(
    rf"(?P<prefix>[\u4e00-\u9fff]{{1,12}})\s*[{_OPEN}]\s*(?P<year>(?:19|20)\d{{2}})\s*[{_CLOSE}]\s*(?P<serial>\d{{1,5}})\s*号"
)
#: Words that precede a 文号 in running text but are not part of the issuer abbreviation.
_LEADING_WORDS = re.compile(
    r"根据|按照|依据|依照|参照|对照|结合|贯彻|落实|执行|印发|转发|下发|关于|以及|详见|文件|精神|要求|通知|办法|的|和|及|与|见|即|以"
)
#: Region-name characters that are also function words above (仁和区 abbreviates to 仁和).
_NAME_CHARS = "的和及与见即以"
#: A 文号 after its abbreviation.  Searched for first, then the abbreviation is read backwards
#: from the bracket: matching :data:`_DOC_NO` from every character of a long text tries up to 12
#: characters at each, and parsing a corpus asks every line for its 文号.
_DOC_NO_TAIL = re.compile(rf"\s*[{_OPEN}]\s*(?P<year>(?:19|20)\d{{2}})\s*[{_CLOSE}]\s*(?P<serial>\d{{1,5}})\s*号")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_STANDARD = re.compile(
    r"(?P<code>GB|DB\s*\d{2}|[A-Z]{2,4})\s*(?P<kind>/\s*[TZ])?\s*(?P<number>\d{1,6}(?:\.\d+)?)\s*[-—–－]\s*(?P<year>(?:19|20)\d{2})"
)


def normalise_doc_no(text: str) -> str:
    """The normal form of one 文号: 〔〕 brackets, no spaces.

    >>> normalise_doc_no("川办发[2021] 16 号")
    '川办发〔2021〕16号'
    >>> normalise_doc_no("眉府办函（2023）19号")
    '眉府办函〔2023〕19号'
    """
    found = find_doc_nos(text)
    return found[0] if found else re.sub(r"\s+", "", text)


def find_doc_nos(text: str) -> list[str]:
    """Every 文号 in ``text``, normalised, in order of first appearance, without repeats.

    >>> find_doc_nos("根据《四川省人民政府办公厅关于印发…的通知》（川办函〔2022〕89号）和川办发［2021］16号")
    ['川办函〔2022〕89号', '川办发〔2021〕16号']
    >>> find_doc_nos("2021年12月31日前")
    []
    """
    found: list[str] = []
    for _, _, value in doc_no_spans(text):
        if value not in found:
            found.append(value)
    return found


def doc_no_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, normal form) of every 文号 in ``text``; the span starts at the abbreviation.

    >>> doc_no_spans("根据川办发〔2021〕16号")
    [(2, 14, '川办发〔2021〕16号')]
    """
    spans: list[tuple[int, int, str]] = []
    floor = 0  # where the last 文号 ended: an abbreviation starts after it
    for m in _DOC_NO_TAIL.finditer(text):
        begin = m.start()
        while begin > floor and begin - m.start() > -12 and _HAN.match(text, begin - 1):
            begin -= 1
        raw = text[begin : m.start()]  # as _DOC_NO reads it: the last 1–12 汉字 before the bracket
        if not raw:
            continue
        floor = m.end()
        prefix = _strip_leading_words(raw)
        if prefix:
            spans.append((m.start() - len(prefix), m.end(), f"{prefix}〔{m['year']}〕{int(m['serial'])}号"))
    return spans


def _strip_leading_words(prefix: str) -> str:
    """The issuer abbreviation: the prefix after the last function word that is not part of a name.

    A 和 or 以 inside a region's short name (仁和府办函, 和平区 → 和平) belongs to the abbreviation.

    >>> _strip_leading_words("根据"), _strip_leading_words("号和川办发"), _strip_leading_words("根据仁和府办函")
    ('', '川办发', '仁和府办函')
    """
    cut = 0
    for m in _LEADING_WORDS.finditer(prefix):
        if m.group() in _NAME_CHARS and _inside_region_name(prefix, m.start(), m.end()):
            continue
        cut = m.end()
    return prefix[cut:]


def _inside_region_name(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] falls inside a region's short name (仁和 of 仁和区) in ``text``.

    Not when another short name starts right after the word: in 和顺庆府办发 the 和 joins a list
    and 顺庆 is the issuer, though 和顺 is a county's name too.
    """
    shorts = _short_names()
    if any(text[end : end + k] in shorts for k in range(2, 6)):
        return False
    for k in range(2, 6):
        for at in range(max(0, end - k), start + 1):
            if text[at : at + k] in shorts:
                return True
    return False


@lru_cache(maxsize=1)
def _short_names() -> frozenset[str]:
    """Short names of regions (full name without its rank: 仁和区 → 仁和), two characters or more."""
    from policy_lineage.ingest.regions import region_names

    out = set()
    for name in region_names():
        short = re.sub(r"(?:特别行政区|自治州|自治县|自治区|地区|省|市|区|县|州|盟|旗)$", "", name)
        if len(short) >= 2:
            out.add(short)
    return frozenset(out)


def find_standards(text: str) -> list[str]:
    """Standard numbers (GB/T, DB51/T …) cited in ``text``, normalised as ``DB51/T 2658-2019``.

    >>> find_standards("按照《政务服务中心运行规范》（DB51/T 2658—2019）要求")
    ['DB51/T 2658-2019']
    """
    found: list[str] = []
    for m in _STANDARD.finditer(text):
        code = re.sub(r"\s+", "", m["code"])
        kind = re.sub(r"\s+", "", m["kind"] or "")
        value = f"{code}{kind} {m['number']}-{m['year']}"
        if value not in found:
            found.append(value)
    return found


#: A book-title-marked name right before a 文号, with at most an opening bracket between them.
_TITLE_BEFORE = re.compile(r"《(?P<title>[^《》]{4,200})》\s*[（(〔\[［]?\s*\Z")


def find_cited_titles(text: str, *, own: str | None = None) -> dict[str, str]:
    """Per cited 文号, the title the text gives it: ``根据《…的通知》（川办函〔2022〕89号）``.

    A document not ingested is only known by what its citers say, so the title printed beside
    its number is kept for it (the graph titles its stub with it).  PDF line breaks inside the
    title are repaired; the first title given to a 文号 wins; the document's own 文号 is skipped.

    >>> find_cited_titles("根据《四川省人民政府办公厅关于做好\\n政务新媒体管理的通知》（川办函〔2022〕 89号）要求，川办发〔2021〕16号")
    {'川办函〔2022〕89号': '四川省人民政府办公厅关于做好政务新媒体管理的通知'}
    """
    text = repair_spacing(text)
    titles: dict[str, str] = {}
    for start, _, no in doc_no_spans(text):
        m = _TITLE_BEFORE.search(text, max(0, start - 220), start)
        if m and no != own:
            titles.setdefault(no, m["title"].strip())
    return titles
