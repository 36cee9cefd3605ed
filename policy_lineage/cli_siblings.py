"""``lineage siblings``: two peer documents of one cycle side by side (queries/siblings.cypher);
``lineage eval-siblings``: those links against a hand annotation.

Importing this module registers the command on the ``lineage`` group.
"""

from __future__ import annotations

from pathlib import Path

import click

from policy_lineage.cli import _errors_as_one_line, cli, format_option
from policy_lineage.cli_graph import _run, store_options
from policy_lineage.errors import LineageError
from policy_lineage.output import FORMATS, format_rows

__all__ = ["SIBLINGS_COLUMNS", "SIBLINGS_TABLE", "EVAL_SIBLINGS_COLUMNS", "siblings", "eval_siblings", "shorten"]

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


#: ``lineage eval-siblings`` columns.
EVAL_SIBLINGS_COLUMNS = ("method", "doc_a", "doc_b", "precision", "recall", "f1", "tp", "fp", "fn")


@cli.command("eval-siblings")
@click.option("--gold", "gold", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="CSV with columns child_doc, child_seq, parent_doc, parent_seq; ends in either order.")  # fmt: skip
@click.option("--threshold", type=float, default=None,
              help="Decision threshold instead of the default (0.30), to see how sensitive the figures are.")  # fmt: skip
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@format_option(*FORMATS)
@_errors_as_one_line
def eval_siblings(gold: Path, threshold: float | None, paths: tuple[Path, ...], fmt: str) -> None:
    """Precision, recall and F1 of SIBLING_OF links against a hand annotation, beside the baseline.

    PATHS (default: seeds/) are parsed and linked in memory as `lineage build` links peers.  The
    naive baseline (one best character-TF-IDF match per item) runs on the same parse from each
    side of every annotated pair, since siblings have no child and parent.

    \b
    Example:
      lineage eval-siblings --gold tests/gold/siblings.csv
      lineage eval-siblings --gold tests/gold/siblings.csv --threshold 0.33
    """
    from dataclasses import replace

    from policy_lineage.graph.baseline import baseline_links
    from policy_lineage.graph.evaluate import evaluate_siblings, predicted_pairs, read_gold, undirected
    from policy_lineage.graph.model import DocLink, Lineage
    from policy_lineage.graph.siblings import SIBLING_PARAMS, sibling_links
    from policy_lineage.pipeline import discover, parse_documents

    truth = undirected(read_gold(gold))
    if not truth:
        raise LineageError(f"{gold}: gold file has no link rows")
    docs = parse_documents(discover(list(paths) or ["seeds"]))
    by_ref = {d.ref: d for d in docs}
    missing = sorted({ref for t in truth for ref in (t[0], t[2])} - set(by_ref))
    if missing:
        raise LineageError(f"{gold}: names documents not among those read: {', '.join(missing)}")
    params = SIBLING_PARAMS
    if threshold is not None:
        params = replace(SIBLING_PARAMS, threshold=threshold, best_threshold=threshold, candidate_floor=threshold)
    ours = evaluate_siblings(predicted_pairs(docs, Lineage(links=sibling_links(docs, params=params)), "SIBLING_OF"), gold)
    rows = [_eval_row("ours", p) for p in ours.pairs]
    for a, b in sorted({(t[0], t[2]) for t in truth}):
        for x, y in ((a, b), (b, a)):
            base = baseline_links(docs, [DocLink(by_ref[x].doc_id, by_ref[y].doc_id)])
            for p in evaluate_siblings(predicted_pairs(docs, base), gold).pairs:
                side = "doc_a" if x == p.child_doc else "doc_b"
                rows.append(_eval_row(f"baseline: best match per {side} item", p))
    click.echo(format_rows(rows, EVAL_SIBLINGS_COLUMNS, fmt, title="SIBLING_OF against the gold"), nl=False)


def _eval_row(method: str, p) -> dict:
    return {"method": method, "doc_a": p.child_doc, "doc_b": p.parent_doc, "precision": p.precision,
            "recall": p.recall, "f1": p.f1, "tp": p.tp, "fp": p.fp, "fn": p.fn}  # fmt: skip
