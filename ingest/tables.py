"""Task tables: cells → rows → items, whatever flattened them.

Three extractions of the same kind of table reach us:

* **tab cells** (Word/web exports): every cell on its own line starting with a tab, a cell's
  further lines without the tab, rows separated by blank lines — except where a blank line falls
  inside a cell, so a row is "as many cells as the table has columns", with blank lines as hints;
* **spaced rows** (``pdftotext -layout`` and some portal copies): one row per line, cells
  separated by two or more spaces;
* **flattened PDF rows** (:mod:`policy_lineage.ingest.flattened`), which rebuilds rows first.

All of them end in :func:`rows_to_items`, which tells the columns apart by what the cells hold
(row numbers, deadlines, lists of units, long task text, short group headings) rather than by
header wording, because headers differ from county to county (完成时限 / 工作进度 / 时间节点) and a
merged header often spans two columns.  Merged cells — an empty group, units or deadline cell
under a filled one — inherit the value above, which is what the merged cell printed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from policy_lineage.ingest.raw import Line, RawItem
from policy_lineage.ingest.text import is_page_number, join_lines

__all__ = [
    "Cell",
    "Row",
    "HEADER_WORDS",
    "is_header_cell",
    "looks_like_deadline",
    "looks_like_units",
    "unitish",
    "TruncatedTable",
    "tab_cells",
    "tab_rows",
    "spaced_rows",
    "rows_to_items",
    "number_by_position_if_grouped",
    "number_repeats_uniquely",
    "number_index",
]

#: Words that only occur in table headers of task tables.
HEADER_WORDS = re.compile(
    r"^(?:序\s*号|编\s*号|工作任务|重点工作任务|重点工作|重点任务|任务名称|具体内容|工作内容|主要内容|"
    r"工作措施|具体措施|任务内容|责任单位|牵头单位|配合单位|责任部门|牵头部门|完成时限|完成时间|"
    r"时间节点|时限要求|工作进度|进度安排|类别|项目|备注|目标任务|条数)$"
)
_SECTION_ROW = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[（(][一二三四五六七八九十]{1,3}[）)])\s*\S")
_SECTION_NUMBER = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[（(][一二三四五六七八九十]{1,3}[）)])\s*")
_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")
_DEADLINE_START = re.compile(
    r"^\s*(?:\d[\d\s]{0,5}年|\d{1,2}\s*月|长期|及时|即时|动态|持续|常态|每年|每季|每月|定期|年底|月底|"
    r"立即|按要求|按时|全年)"
)
_UNIT_END = re.compile(
    r"(?:局|委|办|厅|室|院|中心|政府|部门|单位|办事处|管委会|委员会|街道|镇|乡|处|所|站|队|会|公司|分局|部)"
    r"(?:（单位）|\(单位\))?$"
)


class TruncatedTable(ValueError):
    """A table ends in the middle of a row (the file was cut short)."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


@dataclass
class Cell:
    """One table cell: its text lines and the line number where it starts."""

    line: int
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return join_lines(self.lines)

    @property
    def raw(self) -> str:
        """The cell with its line breaks (units splitting repairs them itself)."""
        return "\n".join(x.strip() for x in self.lines if x.strip())


Row = list[Cell]


def is_section_row(text: str) -> bool:
    """Whether a row is a section heading spanning the table (一、深化决策公开 / （二）…).

    >>> is_section_row("一、深化行政决策公开，促进基层政府决策能力提升"), is_section_row("12")
    (True, False)
    """
    return bool(_SECTION_ROW.match(text))


def is_header_cell(text: str) -> bool:
    """Whether a cell is a column heading of a task table.

    >>> is_header_cell("完成时限"), is_header_cell("序 号"), is_header_cell("2021年底前")
    (True, True, False)
    """
    return bool(HEADER_WORDS.match(text.strip()))


def looks_like_deadline(text: str) -> bool:
    """Whether a cell reads as a deadline (not necessarily one we can date).

    >>> [looks_like_deadline(t) for t in ["2021年底前", "8月31日", "长期坚持", "202 1 年底前", "市财政局"]]
    [True, True, True, True, False]
    """
    text = text.strip()
    return bool(text) and len(text) <= 80 and bool(_DEADLINE_START.match(text))


def looks_like_units(text: str) -> bool:
    """Whether a cell reads as a list of responsible units: most parts end like an agency name.

    >>> looks_like_units("天府新区眉山管委会、各县（区）人民政府，市政务服务管理局加强指导")
    True
    >>> looks_like_units("市生态环境局等相关部门。")
    True
    >>> looks_like_units("探索建立群众参与基层政府有关会议制度。")
    False
    """
    text = re.sub(r"\s+", "", text).rstrip("。.；;")
    if not text or "。" in text:  # a sentence inside: task text, not a list of names
        return False
    parts = [p for p in re.split(r"[、，,；;]", re.sub(r"[（(][^）)]{0,6}[）)]", "", text)) if p]
    parts = [re.sub(r"(?:等.*|加强指导|按各自职责分工推进|牵头|配合)$", "", p) or p for p in parts]
    hits = sum(1 for p in parts if len(p) <= 30 and _UNIT_END.search(p))
    return hits >= max(1, 0.6 * len(parts))


_UNIT_START = re.compile(
    r"^(?:市|省|区|县|各|天府|（区）|\(区\)"
    r"|[\u4e00-\u9fff]{2,4}[市县区]、"
    r"|[\u4e00-\u9fff]{2,10}(?:厅|局|委|办公室|中心)(?:[、，,等]|$))"
)
_AGENCY_WORD = re.compile(r"局|委|办|厅|中心|政府|部门|单位|管委|[县区市]、")


def unitish(fragment: str) -> bool:
    """Whether a fragment of a broken line reads as (the start of) a list of units.

    Used where a flattened table lost its cell boundaries: the NLP pipeline's agency and region
    spans decide (:func:`policy_lineage.ingest.nlp.agency_coverage`), with a pattern for the
    common starts of unit lists as a second opinion.

    >>> unitish("市人力资源社会保障局、市"), unitish("仁寿县、东坡区、青神县人")
    (True, True)
    >>> unitish("财政厅等省直有关部门(单位),各市"), unitish("及支持政策公开")
    (True, False)
    """
    fragment = fragment.strip()
    if _agency_coverage(fragment) >= 0.5:
        return True
    return bool(_UNIT_START.match(fragment)) and bool(_AGENCY_WORD.search(fragment))


def _agency_coverage(fragment: str) -> float:
    try:
        from policy_lineage.ingest.nlp import agency_coverage
    except ImportError:  # the NLP module is optional while the package is being assembled
        return 0.0
    return agency_coverage(fragment)


# --------------------------------------------------------------------------- tab cells


def tab_cells(lines: list[Line]) -> list[Cell | None]:
    """Cells of a tab-cell table, with ``None`` marking each blank line (a row-boundary hint).

    A line starting with a tab opens a cell; a non-blank line without one continues the cell
    above (a cell of several lines, e.g. ``2021年底前`` / ``建立制度``).  A tab-led line holding
    more tabs is a whole row (an HTML or Word export that keeps rows on one line).
    """
    out: list[Cell | None] = []
    current: Cell | None = None
    row_per_line = sum("\t" in line.text[1:].rstrip("\t ") for line in lines if line.text.startswith("\t")) >= 3
    for line in lines:
        if line.text.startswith("\t") and row_per_line:
            # one row per line, cells split by tabs (empty cells kept: merged cells)
            cells = [Cell(line.no, [text]) for text in line.text[1:].rstrip(" ").split("\t")]
            out.extend(cells + [None])
            current = cells[-1]
        elif line.text.startswith("\t"):
            current = Cell(line.no, [line.text[1:].replace("\t", " ")])
            out.append(current)
        elif not line.stripped or is_page_number(line.text):  # a page footer ends a row too
            out.append(None)
            current = None
        elif current is not None:
            current.lines.append(line.text)
        else:  # a bare line between rows: a cell whose tab the export lost
            current = Cell(line.no, [line.text])
            out.append(current)
    return out


def tab_rows(cells: list[Cell | None]) -> tuple[list[str], list[Row]]:
    """Header and rows of a tab-cell table.

    The row width is the most common size of the blank-separated groups; a shorter group is
    joined with the following ones until the row is full (a blank line fell inside the row);
    a single cell that reads as a section heading (``二、…``) is its own row.
    """
    groups: list[list[Cell]] = [[]]
    for c in cells:
        if c is None:
            if groups[-1]:
                groups.append([])
        else:
            groups[-1].append(c)
    groups = [g for g in groups if g]
    header: list[str] = []
    if groups and sum(is_header_cell(c.text) for c in groups[0]) >= max(2, len(groups[0]) // 2):
        header = [c.text for c in groups.pop(0)]
        while groups and len(groups[0]) == len(header) and _sub_header(groups[0]):
            # a two-row header (责任单位 over 牵头单位 | 配合单位): the lower row names the columns
            header = [c.text or h for h, c in zip(header, groups.pop(0))]
    sizes = Counter(len(g) for g in groups if len(g) >= 3)
    if not sizes:
        return header, []
    width = sizes.most_common(1)[0][0]
    rows: list[Row] = []
    pending: list[Cell] = []
    for g in groups:
        if not pending and len(g) == 1 and _SECTION_ROW.match(g[0].text):
            rows.append(g)
            continue
        pending.extend(g)
        while len(pending) >= width:
            rows.append(pending[:width])
            pending = pending[width:]
    if pending:
        raise TruncatedTable(f"its last row has {len(pending)} of {width} cells", pending[0].line)
    return header, rows


def _sub_header(cells: list[Cell]) -> bool:
    filled = [c.text for c in cells if c.text.strip()]
    return bool(filled) and all(is_header_cell(t) for t in filled)


# --------------------------------------------------------------------------- spaced rows

_SPACED_SPLIT = re.compile(r"[^\S\t\n]{2,}")


def _split_row_line(text: str) -> list[str]:
    """Cells of a one-row line: every tab or Markdown pipe separates (an empty cell between two
    is a merged cell and is kept); otherwise a gap of two or more spaces, ASCII or full-width.

    >>> _split_row_line("| 1 | 公开目录 |  | 长期坚持 |"), _split_row_line("1　　公开目录　　长期坚持")
    (['1', '公开目录', '', '长期坚持'], ['1', '公开目录', '长期坚持'])
    """
    if "\t" in text.strip():  # a tab-led row keeps its empty first cells (merged from above)
        text = text.rstrip(" \r\n\u3000")
        return [p.strip() for p in (text[1:] if text.startswith("\t") else text.strip()).split("\t")]
    text = text.strip()
    if text.startswith("|") and text.endswith("|") and len(text) > 1:
        return [p.strip() for p in text[1:-1].split("|")]
    return [p for p in _SPACED_SPLIT.split(text) if p.strip()]


def spaced_rows(lines: list[Line]) -> tuple[list[str], list[Row]]:
    """Header and rows of a table printed one row per line with cells split by 2+ spaces."""
    header: list[str] = []
    rows: list[Row] = []
    for line in lines:
        parts = _split_row_line(line.text)
        if not any(parts):
            continue
        if not rows and header and len(parts) == len(header) and all(is_header_cell(p) for p in parts if p):
            header = [p or h for h, p in zip(header, parts)]  # a second header row names the columns
            continue
        if not rows and sum(is_header_cell(p) for p in parts) >= 2:
            header = parts
            continue
        if len(parts) == 1 and _SECTION_ROW.match(parts[0]):
            rows.append([Cell(line.no, [parts[0]])])
        elif len(parts) >= 2 and number_index(parts) is not None:
            rows.append([Cell(line.no, [p]) for p in parts])
    return header, _fit_width(_align_numbers(rows))


def number_index(cells: list[str]) -> int | None:
    """Where a row's number is: its first cell, or its second after a group cell (类别 | 序号 | …).

    >>> number_index(["1", "公开目录"]), number_index(["决策公开", "2", "公开目录"]), number_index(["", "3", "x"])
    (0, 1, 1)
    >>> number_index(["一、决策公开"]) is None
    True
    """
    if cells and _NUMBER.match(cells[0]):
        return 0
    if len(cells) >= 3 and _NUMBER.match(cells[1]) and not _NUMBER.match(cells[2]):
        return 1
    return None


def _align_numbers(rows: list[Row]) -> list[Row]:
    """Put every row's number in the same column: a row whose group cell was printed only once
    (merged) and lost its place when spaces, not tabs, split the cells gets an empty one."""
    at = Counter(number_index([c.text for c in r]) for r in rows if len(r) > 1)
    if not at:
        return rows
    column = at.most_common(1)[0][0]
    out = []
    for r in rows:
        k = number_index([c.text for c in r]) if len(r) > 1 else None
        pad = [Cell(r[0].line, [""]) for _ in range(column - k)] if k is not None and k < column else []
        out.append(pad + r)
    return out


def _fit_width(rows: list[Row]) -> list[Row]:
    """Rows wider than most: a cell printed in two pieces (``2021年底前   建立制度``) is joined.

    The piece joined onto the cell before it is the shortest one that reads neither as units
    nor as a deadline, which is how a wrapped 工作进度 or task cell looks once the gap is wide.
    """
    widths = Counter(len(r) for r in rows if len(r) > 1)
    if not widths:
        return rows
    width = widths.most_common(1)[0][0]
    for row in rows:
        while len(row) > width:
            candidates = [
                j for j in range(2, len(row))
                if not looks_like_units(row[j].text) and not looks_like_deadline(row[j].text)
            ]
            if not candidates:
                break
            j = min(candidates, key=lambda k: len(row[k].text))
            row[j - 1].lines.extend(row[j].lines)
            del row[j]
    return rows


# --------------------------------------------------------------------------- rows → items


@dataclass
class Columns:
    """Which column holds what, by index (``None`` where the table has no such column)."""

    seq: int | None
    content: int
    deadline: int | None
    units: dict[int, str]
    groups: list[int]


def _share(cells: list[str], test) -> float:
    filled = [c for c in cells if c.strip()]
    return sum(1 for c in filled if test(c)) / len(filled) if filled else 0.0


_LEAD_HEADER = re.compile(r"牵头|主责|主办|负总责")


def classify_columns(rows: list[Row], header: list[str]) -> Columns:
    """Tell the columns of a task table apart by what their cells hold.

    The number column holds small integers; the deadline column reads as deadlines; unit columns
    read as lists of agency names (a header saying 牵头 makes that column ``lead``); the content
    column is the remaining one with the longest text; columns left of it are group headings,
    outermost first.
    """
    width = Counter(len(r) for r in rows if len(r) > 1).most_common(1)[0][0]
    columns = [[r[j].text if j < len(r) else "" for r in rows if len(r) == width] for j in range(width)]
    seq = next((j for j in range(min(2, width)) if _share(columns[j], _NUMBER.match) >= 0.6), None)
    rest = [j for j in range(width) if j != seq]
    deadline_scores = {j: _share(columns[j], looks_like_deadline) for j in rest}
    deadline = max(deadline_scores, key=deadline_scores.get) if deadline_scores else None
    if deadline is not None and deadline_scores[deadline] < 0.5:
        deadline = None
    rest = [j for j in rest if j != deadline]
    named = dict(zip(range(width - len(header), width), header)) if 0 < len(header) <= width else {}
    units = {}
    for j in rest:
        if _share(columns[j], looks_like_units) >= 0.5:
            units[j] = "lead" if _LEAD_HEADER.search(named.get(j, "")) else "responsible"
    rest = [j for j in rest if j not in units]
    if not rest and len(units) > 1:  # the task column's phrases happened to end like agencies
        longest = max(units, key=lambda j: sum(len(c) for c in columns[j]))
        del units[longest]
        rest = [longest]
    if not rest:
        raise ValueError("no column holds task text")
    mean_len = {j: sum(len(c) for c in columns[j]) / max(1, sum(1 for c in columns[j] if c)) for j in rest}
    content = max(rest, key=lambda j: (mean_len[j], j))
    groups = [j for j in rest if j < content]
    return Columns(seq, content, deadline, units, groups)


def rows_to_items(
    rows: list[Row],
    header: list[str],
    *,
    section: list[str] | None = None,
    columns: Columns | None = None,
) -> list[RawItem]:
    """Items from table rows: section rows set the path, merged cells inherit from above.

    Every row with task text becomes an item.  Printed numbers are kept when they count the rows
    (1, 2, 3 …); where they number only groups (1, 1, 2 …) an item's number is ``None`` and the
    enricher numbers items by position.
    """
    data = [r for r in rows if len(r) > 1]
    if not data:
        return []
    cols = columns or classify_columns(data, header)
    path = list(section or [])
    heads: dict[int, str] = {}  # 0: 一、 rows, 1: （一） rows nested under them
    previous: dict[int, str] = {}
    raw_previous: dict[int, str] = {}
    items: list[RawItem] = []
    for row in rows:
        if len(row) == 1:
            level = 1 if re.match(r"^\s*[（(]", row[0].text) else 0
            heads = {k: v for k, v in heads.items() if k < level} | {level: _SECTION_NUMBER.sub("", row[0].text)}
            path = list(section or []) + [heads[k] for k in sorted(heads)]
            previous = {}
            continue
        texts = {j: (row[j].text if j < len(row) else "") for j in range(max(len(row), 1 + max([cols.content, *cols.units, cols.deadline or 0]))) }
        raws = {j: (row[j].raw if j < len(row) else "") for j in texts}
        for j in cols.groups + list(cols.units) + ([cols.deadline] if cols.deadline is not None else []):
            if not texts.get(j):
                texts[j] = previous.get(j, "")
                raws[j] = raw_previous.get(j, "")
        previous = {j: texts[j] for j in cols.groups + list(cols.units) + ([cols.deadline] if cols.deadline is not None else [])}
        raw_previous = {j: raws[j] for j in previous}
        if cols.seq is not None and texts.get(cols.seq, "").strip() and not _NUMBER.match(texts[cols.seq]):
            continue  # a header row repeated inside the table
        content = texts.get(cols.content, "")
        if not content or is_header_cell(content):
            continue
        number_text = texts.get(cols.seq, "") if cols.seq is not None else ""
        group_values = [texts[j] for j in cols.groups if texts.get(j)]
        items.append(
            RawItem(
                number=int(number_text) if _NUMBER.match(number_text or "") else None,
                label=number_text.strip(),
                text=content,
                line=row[cols.content].line if cols.content < len(row) else row[0].line,
                section=path + group_values,
                title=group_values[-1] if group_values else None,
                units={("cell" if role == "responsible" else role): raws[j] for j, role in cols.units.items() if raws.get(j)},
                deadline=texts.get(cols.deadline) if cols.deadline is not None else None,
            )
        )
    number_by_position_if_grouped(items)
    return items


def number_by_position_if_grouped(items: list[RawItem]) -> None:
    """Drop printed numbers that do not count the items one by one (they number groups).

    Numbers restart (1. 2. under each heading) or repeat row after row (1, 1, 2 in a table
    whose merged 序号 cell spans rows): those number groups.  A plan that skips a number or
    repeats one by a typo (10, 11, 11, 13) still counts its items, and keeps them as printed.

    >>> from policy_lineage.ingest.raw import RawItem
    >>> def numbers(ns):
    ...     items = [RawItem(n, str(n), "x", k) for k, n in enumerate(ns)]
    ...     number_by_position_if_grouped(items)
    ...     return [it.number for it in items]
    >>> numbers([1, 2, 3, 3, 5, 6, 7]), numbers([1, 2, 1, 2, 3, 1]), numbers([1, 1, 2, 2, 3, 3])
    ([1, 2, 3, 3, 5, 6, 7], [None, None, None, None, None, None], [None, None, None, None, None, None])
    """
    numbers = [it.number for it in items]
    if not numbers:  # a table cut off before its first complete row
        return
    if None in numbers or numbers != list(range(numbers[0], numbers[0] + len(numbers))):
        if len(set(n for n in numbers if n is not None)) < len(items) and _numbers_groups(numbers):
            for it in items:
                it.extra["group_number"] = it.label
                it.number = None


def number_repeats_uniquely(items: list[RawItem]) -> None:
    """Give a number printed twice by a typo a number of its own: an item's number is its id.

    The repeat is read as the number the count skipped (10, 11, 11, 13: the second 11 is 12,
    its label still says 11) when that number is free; otherwise the items are numbered by
    position, as for group numbers, the printed labels kept.

    >>> from policy_lineage.ingest.raw import RawItem
    >>> def numbers(ns):
    ...     items = [RawItem(n, str(n), "x", k) for k, n in enumerate(ns)]
    ...     number_repeats_uniquely(items)
    ...     return [(it.number, it.label) for it in items]
    >>> numbers([10, 11, 11, 13])
    [(10, '10'), (11, '11'), (12, '11'), (13, '13')]
    >>> numbers([1, 2, 2, 3])
    [(None, '1'), (None, '2'), (None, '2'), (None, '3')]
    """
    used = {it.number for it in items if it.number is not None}
    seen: set[int] = set()
    for k, it in enumerate(items):
        if it.number is None:
            continue
        if it.number not in seen:
            seen.add(it.number)
            continue
        guess = (items[k - 1].number or 0) + 1
        if guess in used:
            for other in items:
                other.extra.setdefault("group_number", other.label)
                other.number = None
            return
        it.extra["printed_number"] = it.label
        it.number = guess
        used.add(guess)
        seen.add(guess)


#: Irregular steps (a skipped or repeated number) a count of items may have and still count them.
MAX_IRREGULAR_STEPS = 2


def _numbers_groups(numbers: list[int | None]) -> bool:
    """Whether printed numbers restart or repeat too often to count items one by one."""
    if None in numbers:
        return True
    steps = list(zip(numbers, numbers[1:]))
    if any(b < a and b == 1 for a, b in steps):  # a restart under a new heading
        return True
    return sum(1 for a, b in steps if b != a + 1) > MAX_IRREGULAR_STEPS
