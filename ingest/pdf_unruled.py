"""Task tables a PDF prints without rules: rows rebuilt from where the words stand.

A table drawn without lines comes out of a PDF's text layer one printed line at a time, and a
cell that wraps puts its lines between the lines of its neighbours: the row number, printed in
the middle of its row, shares a line with the third line of the content, the task name's second
line with the deadline's second half (``2023年12月底`` / ``前``).  Read as text, the rows
interleave.  Here a table is read from the words' positions instead:

* **columns** — the x-ranges no word crosses, found by pdfplumber's text strategy on the page
  whose line of column headings (序号, 工作任务, 责任单位, 完成时限 …) shows it is a task table;
  later pages of the same table, which may not repeat the headings, keep those columns;
* **lines** — words grouped by their height on the page; a line with a word that crosses a
  column boundary (the title above, the signature below) is prose, and the table is the run of
  lines from the headings (or the top of a continued page) to the first prose line — except a
  section row (一、深化决策公开…), which runs across the table between two rows;
* **rows** — a row starts where the first column holds a number.  Between two numbers the lines
  are cut where the vertical gap is widest (the padding between rows is wider than the spacing
  inside a cell, whether the number stands at the top of its row or in its middle); lines above
  the first number of a continued page finish the previous page's last row when numbers stand at
  their rows' top (a row Word broke across pages), or when a wider gap sets them apart.

The result has the shape of a ruled table read cell by cell (a list of cells per row) and goes the
same way from there (:func:`policy_lineage.ingest.readers._join_pages`).  A page whose words show
no such table gives ``None``, and its text is read as lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median
from typing import Any, Sequence

from policy_lineage.ingest.tables import is_header_cell, is_section_row
from policy_lineage.ingest.text import is_page_number

__all__ = ["TableColumns", "find_columns", "read_unruled"]

#: Words whose tops differ by less than this (points) stand on one line.
LINE_TOLERANCE = 2.0
#: A word crosses a column boundary when it reaches this far (points) past it on both sides.
CROSSING = 1.0
#: A number cell: the row's printed number.
_ROW_NUMBER = re.compile(r"^\d{1,3}$")


@dataclass
class TableColumns:
    """The x-boundaries of a table's columns (left edge, separators, right edge), and whether its
    row numbers stand at the top of their rows (learnt from the first row under the headings)."""

    edges: tuple[float, ...]
    numbers_at_top: bool = False

    @property
    def count(self) -> int:
        return len(self.edges) - 1

    def column_of(self, word: dict[str, Any]) -> int:
        """The column a word's centre falls in (the nearest one at the margins)."""
        centre = (word["x0"] + word["x1"]) / 2
        for k in range(self.count):
            if centre < self.edges[k + 1]:
                return k
        return self.count - 1

    def crossed_by(self, words: Sequence[dict[str, Any]]) -> bool:
        """Whether a word of a line reaches across a column boundary (the line is prose)."""
        inner = self.edges[1:-1]
        return any(w["x0"] < edge - CROSSING and w["x1"] > edge + CROSSING for w in words for edge in inner)


@dataclass
class _Line:
    top: float
    bottom: float
    words: list[dict[str, Any]]

    @property
    def text(self) -> str:
        return " ".join(w["text"] for w in self.words)


def find_columns(page) -> TableColumns | None:
    """The columns of an unruled task table on ``page``: one whose rows include a line of at
    least two column headings.  pdfplumber's text strategy proposes the columns."""
    for table in page.find_tables({"vertical_strategy": "text", "horizontal_strategy": "text"}):
        rows = table.extract()
        if len(rows) < 2 or max((len(r) for r in rows), default=0) < 3:
            continue
        heading = next((row for row in rows[:3] if sum(is_header_cell(c or "") for c in row) >= 2), None)
        # every heading in a column of its own: two in one cell (序号 工作任务 …) mean the columns
        # were not told apart, and the page is better read as lines
        if heading is not None and all(sum(map(is_header_cell, (c or "").split())) <= 1 for c in heading):
            xs = sorted({round(c[0], 1) for c in table.cells} | {round(c[2], 1) for c in table.cells})
            return TableColumns(tuple(xs))
    return None


def _lines(words: Sequence[dict[str, Any]]) -> list[_Line]:
    lines: list[_Line] = []
    for w in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if lines and abs(w["top"] - lines[-1].top) < LINE_TOLERANCE:
            lines[-1].words.append(w)
            lines[-1].bottom = max(lines[-1].bottom, w["bottom"])
        else:
            lines.append(_Line(w["top"], w["bottom"], [w]))
    for line in lines:
        line.words.sort(key=lambda w: w["x0"])
    return lines


def _cells(line: _Line, columns: TableColumns) -> list[str]:
    cells = [""] * columns.count
    for w in line.words:
        k = columns.column_of(w)
        cells[k] = cells[k] + (" " if cells[k] and w["text"][:1].isascii() and cells[k][-1:].isascii() else "") + w["text"]
    return cells


def _is_heading_line(cells: list[str]) -> bool:
    return sum(is_header_cell(c) for c in cells if c) >= 2


def _gap(lines: list[_Line], k: int) -> float:
    return lines[k].top - lines[k - 1].bottom


def _starts(lines: list[_Line], anchors: list[int], numbers_at_top: bool) -> list[int]:
    """The first line of each row, given the lines of its numbers.

    Between two numbers, rows part at the widest gap when it is clearly wider than every other
    gap there (the padding between rows).  When every gap is alike, the alignment of the
    numbers decides: at the top of its row a number is its row's first line; in the middle, a
    row reaches as far below its number's centre as it starts above it.
    """
    starts = [0]  # the first row takes the lines above its number (see _rows for a continued page)
    for a, b in zip(anchors, anchors[1:]):
        # the widest gap counts when no other gap between the two numbers comes near it: cells
        # of different heights centred in one row leave gaps of their own
        ranked = sorted(range(a + 1, b + 1), key=lambda k: -_gap(lines, k))
        widest = ranked[0]
        runner_up = _gap(lines, ranked[1]) if len(ranked) > 1 else 0.0
        if _gap(lines, widest) > 1.5 * max(runner_up, 0.0) + 0.5:
            starts.append(widest)
        elif numbers_at_top:
            starts.append(b)
        else:
            centre = (lines[a].top + lines[a].bottom) / 2
            end = 2 * centre - lines[starts[-1]].top  # the row's bottom, mirrored from its top
            starts.append(next((k for k in range(a + 1, b + 1) if lines[k].top >= end - 0.5), b))
    return starts


def _rows(lines: list[_Line], columns: TableColumns, continued: bool, numbers_at_top: bool) -> list[list[str]]:
    """Logical rows of the table lines of one page (the heading line, if any, excluded)."""
    anchors = [k for k, line in enumerate(lines) if _ROW_NUMBER.match(_cells(line, columns)[0].strip())]
    if not anchors:
        return []
    starts = _starts(lines, anchors, numbers_at_top)
    rows: list[list[str]] = []
    first = anchors[0]
    if continued and first > 0:
        # lines above the page's first number end the row the page break cut when numbers stand
        # at their rows' top (Word's default); in the middle, they are that row's top half unless
        # a wider gap sets them apart
        gaps = [_gap(lines, k) for k in range(1, len(lines))]
        cut = first if numbers_at_top else max(range(1, first + 1), key=lambda k: gaps[k - 1])
        if numbers_at_top or gaps[cut - 1] > 1.5 * median(gaps):
            rows.append(_merge(lines[:cut], columns, number=False))
            starts[0] = cut
    bounds = [*starts, len(lines)]
    rows += [_merge(lines[s:e], columns, number=True) for s, e in zip(bounds, bounds[1:])]
    return rows


def _merge(lines: list[_Line], columns: TableColumns, *, number: bool) -> list[str]:
    """One row from its lines: each column's fragments joined in reading order."""
    parts: list[list[str]] = [[] for _ in range(columns.count)]
    for line in lines:
        for k, cell in enumerate(_cells(line, columns)):
            if cell:
                parts[k].append(cell)
    cells = ["\n".join(p) for p in parts]
    if not number:
        cells[0] = ""
    return cells


def read_unruled(page, columns: TableColumns, continued: bool) -> list[str | list[str]] | None:
    """A page's lines with its part of an unruled table as rows of cells, or None when the page
    holds no such table.  ``continued``: the table began on an earlier page (its numbers' alignment
    was learnt there: ``columns.numbers_at_top``)."""
    lines = [line for line in _lines(page.extract_words()) if not is_page_number(line.text)]
    start = next((k for k, line in enumerate(lines) if _is_heading_line(_cells(line, columns))), None)
    if start is None:
        if not continued:
            return None
        start = next((k for k, line in enumerate(lines) if not columns.crossed_by(line.words)), None)
        if start is None:
            return None
        heading: list[list[str]] = []
        body_from = start
    else:
        heading = [_cells(lines[start], columns)]
        body_from = start + 1
    def section(line: _Line) -> bool:  # 一、深化决策公开 across the table: inside it, between rows
        return is_section_row(line.text) and not _ROW_NUMBER.match(_cells(line, columns)[0].strip())

    end = next(
        (k for k in range(body_from, len(lines)) if columns.crossed_by(lines[k].words) and not section(lines[k])),
        len(lines),
    )
    body = lines[body_from:end]
    first_row = next((line for line in body if not section(line)), None)
    if heading and first_row is not None:  # the first row under the headings shows where a number stands in its row
        columns.numbers_at_top = bool(_ROW_NUMBER.match(_cells(first_row, columns)[0].strip()))
    rows: list[list[str]] = []
    segment: list[_Line] = []
    cut = continued and not heading  # the page may open with the end of a row the page break cut
    for line in [*body, None]:
        if line is None or section(line):
            rows += _rows(segment, columns, cut, columns.numbers_at_top)
            segment, cut = [], False
            if line is not None:
                rows.append([line.text])
        else:
            segment.append(line)
    if not rows:
        return None
    before = [line.text for line in lines[:start]]
    after = [line.text for line in lines[end:]]
    return [*before, *heading, *rows, *after]
