"""Tables flattened by PDF extraction: every cell broken into short lines, row by row.

When a PDF table is extracted as plain text, each row comes out column by column: the row
number, then the narrow group cell one or two characters a line (积极 / 深化 / 主动 / 公开), the task
name a few characters a line, the content at full column width, the units at their narrower
width, the deadline.  Merged cells are printed once, in the first row they cover; the header and
the group cell are printed again on every page.  Sometimes two cells share a line (``…政策公开。
市人力资源社会保障局、市`` or ``2023年底13``, where the next row number is glued to a deadline).

We rebuild rows with a forward-only state machine over the fragments of each row: group → title
→ content → units → deadline.  A fragment's column is told by its printed width (each column
wraps at its own width; the two widths that occur most often are the content and units widths),
by whether it reads as a deadline, and by whether it reads as agency names
(:func:`policy_lineage.ingest.nlp.agency_coverage`).  Row numbers are recognised only when they
are the next number expected, so a number inside the text (``1 个月内``, ``12345 热线``) is text.

References
----------
seeds/meishan-2023-task-breakdown.txt shows every quirk handled here.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from policy_lineage.ingest.deadlines import deadline_kind
from policy_lineage.ingest.metadata import find_issue_date, tail_start
from policy_lineage.ingest.raw import Line, RawItem
from policy_lineage.ingest.tables import Cell, Columns, is_header_cell, rows_to_items, unitish
from policy_lineage.ingest.text import display_width, is_page_number
from policy_lineage.ingest.units import split_cells_at_name_break

__all__ = ["is_flattened_header", "parse_flattened"]

_HEADER_SPLIT = re.compile(r"\s+")
_DEADLINE = re.compile(
    r"^(?:\d{4}\s*年(?:\s*\d{1,2}(?:\s*月(?:\s*底|\s*\d{1,2}\s*日)?)?)?\s*(?:年?底)?\s*(?:前|完成)?"
    r"|\d{1,2}\s*月\s*(?:底|\d{1,2}\s*日)\s*前?"
    r"|月\s*底\s*前?|底\s*前|\d{1,2}\s*日\s*前?"
    r"|长期坚持|及时公开|持续推进|动态调整|常态化推进|每年|每季度|每月)$"
)
_DEADLINE_THEN_NUMBER = re.compile(r"^(?P<deadline>.*?(?:底|日|前))\s*(?P<num>\d{1,3})$")
_SENTENCE_END = re.compile(r"[。；;！？]$")
_TAIL = re.compile(r"^(?:抄\s*送|信息公开选项|附\s*件\s*\d*\s*[:：]?)")
#: The 印发 line of a document's tail has the date it was printed (…办公室  2023年6月16日印发); a
#: content line wrapped after 印发 (以政府办公室名义印发 / 的政策性文件) does not end the table.
_PRINTED_ON = re.compile(r"(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年.*印\s*发\s*$")

GROUP, TITLE, CONTENT, UNITS, DEADLINE = range(5)


def is_flattened_header(line: str) -> bool:
    """A header line of a flattened table: two or more header words split by spaces.

    >>> is_flattened_header("任务名称 具体内容 责任单位 完成时限"), is_flattened_header("序号 重点工作 责任单位")
    (True, True)
    >>> is_flattened_header("责任单位要加强指导")
    False
    """
    words = [w for w in _HEADER_SPLIT.split(line.strip()) if w]
    return len(words) >= 2 and sum(is_header_cell(w) for w in words) >= 2


@dataclass
class _Row:
    number: int
    line: int
    cells: dict[int, list[str]] = field(default_factory=lambda: {k: [] for k in range(5)})
    state: int = GROUP


def _fragments(text: str, expected: int) -> list[tuple[str, int | None]]:
    """Split one line into (fragment, row-number-that-starts-here) pieces."""
    text = text.strip()
    out: list[tuple[str, int | None]] = []
    m = re.match(r"^(\d{1,3})(?:\s+(.*))?$", text)
    if m and int(m.group(1)) == expected:
        out.append(("", expected))
        expected += 1
        text = (m.group(2) or "").strip()
        if not text:
            return out
    # "…公开。 市人力资源社会保障局、市": content then units
    m = re.match(r"^(.*[。；;])\s+(\S.*)$", text)
    if m and unitish(m.group(2)):
        return out + [(m.group(1), None)] + _split_deadline(m.group(2), expected)
    return out + _split_deadline(text, expected)


def _split_deadline(text: str, expected: int) -> list[tuple[str, int | None]]:
    """Split a trailing deadline (and a row number glued to it) off a units fragment."""
    out: list[tuple[str, int | None]] = []
    parts = text.rsplit(" ", 1)
    if len(parts) == 2 and parts[0].strip() and _is_deadline(_strip_number(parts[1], expected)[0]):
        out.append((parts[0].strip(), None))
        text = parts[1]
    deadline, number = _strip_number(text, expected)
    out.append((deadline, None))
    if number is not None:
        out.append(("", number))
    return out


def _strip_number(text: str, expected: int) -> tuple[str, int | None]:
    m = _DEADLINE_THEN_NUMBER.match(text)
    if m and int(m["num"]) == expected and _is_deadline(m["deadline"]):
        return m["deadline"].strip(), expected
    return text, None


def _is_deadline(text: str) -> bool:
    """A date-like fragment, or a short one that states a kind of deadline (及时办理, 每半年)."""
    text = text.strip()
    return bool(_DEADLINE.match(text)) or (len(text) <= 8 and deadline_kind(text) is not None)


def _column_widths(lines: list[Line]) -> float:
    """The width that separates content lines from unit lines: midway between the content
    column's width (the commonest line width) and the units column's (the commonest clearly
    narrower one, longer than a task-name line's few characters), or infinity when there is none.

    A units column can be as narrow as seven characters (区文化广电旅游 / 局、各乡镇人民), and the
    content column's lines vary by a character or two, so the two commonest widths may both be
    the content's.
    """
    widths = Counter(round(display_width(l.text)) for l in lines if display_width(l.text) >= 5)
    if not widths:
        return float("inf")
    content = max((w for w in widths if w >= 8), key=lambda w: (widths[w], w), default=None)
    if content is None:
        return float("inf")
    narrower = [w for w in widths if w <= content - 4]
    if not narrower:
        return float("inf")
    units = max(narrower, key=lambda w: (widths[w], w))
    return (units + content) / 2


def parse_flattened(lines: list[Line]) -> list[RawItem]:
    """Items of a flattened PDF table; ``lines`` start at its first header line.

    Header lines repeated on every page (and the lone ``序`` / ``号`` of a wrapped 序号 heading)
    and page numbers are skipped; the table ends at a document tail (a signature, 此件公开发布,
    抄送, 印发, 附件).
    """
    body: list[Line] = []
    table = lines[: tail_start(lines, 1)]
    page_numbers = _page_numbers(table)
    for line in table:
        s = line.stripped
        if not s:
            continue
        if (_TAIL.match(s) or _PRINTED_ON.search(s)) and body:
            break
        if _is_header_line(s) or is_page_number(s) or line.no in page_numbers:
            continue
        body.append(line)
    if len(body) >= 2 and find_issue_date(body[-1:]) and _is_deadline(body[-2].stripped):
        body.pop()  # the signature's date after the last row's deadline cell, no blank line between
    split_width = _column_widths(body)
    deadline_first = _deadline_before_units(lines[0].text) if lines else False

    rows: list[_Row] = []
    expected = 1
    for line in body:
        m = _BARE_NUMBER.match(line.stripped)
        if m and rows and rows[-1].cells[CONTENT] and expected < int(m[1]) <= expected + MAX_SKIPPED_ROWS:
            expected = int(m[1])  # a row number skipped (a row deleted): the count goes on from it
        elif m and rows and rows[-1].state >= UNITS and int(m[1]) == expected - 1:
            expected -= 1  # the number of a finished row printed again by a typo: a row of its own
        for fragment, number in _fragments(line.text, expected):
            if number is not None:
                rows.append(_Row(number, line.no))
                expected = number + 1
                continue
            if not fragment or not rows:
                continue
            _place(rows[-1], fragment, split_width, deadline_first=deadline_first)
    table_rows = [
        [Cell(r.line, [str(r.number)])] + [Cell(r.line, r.cells[k]) for k in range(5)] for r in rows
    ]
    columns = Columns(seq=0, content=3, deadline=5, units={4: "responsible"}, groups=[1, 2])
    if lines and _lead_column_first(lines[0].text):
        # 牵头单位 | 配合单位: the units fragments hold two cells, the lead one first
        for row in table_rows:
            lead, others = split_cells_at_name_break(row[4].lines)
            row[4] = Cell(row[4].line, lead)
            row.append(Cell(row[4].line, others))
        columns = Columns(seq=0, content=3, deadline=5, units={4: "lead", 6: "responsible"}, groups=[1, 2])
    return rows_to_items(table_rows, [], columns=columns)


#: A line holding nothing but a number: a row's number, or a page number.
_BARE_NUMBER = re.compile(r"^(\d{1,3})$")
#: Row numbers a table may skip (a row deleted, a number mistyped) and still count its rows.
MAX_SKIPPED_ROWS = 2


def _is_header_line(text: str) -> bool:
    """A header line repeated on a new page, or the lone 序 / 号 of a wrapped 序号 heading."""
    return is_flattened_header(text) or text in {"序", "号", "序号"}


def _page_numbers(lines: list[Line]) -> set[int]:
    """Line numbers of bare page numbers (``3``) among a flattened table's lines.

    A page number sits where the page ends: between a row's last cell and the header the next
    page repeats, or the next row's number.  A row's own number is followed by its cells.

    >>> from policy_lineage.ingest.raw import to_lines
    >>> sorted(_page_numbers(to_lines("长期坚持\\n\\n3\\n\\n序号 任务 责任单位\\n3\\n推进\\n公开。\\n4\\n4\\n加强")))
    [3, 9]
    """
    filled = [line for line in lines if line.stripped]
    found = set()
    for line, following in zip(filled, filled[1:]):
        if _BARE_NUMBER.match(line.stripped) and (
            _is_header_line(following.stripped) or re.match(r"^\d{1,3}(?:\s|$)", following.stripped)
        ):
            found.add(line.no)
    return found


def _lead_column_first(header: str) -> bool:
    """Whether the header has a 牵头单位 column followed by another units column (配合/责任单位).

    >>> _lead_column_first("序号 工作任务 牵头单位 配合单位 完成时限"), _lead_column_first("序号 任务 责任单位 完成时限")
    (True, False)
    """
    words = [w for w in _HEADER_SPLIT.split(header.strip()) if w]
    lead = next((i for i, w in enumerate(words) if re.search(r"牵头|主责|主办", w)), None)
    return lead is not None and any(_UNITS_HEADER.search(w) for w in words[lead + 1 :])


_DEADLINE_HEADER = re.compile(r"完成时限|完成时间|时间节点|时限要求|工作进度|进度安排|时限")
_UNITS_HEADER = re.compile(r"责任单位|牵头单位|配合单位|责任部门|牵头部门|主责单位")


def _deadline_before_units(header: str) -> bool:
    """Whether the header prints the deadline column before the units column.

    >>> _deadline_before_units("序号 重点任务 完成时限 责任单位"), _deadline_before_units("任务名称 具体内容 责任单位 完成时限")
    (True, False)
    """
    words = [w for w in _HEADER_SPLIT.split(header.strip()) if w]
    d = next((i for i, w in enumerate(words) if _DEADLINE_HEADER.search(w)), None)
    u = next((i for i, w in enumerate(words) if _UNITS_HEADER.search(w)), None)
    return d is not None and u is not None and d < u


def _place(row: _Row, fragment: str, split_width: float, *, deadline_first: bool = False) -> None:
    """Put one fragment into the column the state machine says it belongs to."""
    width = display_width(fragment)
    state = row.state
    continues_deadline = state == DEADLINE and re.match(r"^(?:月|底|\d{1,2}\s*日)", fragment)
    if deadline_first and state in (DEADLINE, UNITS):
        # after the deadline cell only its own continuation (月底前) comes before the units
        new = DEADLINE if state == DEADLINE and (continues_deadline or _is_deadline(fragment)) else UNITS
        row.state = new
        row.cells[new].append(fragment)
        return
    # The deadline is a row's last cell.  Before the content only a whole deadline phrase after a
    # task name counts: a task name opens with such words (持续推进 / 走好网上…, 及时公开 / 本级政府…)
    # or wraps mid-word into one (规范性文 / 件动态更 / 新) — a kind of deadline anywhere in a short
    # fragment is a deadline only once the content has started.
    if state >= CONTENT:
        deadline = _is_deadline(fragment)
    else:
        deadline = bool(row.cells[TITLE]) and bool(_DEADLINE.match(fragment.strip()))
    if deadline or continues_deadline:
        new = DEADLINE
    elif state == DEADLINE:
        new = DEADLINE
    elif state == UNITS:
        new = UNITS
    elif state in (GROUP, TITLE) and width <= 2 and not row.cells[TITLE] and not row.cells[CONTENT]:
        new = GROUP
    elif state in (GROUP, TITLE) and width <= 6.5 and not _SENTENCE_END.search(fragment):
        new = TITLE
    elif state in (GROUP, TITLE):
        new = CONTENT
    else:  # CONTENT: a short fragment after a finished sentence that reads as units starts them
        last = row.cells[CONTENT][-1] if row.cells[CONTENT] else ""
        ends = bool(_SENTENCE_END.search(last))
        # ... or that is as narrow as the units column and no sentence: the content column wraps
        # a sentence at its full width and ends it with 。, while a unit name cut at the column's
        # edge (广安区人力资源 / 社会保障局) need not read as one
        cut_name = split_width != float("inf") and not _SENTENCE_END.search(fragment)
        new = UNITS if width < split_width and ends and (cut_name or unitish(fragment)) else CONTENT
    row.state = max(state, new)
    row.cells[row.state].append(fragment)
