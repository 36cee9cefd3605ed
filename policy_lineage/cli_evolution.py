"""``lineage evolution`` and ``lineage citations``: lineage across cycles and by 文号.

``evolution`` shows one item's line of duty across years (``EVOLVES_FROM`` both ways, see
:mod:`policy_lineage.graph.evolution`) with what changed on each step; ``citations`` lists which
documents cite which, stubs (cited, not ingested) marked.  Importing this module registers both
commands on the ``lineage`` group.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import click

from policy_lineage.cli import _errors_as_one_line, cli, format_option
from policy_lineage.cli_graph import _echo_rows, _run, store_options
from policy_lineage.errors import QueryError
from policy_lineage.output import FORMATS

__all__ = ["EVOLUTION_COLUMNS", "CITATIONS_COLUMNS", "normalise_ref", "evolution", "citations"]

EVOLUTION_COLUMNS = (
    "direction", "later_region", "later_year", "later_doc", "later_seq", "later_text",
    "earlier_region", "earlier_year", "earlier_doc", "earlier_seq", "earlier_text",
    "score", "status", "evidence", "changes", "link_id",
)  # fmt: skip
#: the terminal table: both ends by ref, what changed
EVOLUTION_TABLE = ("direction", "later_ref", "later_text", "earlier_ref", "earlier_text", "score", "changes")
CITATIONS_COLUMNS = (
    "citing_doc", "citing_region", "citing_year", "cited_doc", "cited_title", "stub", "cited_region", "cited_year", "link_id",
)  # fmt: skip

_BRACKETS = re.compile(r"[\s〔〕\[\]［］【】（）()﹝﹞]")


def normalise_ref(ref: str) -> str:
    """A document or item ref with its 文号 in the stored form, whatever brackets were typed.

    Only a part that *is* a 文号 is rewritten; a title is left as it is.

    >>> normalise_ref("眉府办函(2023) 19号#44"), normalise_ref("川办函[2022]89号")
    ('眉府办函〔2023〕19号#44', '川办函〔2022〕89号')
    >>> normalise_ref("2023年全市政务公开工作要点分工表#38")
    '2023年全市政务公开工作要点分工表#38'
    """
    from policy_lineage.ingest.docno import normalise_doc_no

    doc, sep, seq = ref.rpartition("#") if re.search(r"#\d+$", ref) else (ref, "", "")
    normal = normalise_doc_no(doc)
    if _BRACKETS.sub("", normal) == _BRACKETS.sub("", doc):
        doc = normal
    return f"{doc}{sep}{seq}"


def _readable(row: dict[str, Any], fmt: str) -> dict[str, Any]:
    """The stored JSON ``changes`` as one line (table, csv) or as an object (json)."""
    from policy_lineage.graph.changes import Changes

    raw = row.get("changes")
    out = dict(row)
    if fmt == "json":
        out["changes"] = json.loads(raw) if raw else None
    else:
        out["changes"] = Changes.from_json(raw).summary() if raw else ""
    return out


@cli.command()
@click.argument("ref")
@store_options
@format_option(*FORMATS)
@_errors_as_one_line
def evolution(ref: str, db: Path, backend: str, fmt: str) -> None:
    """One item's line of duty across cycles, with what changed at each step.

    REF names an item as <文号 or title>#<seq> or by its id.  Rows are EVOLVES_FROM links on the
    chains through the item: 'earlier' rows lead back to the duties it continues, 'later' rows
    forward to the items that continue it.  changes: deadline (时限), quantitative targets (指标:
    不低于25% → 全覆盖) and units added or removed (单位 +/−).

    \b
    Example:
      lineage evolution 眉府办函〔2023〕19号#44
      lineage evolution 川办发〔2021〕16号#19 --format json
    """
    item = normalise_ref(ref)
    if not _run(backend, db, "trace_down", item=item):  # depth 0 is the item itself, when it exists
        raise QueryError(f"no item {ref!r} in the store; name it as <文号 or title>#<seq>, e.g. 川办发〔2021〕16号#18")
    rows = [_readable(r, fmt) for r in _run(backend, db, "evolution", item=item)]
    if not rows and fmt == "table":
        click.echo(f"{item}: no EVOLVES_FROM link (no earlier or later cycle of this duty in the store)")
        return
    if fmt == "table":
        _echo_rows(rows, EVOLUTION_TABLE, fmt, title=f"⟲ {item}")
    else:
        _echo_rows(rows, EVOLUTION_COLUMNS, fmt)


@cli.command()
@click.argument("doc", required=False)
@store_options
@format_option(*FORMATS)
@_errors_as_one_line
def citations(doc: str | None, db: Path, backend: str, fmt: str) -> None:
    """Which documents cite which, by 文号; stub = cited but not ingested.

    DOC (文号 in any bracket form, title or id) keeps the citations it makes or receives.  A stub
    keeps the title the citing text gives it and becomes the real document once a document with
    that 文号 is built in.

    \b
    Example:
      lineage citations
      lineage citations 川办函[2022]89号 --format csv
    """
    rows = _run(backend, db, "citations", doc=normalise_ref(doc) if doc else None)
    _echo_rows(rows, CITATIONS_COLUMNS, fmt)
