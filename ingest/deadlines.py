"""Deadlines: printed time limits normalised to a date, or to a kind when they have none.

A deadline cell says ``2021年底前``, ``2022年3月底前``, ``8月31日`` (the year is the document's
cycle), ``三季度`` — or no date at all: ``长期坚持`` (ongoing), ``及时公开`` (timely), ``动态调整``
(dynamic), ``每季度`` (periodic).  Time expressions are parsed by jionlp's ``parse_time``, a
maintained Chinese time parser, with the cycle's 1 January as the base, so a bare month means
the document's year; the date kept is the last day the expression allows (a deadline).

In running prose only expressions that read as a time limit count (``…前``, ``…底``, ``…完成``),
so a date that merely mentions the past is not taken for a deadline.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
from functools import lru_cache

from policy_lineage.graph.model import Deadline

__all__ = ["parse_deadline", "find_deadlines", "deadline_kind", "split_deadline_label", "KIND_WORDS", "DEADLINE_LABEL"]

#: Kinds of deadline that have no date, by the words that state them (first match wins).
KIND_WORDS: tuple[tuple[str, re.Pattern], ...] = (
    ("periodic", re.compile(r"每(?:年|半年|季度|季|月|周|旬)|定期|按季度|按月|按年|逐月|逐季")),
    ("timely", re.compile(r"及时|实时|随时|即时|第一时间")),
    ("dynamic", re.compile(r"动态")),
    ("ongoing", re.compile(r"长期|持续|常态|全年|贯穿|经常性|一直")),
)

_YEAR = r"(?:(?:19|20)\d{2}\s*年\s*)"
_MONTH = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
_DAY = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*日"
_WHEN = (
    rf"(?:{_YEAR}?{_MONTH}\s*(?:{_DAY}|底|末|中旬|上旬|下旬|份)?"
    rf"|{_YEAR}?(?:年底|年末|上半年|下半年|(?:第)?[一二三四1-4]季度(?:末)?)"
    rf"|{_YEAR})"
)
#: A time expression in a deadline cell (anything goes).
_ANY_TIME = re.compile(_WHEN)
#: A time expression in prose that reads as a limit: …前, …底, …末, or followed by 完成/实现/上线.
_LIMIT = re.compile(rf"{_WHEN}\s*(?:前|之前|以前)|{_YEAR}?(?:年底|年末|{_MONTH}\s*(?:底|末))|{_WHEN}(?=\s*(?:完成|实现|建成|上线))")


#: Labels that introduce a deadline inside an assignment tail (（牵头单位：…；完成时限：…）).
DEADLINE_LABEL = r"(?:完成时限|完成时间|时间节点|时限要求|办结时限|完成期限|时间要求)"
_LABELLED = re.compile(rf"[；;，,。]?\s*{DEADLINE_LABEL}\s*[:：]\s*(?P<when>[^；;）)〕\]］】]*)")


def split_deadline_label(tail: str) -> tuple[str, str | None]:
    """Split a labelled deadline (完成时限：2023年6月底前) off an assignment tail.

    >>> split_deadline_label("牵头单位：市教育局；完成时限：2023年8月底前")
    ('牵头单位：市教育局', '2023年8月底前')
    >>> split_deadline_label("牵头单位：市教育局")
    ('牵头单位：市教育局', None)
    """
    m = _LABELLED.search(tail)
    if not m or not m["when"].strip():
        return tail, None
    rest = (tail[: m.start()] + tail[m.end():]).strip(" ；;，,")
    return rest, m["when"].strip(" 。.")


def _jionlp():
    with contextlib.redirect_stdout(io.StringIO()):  # jionlp prints a banner on import
        import jionlp

    return jionlp


@lru_cache(maxsize=4096)
def _last_day(expression: str, year: int | None) -> str | None:
    """The last date an expression allows, or None when it names no year and none is known."""
    if year is None and not re.search(r"(?:19|20)\d{2}\s*年", expression):
        return None
    base = dt.datetime(year or 2000, 1, 1).timestamp()
    expression = re.sub(r"\s+", "", expression)
    try:
        parsed = _jionlp().parse_time(expression, time_base=base)
    except (ValueError, TypeError, KeyError, IndexError):
        return None
    if parsed.get("type") not in {"time_point", "time_span"}:
        return None
    end = parsed["time"][-1]
    return end[:10] if isinstance(end, str) and end[:4].isdigit() else None


def deadline_kind(text: str) -> str | None:
    """The kind a dateless deadline states (ongoing, timely, dynamic, periodic), if any.

    >>> deadline_kind("及时办理"), deadline_kind("市财政局")
    ('timely', None)
    """
    return next((kind for kind, pattern in KIND_WORDS if pattern.search(text)), None)


def parse_deadline(text: str, year: int | None) -> Deadline:
    """Normalise a deadline cell.

    >>> parse_deadline("2022年3月底前", 2021)
    Deadline(text='2022年3月底前', date='2022-03-31', kind='date')
    >>> parse_deadline("8月31日", 2023).date
    '2023-08-31'
    >>> parse_deadline("长期坚持", 2021)
    Deadline(text='长期坚持', date=None, kind='ongoing')
    >>> parse_deadline("年底前", None)
    Deadline(text='年底前', date=None, kind='date')
    """
    clean = re.sub(r"\s+", "", text)
    match = _ANY_TIME.search(clean)
    if match:
        ends = [d for d in (_last_day(m.group(0), year) for m in _ANY_TIME.finditer(clean)) if d]
        if ends:
            return Deadline(text=clean, date=max(ends), kind="date")
        if not deadline_kind(clean):
            return Deadline(text=clean, date=None, kind="date")
    return Deadline(text=clean, date=None, kind=deadline_kind(clean) or "unknown")


def find_deadlines(text: str, year: int | None) -> list[Deadline]:
    """Time limits stated in running prose, each dated where possible.

    >>> [d.date for d in find_deadlines("2021年底前完成IPv6改造，8月31日前集中发布文件。", 2021)]
    ['2021-12-31', '2021-08-31']
    >>> find_deadlines("2020年以来成效明显", 2021)
    []
    """
    clean = re.sub(r"(?<=[\d年月])\s+(?=[\d年月日底前])", "", text)
    found = []
    for m in _LIMIT.finditer(clean):
        expression = m.group(0).strip()
        if re.fullmatch(rf"{_YEAR}(?:以前|之前|前)", expression):
            continue  # "2020年以前" looks back, not forward
        found.append(Deadline(text=expression, date=_last_day(expression, year), kind="date"))
    return found
