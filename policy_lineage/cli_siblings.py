"""``lineage siblings``: two peer documents of one cycle side by side (queries/siblings.cypher).

Importing this module registers the command on the ``lineage`` group.
"""

from __future__ import annotations

from pathlib import Path

import click

from policy_lineage.cli import _errors_as_one_line, cli, format_option
from policy_lineage.cli_graph import _run, store_options
from policy_lineage.errors import LineageError
from policy_lineage.output import format_rows

__all__ = ["SIBLINGS_COLUMNS", "SIBLINGS_TABLE", "siblings", "shorten"]

#: ``--format csv|json`` columns: every column of queries/siblings.cypher.
SIBLINGS_COLUMNS = ("a_doc", "a_seq", "a_text", "b_doc", "b_seq", "b_text", "score", "status", "evidence", "link_id")
#: ``--format table`` columns: the alignment a reader scans.
SIBLINGS_TABLE = ("a_seq", "a_text", "b_seq", "b_text", "score")
#: Characters of item text shown in the table (csv and json keep the whole text).
TABLE_TEXT = 40


def shorten(text: str | None, width: int = TABLE_TEXT) -> str | None:
    """The start of a text for a table cell, marked when cut.

    >>> shorten("推进财政预决算公开", 4), shorten(None), shorten("公开", 4)
    ('推进财政…', None, '公开')
    """
    if text is None or len(text) <= width:
        return text
    return text[:width] + "…"


@cli.command()
@click.argument("doc_a")
@click.argument("doc_b")
@store_options
@format_option("table", "csv", "json")
@_errors_as_one_line
def siblings(doc_a: str, doc_b: str, db: Path, backend: str, fmt: str) -> None:
    """Align the items two peer documents of one cycle share (SIBLING_OF), with the unmatched ones.

    DOC_A and DOC_B are documents as the contracts name them: 文号, else title.  Each row pairs
    an item of DOC_A with one of DOC_B (a merged item appears once per partner) and their score;
    rows with an empty side list the items only one of them has.  Peers are linked while their
    common parent is not in the corpus; once it is, compare them through it (lineage gaps).

    \b
    Example:
      lineage siblings 眉府办函〔2023〕19号 2023年全市政务公开工作要点分工表
    """
    rows = _run(backend, db, "siblings", a=doc_a, b=doc_b)
    for name, side in ((doc_a, "a_seq"), (doc_b, "b_seq")):
        if not any(r[side] is not None for r in rows):
            raise LineageError(f"{name}: no such document with items in the store (give its 文号 or title)")
    if not any(r["a_seq"] is not None and r["b_seq"] is not None for r in rows):
        click.echo(
            f"no SIBLING_OF links between {doc_a} and {doc_b}: not peers of one cycle whose common parent is missing",
            err=True,
        )
    if fmt == "table":
        rows = [{**r, "a_text": shorten(r["a_text"]), "b_text": shorten(r["b_text"])} for r in rows]
        click.echo(format_rows(rows, SIBLINGS_TABLE, fmt, title=f"{doc_a}  ↔  {doc_b}"), nl=False)
    else:
        click.echo(format_rows(rows, SIBLINGS_COLUMNS, fmt), nl=False)
