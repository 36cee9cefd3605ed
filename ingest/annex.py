"""Annex tables: responsibilities assigned to numbered items, and other tables kept as data.

A provincial arrangement often states its duties in prose and assigns them in an annex
(附件: 重点工作责任分工表): one row per duty number, a short title and the responsible units.  Those
units belong to the prose items with the same numbers.  The annex titles are not always the
prose titles (深化清理整合 in the prose, 深化政务新媒体清理整合 in the annex), so rows are matched by
number and the title/units boundary is found where unit names begin.

Other annexes (a county's 目标任务条数 per unit) are not task lists; they are kept as
:class:`~policy_lineage.graph.model.AnnexTable` data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policy_lineage.ingest.flattened import is_flattened_header
from policy_lineage.ingest.raw import Line
from policy_lineage.ingest.tables import is_header_cell, unitish
from policy_lineage.ingest.text import is_page_number, join_lines, repair_spacing

__all__ = ["AssignmentRow", "parse_assignment_annex", "parse_data_annex", "split_annexes"]

_ANNEX_HEADING = re.compile(
    r"^\s*(?:#{1,6}\s*)?附\s*件\s*\d*\s*(?:[:：]\s*(?P<title>.*)|(?<=\d)\s*(?P<named>[\u4e00-\u9fff《“].*))?$"
)


@dataclass
class AssignmentRow:
    """One annex row: the duty number, the title as printed, and the units cell (raw lines)."""

    number: int
    title: str
    units: str
    line: int


def split_annexes(lines: list[Line]) -> list[tuple[str, list[Line]]]:
    """Cut the annex part of a document into (title, lines) per annex.

    The part starts at the first ``附件`` heading; a heading that only repeats the announcement
    (``附件: 重点工作责任分工表`` followed by ``附件`` and the title again) does not open a second
    annex.
    """
    annexes: list[tuple[str, list[Line]]] = []
    for line in lines:
        m = _ANNEX_HEADING.match(line.text)
        if m:
            title = repair_spacing(m["title"] or m["named"] or "")
            if annexes and not any(x.stripped for x in annexes[-1][1]) and (not title or not annexes[-1][0]):
                annexes[-1] = (annexes[-1][0] or title, [])
                continue
            annexes.append((title, []))
            continue
        if annexes:
            empty = not any(x.stripped for x in annexes[-1][1])
            if not annexes[-1][0] and line.stripped and empty:
                annexes[-1] = (repair_spacing(line.stripped.lstrip("# ")), [])
                continue
            if annexes[-1][0] and repair_spacing(line.stripped.lstrip("# ")) == annexes[-1][0] and empty:
                continue
            annexes[-1][1].append(line)
    return annexes


def parse_assignment_annex(lines: list[Line]) -> list[AssignmentRow]:
    """Rows of a 序号 / 重点工作 / 责任单位 annex flattened by PDF extraction.

    A row starts at a line beginning with the next expected number.  Its title runs until the
    first fragment that reads as unit names, on the same line after a space or on a later line;
    everything after that is the units cell.  Header repeats and page numbers are skipped.
    """
    rows: list[AssignmentRow] = []
    current: list[Line] = []
    expected = 1

    def close() -> None:
        if current:
            rows.append(_split_row(expected - 1, current))

    for line in lines:
        s = line.stripped
        if not s or is_page_number(s, bare=False) or is_flattened_header(s):
            continue
        m = re.match(r"^(\d{1,3})(?:\s+(.*))?$", s)
        if m and int(m.group(1)) == expected:
            close()
            current = [Line(line.no, m.group(2) or "")]
            expected += 1
        elif current:
            current.append(line)
    close()
    return rows


def _split_row(number: int, lines: list[Line]) -> AssignmentRow:
    title_parts: list[str] = []
    unit_lines: list[str] = []
    for line in lines:
        s = line.stripped
        if unit_lines:
            unit_lines.append(s)
            continue
        pieces = s.split()
        for k, piece in enumerate(pieces):
            if title_parts and unitish(piece):
                unit_lines.append(" ".join(pieces[k:]))
                break
            title_parts.append(piece)
    return AssignmentRow(number, join_lines(title_parts), "\n".join(unit_lines), lines[0].no)


def parse_data_annex(lines: list[Line]) -> tuple[list[str], list[dict[str, str]]]:
    """A table whose cells are separated by tabs inside lines, possibly in repeated column blocks.

    ``单位 | 目标任务 | 单位 | 目标任务`` prints one logical table three times side by side; it is
    folded back to one column pair.  A second header line (``| 条数 | | 条数``) completes the column
    names.  Rows whose first cell starts with 合计 / 总计 are totals and are returned with the key
    ``total``.

    Returns (columns, rows); rows map column names to cell text.
    """
    table = [[c.strip() for c in line.text.split("\t")] for line in lines if "\t" in line.text.strip("\t ") or line.text.count("\t") >= 2]
    if not table:
        return [], []
    header = table[0]
    body = table[1:]
    while body and all(not c or is_header_cell(c) for c in body[0]):
        header = [a + b for a, b in zip(header, body[0] + [""] * (len(header) - len(body[0])))]
        body = body[1:]
    period = _period([re.sub(r"条数$", "", h) for h in header])
    columns = [h for h in header[:period]]
    rows: list[dict[str, str]] = []
    for cells in body:
        for start in range(0, len(cells), period):
            block = cells[start : start + period]
            if not any(block):
                continue
            if re.match(r"^(合计|总计)", block[0]):
                rows.append({"total": re.sub(r"^(合计|总计)\s*[:：]?\s*", "", block[0])})
                continue
            rows.append(dict(zip(columns, block + [""] * (period - len(block)))))
    return columns, rows


def _period(header: list[str]) -> int:
    """The smallest p such that the header repeats every p columns."""
    n = len(header)
    for p in range(1, n):
        if n % p == 0 and all(header[i] == header[i % p] for i in range(n)):
            return p
    return n
