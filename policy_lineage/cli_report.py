"""``lineage report``: the supervisors' report (HTML page, gaps.xlsx, PNG plots) from a built store.

Kept in its own module so the report's options and imports stay out of :mod:`policy_lineage.cli`;
importing this module registers the command on the ``lineage`` group.
"""

from __future__ import annotations

from pathlib import Path

import click

from policy_lineage.cli import _errors_as_one_line, cli
from policy_lineage.graph.store import BACKENDS
from policy_lineage.pipeline import DEFAULT_DB

__all__ = ["report"]


@cli.command()
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder to write into (created).")
@click.option("--db", "db", default=str(DEFAULT_DB), show_default=True, type=click.Path(path_type=Path), help="Embedded database.")
@click.option("--backend", type=click.Choice(BACKENDS), default="ladybug", show_default=True, help="Store to read.")
@click.option("--title", default=None, help="Heading of the report (default 政务公开任务承接情况报告).")
@_errors_as_one_line
def report(out: Path, db: Path, backend: str, title: str | None) -> None:
    """Write a self-contained HTML report, gaps.xlsx and PNG plots into OUT.

    index.html opens from disk with no network request: summary figures, gaps per subordinate
    government (filter by government, unit and status; search), a coverage heatmap and the
    lineage graph of a chosen duty.  gaps.xlsx has one sheet per subordinate government.

    \b
    Example:
      lineage build && lineage report --out report/
    """
    from policy_lineage.errors import StoreError
    from policy_lineage.graph.store import open_store
    from policy_lineage.report import collect, write_report

    if backend == "ladybug" and not Path(db).exists():
        raise StoreError(f"{db}: no database here; run `lineage build` first or pass --db")
    with open_store(backend, db, read_only=True) as store:
        data = collect(store, title=title)
    source = str(db) if backend == "ladybug" else "neo4j"
    paths = write_report(data, out, source=source)
    open_gaps = sum(1 for g in data.gaps if g.get("status") == "gap")
    partial = sum(1 for g in data.gaps if g.get("status") == "partial")
    click.echo(f"report: {paths[0]}  (缺项 gaps {open_gaps}, 部分承接 partial {partial})")
    for p in paths[1:]:
        click.echo(f"        {p}")
