"""One way to print rows, for every listing command: table, csv or json.

Contracts other tools rely on (the ``links`` and ``gaps`` CSV columns) are constants passed in
as ``columns``, so a header never drifts from the contract.  JSON output is valid even for zero
rows (``[]``); CSV output always has its header.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Iterable, Sequence

__all__ = ["FORMATS", "format_rows", "cell_text", "table_view"]

FORMATS = ("table", "csv", "json")


def cell_text(value: Any) -> str:
    """A value as one CSV/table cell: lists joined with ``;``, None empty, floats rounded.

    >>> cell_text(["市财政局", "市审计局"]), cell_text(None), cell_text(0.87654)
    ('市财政局;市审计局', '', '0.877')
    """
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ";".join(cell_text(v) for v in value)
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def table_view(rows: Iterable[dict], spec: Sequence[tuple[str, str]], *, max_items: int = 3, width: int = 40) -> list[dict]:
    """Rows for people to read in a terminal: chosen columns under bilingual headers, long
    lists cut to ``max_items`` (with how many more), long texts to ``width`` characters.

    The machine formats (csv, json) keep every contract column; this is only the table's view.

    >>> table_view([{"missing": ["a", "b", "c", "d"], "t": "x" * 50}], [("未承接 missing", "missing"), ("任务 duty", "t")])
    [{'未承接 missing': 'a；b；c；…(+1)', '任务 duty': 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…'}]
    """

    def short(value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            shown = [short(v) for v in value[:max_items]]
            more = f"…(+{len(value) - max_items})" if len(value) > max_items else ""
            return "；".join(map(cell_text, shown)) + ("；" + more if more else "")
        if isinstance(value, str) and len(value) > width:
            return value[: width - 1] + "…"
        return value

    return [{header: short(r.get(key)) for header, key in spec} for r in rows]


def format_rows(rows: Iterable[dict], columns: Sequence[str] | None, fmt: str, *, title: str | None = None) -> str:
    """Render rows as ``table`` (aligned, CJK-aware), ``csv`` or ``json``.

    >>> print(format_rows([{"a": 1, "b": ["x", "y"]}], ["a", "b"], "csv").strip())
    a,b
    1,x;y
    >>> format_rows([], ["a"], "json")
    '[]\\n'
    """
    rows = list(rows)
    if columns is None:
        columns = list(rows[0]) if rows else []
    if fmt == "json":
        return json.dumps([{c: r.get(c) for c in columns} for r in rows], ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        for r in rows:
            writer.writerow([cell_text(r.get(c)) for c in columns])
        return buf.getvalue()
    if fmt == "table":
        return _table(rows, columns, title)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def _table(rows: list[dict], columns: Sequence[str], title: str | None) -> str:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False, header_style="bold")
    for c in columns:
        table.add_column(c, overflow="fold")
    for r in rows:
        table.add_row(*[cell_text(r.get(c)) for c in columns])
    console = Console(file=io.StringIO(), width=200, force_terminal=False, color_system=None)
    console.print(table)
    if not rows:
        console.print("(no rows)")
    return console.file.getvalue()
