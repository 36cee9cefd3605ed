"""Numbered prose: sections ``一、…`` holding items ``（一）…`` (or ``1.`` / ``（1）``).

Provincial arrangements and county 分工方案 are written as prose: a heading per section and a
numbered paragraph per duty, often closed by a 〔牵头单位:…;责任单位:…〕 tail.  Extraction from PDF
breaks every paragraph into short lines (with blank lines between them), and Markdown conversion
prefixes some paragraphs with list bullets, so paragraphs are found by their number, never by
blank lines.

Which numbering marks the items is decided per document: the scheme with the longest run of
consecutive numbers wins (``（一）…（二十二）`` in a province's plan, ``1.``…``30.`` in a plan that
numbers that way); the schemes above it in the usual hierarchy
(``一、`` > ``（一）`` > ``1.`` > ``（1）``) are headings and form the item's section path.
A number that breaks the sequence (``12345 热线`` at the start of a wrapped line) is text.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from policy_lineage.ingest.deadlines import DEADLINE_LABEL, split_deadline_label
from policy_lineage.ingest.metadata import tail_start
from policy_lineage.ingest.raw import Line, RawItem
from policy_lineage.ingest.tables import looks_like_units
from policy_lineage.ingest.text import chinese_number, join_lines

__all__ = ["SCHEMES", "find_markers", "parse_prose", "split_assignment_tail", "split_title"]

_LEAD = r"^\s*(?:[-*+•]\s+|#{1,6}\s*)*"
_CN = "一二三四五六七八九十百零〇"

#: Numbering schemes, from the outermost level in.
SCHEMES: dict[str, re.Pattern] = {
    "cn_comma": re.compile(_LEAD + rf"(?P<num>[{_CN}]{{1,4}})\s*[、，,．.]\s*(?P<rest>\S.*)$"),
    "cn_paren": re.compile(_LEAD + rf"[（(]\s*(?P<num>[{_CN}]{{1,4}})\s*[）)]\s*(?P<rest>.*)$"),
    "arabic": re.compile(_LEAD + r"(?P<num>\d{1,3})\s*(?:[、．]|\.(?!\d))\s*(?P<rest>\S.*)$"),
    "arabic_paren": re.compile(_LEAD + r"[（(]\s*(?P<num>\d{1,3})\s*[）)]\s*(?P<rest>\S.*)$"),
}
_ORDER = list(SCHEMES)

#: Where the body ends and the annexes begin: ``附件`` alone or ``附件: 重点工作责任分工表``.
ANNEX_START = re.compile(_LEAD + r"附\s*件\s*(?:[:：]|$|\d+\s*(?:[:：]|$|(?=[\u4e00-\u9fff《“])))")

_TAIL = re.compile(
    r"[〔\[［【(（]?\s*(?:牵头单位|牵头部门|责任单位|责任部门|配合单位|牵头|主办|配合|协办|" + DEADLINE_LABEL + r")\s*[:：]"
)
_TAIL_CLOSE = "〕]］】)）"


@dataclass(frozen=True)
class Marker:
    """A numbered heading or item start found on a line."""

    scheme: str
    number: int
    label: str
    rest: str
    line: Line
    #: Whether the marker opens a paragraph: a list bullet or heading mark before it, or the line
    #: before ends a sentence, a tail or is a numbered line itself (not running text wrapped).
    opens: bool = True


#: How a line that a new paragraph may follow ends: a sentence, a tail's bracket, a quotation.
_PARAGRAPH_END = re.compile(r"[。；;！!？?：:〕\]］】)）」”\"]\s*$")


def _heads(m: re.Match | None) -> bool:
    """Whether a numbered line is a heading (一、强化平台建设), which a new paragraph follows."""
    return m is not None and 0 < len(m["rest"].strip()) <= 40 and not re.search(r"[。；;，,：:]", m["rest"])


def find_markers(lines: list[Line]) -> list[Marker]:
    """Every line that starts with a number of some scheme (before sequence checks).

    >>> from policy_lineage.ingest.raw import to_lines
    >>> [(m.scheme, m.number) for m in find_markers(to_lines("一、总体要求\\n（二）做好解读。\\n- 3. 加强"))]
    [('cn_comma', 1), ('cn_paren', 2), ('arabic', 3)]
    """
    found = []
    previous = ""
    for line in lines:
        if not line.stripped:
            continue
        before, previous = previous, line.stripped
        for scheme, pattern in SCHEMES.items():
            m = pattern.match(line.text)
            if not m:
                continue
            number = chinese_number(m["num"])
            if number is None:
                continue
            label = line.stripped[: line.stripped.find(m["rest"])].lstrip("-*+•# ").strip() if m["rest"] else line.stripped
            opens = not before or bool(_PARAGRAPH_END.search(before) or re.match(r"^\s*(?:[-*+•]\s+|#)", line.text))
            opens = opens or any(_heads(p.match(before)) for p in SCHEMES.values())  # after a heading
            found.append(Marker(scheme, number, label, m["rest"].strip(), line, opens))
            break
    return found


def _sequence(markers: list[Marker], scheme: str, restart_schemes: set[str]) -> list[Marker]:
    """The markers of ``scheme`` that count the items: the best chain through them.

    A step is n+1, or 1 again after a higher heading (numbering restarting per section).  A real
    plan also skips a number (an item deleted, 十一 → 十三), jumps two, or repeats one by a typo
    (十一, 十一; or steps back one, 十二 → 十一): such a step is accepted, the number kept as printed, but only where the marker
    starts a paragraph (the line before ends a sentence or a tail), so a number a PDF line break
    leaves at a line start inside running text (``12345 热线``) stays text.  Each irregular step
    costs half an item: the chain with the most markers net of that wins, the cleaner on a tie.
    """
    own = [(k, m) for k, m in enumerate(markers) if m.scheme == scheme]
    if not own:
        return []
    positions = [k for k, _ in own]
    last_heading = -1
    heading_before: list[int] = []  # index into ``markers`` of the last higher heading before each
    for k, m in enumerate(markers):
        if m.scheme in restart_schemes:
            last_heading = k
        heading_before.append(last_heading)
    # per own marker, the best chain ending at it: (score, -irregular steps, previous marker in it)
    states: list[tuple[float, int, int | None]] = []
    best_by_number: dict[int, int] = {}  # number -> index into ``own`` of its best chain end
    prefix_best: list[int] = []  # index of the best chain end among own[: i + 1]
    for i, (k, m) in enumerate(own):
        choices: list[tuple[float, int, int | None]] = []
        if m.number == 1:
            choices.append((1.0, 0, None))
        elif m.number <= 3 and m.opens:
            choices.append((0.5, -1, None))  # the first item or two missing
        prev = best_by_number.get(m.number - 1)
        if prev is not None:
            choices.append((states[prev][0] + 1, states[prev][1], prev))
        if m.number == 1:  # restart after a higher heading
            before = bisect.bisect_left(positions, heading_before[k])  # own markers before it
            if before:
                j = prefix_best[before - 1]
                choices.append((states[j][0] + 1, states[j][1], j))
        if m.opens:
            for n in (m.number - 2, m.number - 3, m.number, m.number + 1):
                prev = best_by_number.get(n)
                if prev is not None:
                    choices.append((states[prev][0] + 0.5, states[prev][1] - 1, prev))
        state = max(choices, key=lambda c: (c[0], c[1])) if choices else (float("-inf"), 0, None)
        states.append(state)
        if state[0] > float("-inf"):
            old = best_by_number.get(m.number)
            if old is None or (state[0], state[1]) >= (states[old][0], states[old][1]):
                best_by_number[m.number] = i
        last = prefix_best[-1] if prefix_best else None
        prefix_best.append(i if last is None or (state[0], state[1]) >= (states[last][0], states[last][1]) else last)
    end = prefix_best[-1]
    if states[end][0] == float("-inf"):
        return []
    chain: list[Marker] = []
    at: int | None = end
    while at is not None:
        chain.append(own[at][1])
        at = states[at][2]
    return chain[::-1]


def choose_scheme(markers: list[Marker]) -> tuple[str | None, list[Marker]]:
    """The item scheme and its accepted markers.

    The longest consecutive run (at least 3) wins, unless a scheme above it also runs and its
    markers read as duties rather than headings (a sentence, a tail, a colon): then the longer
    run is the sub-points (（1）…（2）…) listed under each duty, and the duties are the items.
    """
    runs: dict[str, list[Marker]] = {}
    for i, scheme in enumerate(_ORDER):
        kept = _sequence(markers, scheme, set(_ORDER[:i]))
        if len(kept) >= 3:
            runs[scheme] = kept
    if not runs:
        return None, []
    best = max(runs, key=lambda s: (len(runs[s]), -_ORDER.index(s)))
    for scheme in _ORDER[: _ORDER.index(best)]:
        kept = runs.get(scheme)
        if kept and sum(not _reads_as_heading(m) for m in kept) >= 0.5 * len(kept):
            return scheme, kept
    return best, runs[best]


def _reads_as_heading(m: Marker) -> bool:
    """A heading names a topic: short, with no sentence, list or tail punctuation in it."""
    rest = m.rest.strip()
    return 0 < len(rest) <= 30 and not re.search(r"[。；;：:，,（(〔]", rest)


def split_assignment_tail(text: str) -> tuple[str, str | None]:
    """Split a trailing 〔牵头单位:…;责任单位:…〕 off an item's text.

    The tail may use any bracket pair, ASCII or full-width colons, or have lost its closing
    bracket when the source was truncated; the returned tail has its brackets removed.

    >>> split_assignment_tail("开展政务开放日活动。〔牵头单位:区政府办公室;责任单位:各镇、街道〕")
    ('开展政务开放日活动。', '牵头单位:区政府办公室;责任单位:各镇、街道')
    >>> split_assignment_tail("实现政务过程和结果全公开。〔牵头单位:区委编办;责任单位:各镇、街道,区直各")
    ('实现政务过程和结果全公开。', '牵头单位:区委编办;责任单位:各镇、街道,区直各')
    >>> split_assignment_tail("没有分工的条目。")
    ('没有分工的条目。', None)

    Text after the tail's closing bracket (sub-points printed after it) stays with the body:

    >>> split_assignment_tail("加强网站管理。（责任单位：区政府办公室）1.每季度检查一次。")
    ('加强网站管理。1.每季度检查一次。', '责任单位：区政府办公室')
    """
    m = _TAIL.search(text)
    if not m:
        return _split_role_parenthesis(text)
    body, tail = text[: m.start()].rstrip(), text[m.start():].strip()
    if tail[:1] in "〔[［【(（":
        close = _closing(tail)
        if close is not None and tail[close + 1 :].strip():
            return body + tail[close + 1 :].strip(), tail[1:close].strip()
    tail = tail.lstrip("〔[［【(（").strip()
    if tail and tail[-1] in _TAIL_CLOSE:
        tail = tail[:-1].strip()
    return body, tail


def _closing(text: str) -> int | None:
    """Index of the bracket closing the one ``text`` opens with (nested pairs skipped)."""
    depth = 0
    for i, ch in enumerate(text):
        if ch in "〔[［【(（":
            depth += 1
        elif ch in _TAIL_CLOSE:
            depth -= 1
            if depth == 0:
                return i
    return None


#: A closing parenthesis naming who does the work: （市财政局负责）, （市政府办公室牵头，市级各部门按职责
#:分工负责）.  Brackets inside it (各镇（街道）) are allowed one level deep.
_ROLE_PARENTHESIS = re.compile(
    r"(?<=[。；;！])\s*[（(](?P<tail>(?:[^（）()]|[（(][^（）()]*[）)]){2,120})[）)]\s*$"
)
_ROLE_WORDS = re.compile(r"(?:负责|牵头|配合|指导|落实|推进|实施)$")


def _split_role_parenthesis(text: str) -> tuple[str, str | None]:
    """Split a closing （…负责） that assigns the item, if the parenthesis reads as units.

    >>> _split_role_parenthesis("重大舆情24小时内作出回应。（市委网信办、市政府办公室负责）")
    ('重大舆情24小时内作出回应。', '市委网信办、市政府办公室负责')
    >>> _split_role_parenthesis("公开部门预决算。（含乡镇、街道）")
    ('公开部门预决算。（含乡镇、街道）', None)
    """
    m = _ROLE_PARENTHESIS.search(text)
    if not m:
        return text, None
    tail = m["tail"].strip()
    pieces = [p for p in re.split(r"[，,；;]", tail) if p]
    if not any(_ROLE_WORDS.search(p) for p in pieces) or not looks_like_units(re.sub(r"(?:按职责分工|分别)?(?:负责|牵头|配合|指导|落实|推进|实施)(?=[，,；;]|$)", "", tail)):
        return text, None
    return text[: m.start()].rstrip(), tail


def split_title(text: str, *, max_len: int = 40) -> str | None:
    """The item's own heading: its first sentence when that is short and more text follows.

    >>> split_title("加强建设维护。推动省市集约化平台互联互通和协同联动。")
    '加强建设维护'
    >>> split_title("探索建立群众参与基层政府有关会议制度。") is None
    True
    """
    m = re.match(r"^([^。；;！？]{2,%d})[。；;]\s*(\S)" % max_len, text)
    return m.group(1).strip() if m else None


def parse_prose(lines: list[Line]) -> list[RawItem]:
    """Items of numbered prose, with section paths and assignment tails split off.

    ``lines`` must already be free of page furniture and end where the annexes begin.
    Returns an empty list when no numbering scheme has a run of three items.
    """
    markers = find_markers(lines)
    scheme, items = choose_scheme(markers)
    if scheme is None:
        return []
    level = _ORDER.index(scheme)
    heading_schemes = _ORDER[:level]
    item_lines = {m.line.no for m in items}
    headings = {
        m.line.no: m
        for m in markers
        if m.scheme in heading_schemes and _is_heading(m)
    }
    starts = sorted(item_lines | set(headings))
    by_no = {line.no: idx for idx, line in enumerate(lines)}

    raw: list[RawItem] = []
    path: dict[str, str] = {}
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else None
        if start in headings:
            h = headings[start]
            path = {s: t for s, t in path.items() if _ORDER.index(s) < _ORDER.index(h.scheme)}
            path[h.scheme] = join_lines([h.rest])
            continue
        marker = next(m for m in items if m.line.no == start)
        stop = by_no[end] if end else tail_start(lines, by_no[start] + 1)  # the last duty ends at the signature
        body_lines = [marker.rest] + [ln.text for ln in lines[by_no[start] + 1 : stop]]
        text = join_lines(body_lines)
        text, tail = split_assignment_tail(text)
        deadline = None
        if tail:
            tail, deadline = split_deadline_label(tail)
        raw.append(
            RawItem(
                number=marker.number,
                label=marker.label,
                text=text,
                line=start,
                section=[path[s] for s in heading_schemes if s in path],
                title=split_title(text),
                units={"tail": tail} if tail else {},
                deadline=deadline,
            )
        )
    return raw


def _is_heading(m: Marker) -> bool:
    """A section heading is short and has no sentence inside it."""
    rest = m.rest.strip()
    return 0 < len(rest) <= 40 and "。" not in rest.rstrip("。")
