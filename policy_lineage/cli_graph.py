"""The graph commands of ``lineage``: build, links, gaps, trace, coverage, query, export.

Each command parses its options, opens the store (``--db`` and ``--backend``, the same on every
command), runs one library function or named query, and prints rows with
:func:`policy_lineage.output.format_rows`.  Importing this module registers the commands on the
``lineage`` group.
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import Any

import click

from policy_lineage.cli import _errors_as_one_line, cli, format_option
from policy_lineage.errors import LineageError, ParseError, QueryError
from policy_lineage.graph.store import BACKENDS
from policy_lineage.output import FORMATS, format_rows, table_view
from policy_lineage.pipeline import DEFAULT_DB

__all__ = ["LINKS_COLUMNS", "GAPS_COLUMNS", "build", "links", "gaps", "trace", "coverage", "query", "export", "parse_param"]

#: ``lineage links --format csv`` columns (DESIGN.md contract).
LINKS_COLUMNS = (
    "link_id", "child_region", "child_year", "child_doc", "child_seq", "parent_region", "parent_year",
    "parent_doc", "parent_seq", "relation", "score", "status", "evidence",
)  # fmt: skip
#: ``lineage gaps --format csv`` columns (DESIGN.md contract).
GAPS_COLUMNS = (
    "parent_region", "parent_year", "parent_doc", "parent_seq", "parent_title", "child_region", "child_doc",
    "status", "missing", "best_candidate_seq", "best_score", "responsible",
)  # fmt: skip
#: Plans inferred from peers whose common parent is missing (graph/inferred.py): their duties
#: are hypotheses, so ``lineage gaps --fail-on-gap`` reports their gaps without failing on them.
INFERRED_PLANS = "MATCH (d:Document) WHERE d.inferred = true RETURN d.ref AS ref"
#: ``lineage gaps`` as a terminal table: what a supervisor reads first, under bilingual headers.
GAPS_TABLE_VIEW = (
    ("上级文件 parent", "parent_doc"), ("序号 seq", "parent_seq"), ("任务 duty", "parent_title"),
    ("下级 child", "child_region"), ("状态 status", "status"), ("未承接 missing", "missing"),
    ("最近候选 best", "best_candidate_seq"), ("责任单位 responsible", "responsible"),
)  # fmt: skip
COVERAGE_COLUMNS = (
    "parent_region", "parent_doc", "parent_seq", "parent_title", "child_region", "child_doc", "status",
    "implemented_by", "clauses_carried", "clauses",
)  # fmt: skip
TRACE_COLUMNS = ("depth", "region", "level", "year", "doc", "seq", "text", "units")
ITEM_LINK_RELATIONS = ("IMPLEMENTS", "SIBLING_OF", "EVOLVES_FROM")
#: ``lineage links --relation``: the item links, and CITES between documents (seq columns empty)
LINK_RELATIONS = (*ITEM_LINK_RELATIONS, "CITES")


def store_options(func):
    """``--db`` and ``--backend``, the same on every command that opens the store."""

    @click.option(
        "--db",
        "db",
        default=str(DEFAULT_DB),
        show_default=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="Embedded database file (ignored by --backend neo4j, which reads NEO4J_URI).",
    )
    @click.option("--backend", type=click.Choice(BACKENDS), default="ladybug", show_default=True, help="Graph store.")
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)

    return wrapper


def _open(backend: str, db: Path, *, read_only: bool = True):
    from policy_lineage.graph.store import open_store

    return open_store(backend, db, read_only=read_only)


def _run(backend: str, db: Path, name: str, **params: Any) -> list[dict[str, Any]]:
    from policy_lineage.queries.runner import run_query

    with _open(backend, db) as store:
        return run_query(store, name, **params)


def _echo_rows(rows: list[dict[str, Any]], columns, fmt: str, title: str | None = None) -> None:
    click.echo(format_rows(rows, columns, fmt, title=title), nl=False)


# --------------------------------------------------------------------------- build


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@store_options
@click.option(
    "--fresh", "--no-cache", "fresh", is_flag=True,
    help="Re-parse and re-link everything, ignoring the caches in the workspace beside --db (they are refreshed).",
)  # fmt: skip
@_errors_as_one_line
def build(paths: tuple[Path, ...], db: Path, backend: str, fresh: bool) -> None:
    """Ingest documents, link them across levels and load the graph into the store.

    PATHS are files or folders (default: seeds/).  Every file is parsed before anything is
    written: one bad file stops the build with its name and reason, and the store keeps its
    previous content.  Human decisions in curation.toml beside the database are re-applied.
    Parses and document-pair links are cached in the workspace beside the database
    (graph.workspace/), so a rebuild redoes only what changed; --fresh redoes everything.

    \b
    Example:
      lineage build seeds/ --db .lineage/graph.lbdb
    """
    from policy_lineage.pipeline import build as run_build
    from policy_lineage.workspace import Workspace

    workspace = Workspace.for_db(db, fresh=fresh)
    report = with_progress(run_build, list(paths) or ["seeds"], db, backend=backend, workspace=workspace)
    gap_rows = _run(backend, db, "gaps")
    click.echo(build_summary(report, gap_rows, db if backend == "ladybug" else "neo4j"))


def with_progress(run, *args, **kwargs):
    """Run a pipeline step (build, add, remove) with progress bars on stderr; cache warnings after."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    labels = {"parse": "解析 parse", "link": "关联 link", "load": "入库 load"}
    console = Console(stderr=True)
    try:
        with Progress(
            TextColumn("{task.description:<12}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=console, transient=True,
        ) as bar:  # fmt: skip
            tasks: dict[str, Any] = {}

            def progress(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(labels.get(stage, stage), total=total)
                bar.update(tasks[stage], completed=done, total=total)

            return run(*args, progress=progress, **kwargs)
    except ParseError as e:  # the batch stopped before the store: say so, and what to do
        raise ParseError(e.file, f"{e.reason}; nothing was ingested and the store is unchanged: fix or remove the file and run again", e.line) from e
    finally:
        for line in getattr(kwargs.get("workspace"), "warnings", []):
            click.echo(f"warning: {line}", err=True)


def build_summary(report, gap_rows: list[dict[str, Any]], where) -> str:
    """The lines ``lineage build`` prints: what went in, what came out, how long it took."""
    counts = report.counts
    by_relation = "   ".join(
        f"{r} {sum(1 for link in report.lineage.links if link.relation == r)}" for r in ITEM_LINK_RELATIONS
    )
    statuses = {s: sum(1 for g in gap_rows if g.get("status") == s) for s in ("gap", "partial", "accepted")}
    seconds = "  ".join(f"{k} {v:.1f}s" for k, v in report.seconds.items())
    lines = [
        f"built {where}",
        f"  文件 documents {counts.get('documents', 0)}   条目 items {counts.get('items', 0)}   "
        f"分句 clauses {counts.get('clauses', 0)}",
        f"  关联 links {by_relation}",
        f"  缺项 gaps {statuses['gap']}   部分承接 partial {statuses['partial']}   已认可 accepted {statuses['accepted']}",
        f"  time {seconds}",
    ]
    cache = getattr(report, "cache", None)
    if cache is not None:
        lines.append(
            f"  cache: parsed {cache.parse_misses}, reused {cache.parse_hits}; pairs linked {cache.pair_misses}, "
            f"reused {cache.pair_hits}" + (f" ({cache.pair_drifted} from a slightly different corpus)" if cache.pair_drifted else "")
        )
    curation = getattr(report, "curation", None)
    if curation is not None:
        from policy_lineage.graph.curation import describe

        lines.extend(describe(curation))
    return "\n".join(lines)


# --------------------------------------------------------------------------- listings


@cli.command()
@click.option(
    "--relation",
    type=click.Choice((*LINK_RELATIONS, "SIBLING")),
    default=None,
    help="Only this relation (CITES only when asked for; SIBLING is short for SIBLING_OF).",
)
@store_options
@format_option(*FORMATS)
@_errors_as_one_line
def links(relation: str | None, db: Path, backend: str, fmt: str) -> None:
    """Item links (local task → higher-level duty, peers, year to year) with scores and evidence.

    CSV columns: link_id, child_region, child_year, child_doc, child_seq, parent_region,
    parent_year, parent_doc, parent_seq, relation, score, status, evidence.  --relation CITES
    lists document citations instead (seq and score empty, evidence = the cited title).

    \b
    Example:
      lineage links --relation IMPLEMENTS --format csv > links.csv
      lineage links --relation CITES --format csv
    """
    relation = "SIBLING_OF" if relation == "SIBLING" else relation
    _echo_rows(_run(backend, db, "links", relation=relation), LINKS_COLUMNS, fmt)


@cli.command()
@click.option("--parent", default=None, help="Only duties of this document (文号 or title).")
@click.option("--child", default=None, help="Only this lower-level document (文号 or title) or region.")
@click.option("--unit", default=None, help="Only rows whose responsible units contain this text.")
@click.option(
    "--fail-on-gap", is_flag=True,
    help="Exit with status 1 when a gap is open against a printed duty (for scripts); duties inferred from peers are reported, not counted.",
)
@store_options
@format_option(*FORMATS)
@_errors_as_one_line
def gaps(parent: str | None, child: str | None, unit: str | None, fail_on_gap: bool, db: Path, backend: str, fmt: str) -> None:
    """Higher-level duties a lower-level government's document does not carry down.

    status: gap (no local item implements the duty), partial (some clauses carried by none),
    accepted (a supervisor accepted it does not apply).  A government without a document is
    not listed (no data).  responsible: the local units doing the duty's job, else those of the
    nearest local item, else the document's issuer.

    \b
    Example:
      lineage gaps --child 安居区 --format csv
      lineage gaps --fail-on-gap --format csv > gaps.csv || echo "open gaps"
    """
    from policy_lineage.queries.runner import run_query

    with _open(backend, db) as store:
        rows = run_query(store, "gaps", parent=parent, child=child, unit=unit)
        inferred_plans = {r["ref"] for r in store.query(INFERRED_PLANS, {})} if fail_on_gap else set()
    if fmt == "table":  # a terminal view; csv and json keep every contract column
        _echo_rows(table_view(rows, GAPS_TABLE_VIEW), None, fmt)
    else:
        _echo_rows(rows, GAPS_COLUMNS, fmt)
    if fail_on_gap:
        # a duty inferred from peers (their common parent plan is missing) is a hypothesis for a
        # reader to check, not a directive a script should fail on
        open_gaps = [r for r in rows if r.get("status") == "gap"]
        printed = sum(1 for r in open_gaps if r.get("parent_doc") not in inferred_plans)
        inferred = len(open_gaps) - printed
        note = f" (and {inferred} against duties inferred from peers, not counted)" if inferred else ""
        if printed:
            click.echo(f"{printed} open gap(s){note}", err=True)
            sys.exit(1)
        if inferred:
            click.echo(f"no open gap against a printed duty{note}", err=True)


@cli.command()
@click.option("--parent", default=None, help="Only duties of this document (文号 or title).")
@click.option("--child", default=None, help="Only this lower-level document (文号 or title) or region.")
@store_options
@format_option(*FORMATS)
@_errors_as_one_line
def coverage(parent: str | None, child: str | None, db: Path, backend: str, fmt: str) -> None:
    """Duties × subordinate governments: covered, partial, gap or accepted.

    One row per duty of a higher-level document and per lower-level document answering to it,
    with the implementing local items and how many of the duty's clauses they carry.

    \b
    Example:
      lineage coverage --parent 川办发〔2021〕16号
    """
    _echo_rows(_run(backend, db, "coverage", parent=parent, child=child), COVERAGE_COLUMNS, fmt)


@cli.command()
@click.argument("ref")
@click.option("--up", is_flag=True, help="Trace a local task up to the duties it answers to.")
@store_options
@format_option(*FORMATS)
@_errors_as_one_line
def trace(ref: str, up: bool, db: Path, backend: str, fmt: str) -> None:
    """Follow one duty down every level (or, with --up, one task up to its duties).

    REF names an item as <文号 or title>#<seq> (川办发〔2021〕16号#18) or by its id.  Depth 0 is
    the item itself.

    \b
    Example:
      lineage trace 川办发〔2021〕16号#18
      lineage trace 2021年全区政务公开重点任务分工方案#15 --up
    """
    rows = _run(backend, db, "trace_up" if up else "trace_down", item=ref)
    if not rows:
        raise QueryError(f"no item {ref!r} in the store; name it as <文号 or title>#<seq>, e.g. 川办发〔2021〕16号#18")
    title = f"{'↑' if up else '↓'} {ref}" if fmt == "table" else None
    _echo_rows(rows, TRACE_COLUMNS, fmt, title=title)


# --------------------------------------------------------------------------- query


def parse_param(text: str) -> tuple[str, Any]:
    """One ``-p key=value``: the value stays a string unless it reads as an integer.

    >>> parse_param("seq=18"), parse_param("parent=川办发〔2021〕16号"), parse_param("q=a=b")
    (('seq', 18), ('parent', '川办发〔2021〕16号'), ('q', 'a=b'))
    """
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise click.BadParameter(f"{text!r} is not key=value", param_hint="-p")
    value_out: Any = value
    try:
        value_out = int(value)
    except ValueError:
        pass
    return key.strip(), value_out


def _query_list() -> str:
    from policy_lineage.queries.runner import query_names, read_query

    lines = []
    for name in query_names():
        q = read_query(name)
        params = " ".join(f"-p {p}=…" for p in q.params)
        first = q.summary.split(": ", 1)[0].split(". ", 1)[0]
        lines.append(f"{name:<12} {first}")
        if params:
            lines.append(f"{'':<12} {params}")
    return "\n".join(lines)


class _QueryCommand(click.Command):
    """``lineage query --help`` ends with the bundled queries, read from their headers."""

    def format_epilog(self, ctx, formatter) -> None:
        super().format_epilog(ctx, formatter)
        with formatter.section("Bundled queries"):
            formatter.write_text("\b\n" + _query_list())


@cli.command(cls=_QueryCommand)
@click.argument("file", required=False)
@click.option("-c", "--cypher", "cypher", default=None, help="Cypher text to run instead of FILE.")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE", help="A $parameter (repeatable); integers stay integers.")
@click.option("--write", is_flag=True, help="Allow a query that changes the store.")
@click.option("--list", "list_queries", is_flag=True, help="List the bundled queries and their parameters.")
@store_options
@format_option(*FORMATS)
@_errors_as_one_line
def query(
    file: str | None, cypher: str | None, params: tuple[str, ...], write: bool, list_queries: bool, db: Path, backend: str, fmt: str
) -> None:
    """Run Cypher on the store: a .cypher FILE, a bundled query by name (gaps), or -c TEXT.

    Read-only unless --write.  Values travel as parameters, never pasted into the text.  Queries
    run on both stores when written in the Cypher both accept (see queries/*.cypher).

    \b
    Example:
      lineage query --list
      lineage query gaps -p child=安居区 --format csv
      lineage query -c "MATCH (i:Item) WHERE i.seq = \\$seq RETURN i.ref AS ref" -p seq=18
    """
    from policy_lineage.queries.runner import parse_header, read_query, run_cypher

    if list_queries:
        click.echo(_query_list())
        return
    if (file is None) == (cypher is None):
        raise click.UsageError("give a query FILE (or bundled name) or -c CYPHER, not both")
    q = parse_header(cypher, "") if cypher is not None else read_query(file)
    values = dict(parse_param(p) for p in params)
    with _open(backend, db, read_only=not write) as store:
        rows = run_cypher(store, q, values, write=write)
    _echo_rows(rows, None, fmt)


# --------------------------------------------------------------------------- export


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["graphml", "json"]), required=True, help="graphml (Gephi, yEd) or json (networkx node-link).")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="File to write.")
@store_options
@_errors_as_one_line
def export(fmt: str, out: Path, db: Path, backend: str) -> None:
    """Write the whole graph to a file: GraphML for graph tools, or networkx node-link JSON.

    Every node keeps its id, label and properties, every edge its type and properties, so the
    JSON reads back as the same graph (policy_lineage.graph.nxgraph.from_node_link).  GraphML has no null
    and no list: properties without a value are left out there, lists are joined with "、".

    \b
    Example:
      lineage export --format graphml --out lineage.graphml
    """
    from policy_lineage.graph.nxgraph import to_node_link

    with _open(backend, db) as store:
        graph = store.to_networkx()
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        if fmt == "json":
            out.write_text(json.dumps(to_node_link(graph), ensure_ascii=False, indent=1), encoding="utf-8")
        else:
            write_graphml(graph, out)
    except OSError as e:
        raise LineageError(f"cannot write {out}: {e.strerror or e}") from e
    click.echo(f"exported {graph.number_of_nodes()} nodes and {graph.number_of_edges()} edges to {out}")


def write_graphml(graph, path: Path) -> None:
    """GraphML without nulls or lists (the format has neither); the ``label`` attribute is kept.

    List properties (an item's ``unit_kinds`` and ``unit_names``) are joined with "、", as the
    item's display property ``units`` is.
    """
    import networkx as nx

    from policy_lineage.graph.nxgraph import UNITS_SEP

    clean = nx.MultiDiGraph()
    for node, attrs in graph.nodes(data=True):
        clean.add_node(node, **{k: UNITS_SEP.join(v) if isinstance(v, list) else v for k, v in attrs.items() if v is not None})
    for u, v, key, attrs in graph.edges(keys=True, data=True):
        clean.add_edge(u, v, key=key, **{k: val for k, val in attrs.items() if val is not None})
    nx.write_graphml(clean, path, encoding="utf-8")


# --------------------------------------------------------------------------- eval

EVAL_COLUMNS = (
    "child_doc", "parent_doc", "precision", "recall", "f1", "tp", "fp", "fn",
    "baseline_precision", "baseline_recall", "baseline_f1", "baseline_tp", "baseline_fp", "baseline_fn",
)  # fmt: skip


@cli.command("eval")
@click.option("--gold", "gold", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="CSV with columns child_doc, child_seq, parent_doc, parent_seq (one row per link).")  # fmt: skip
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@format_option(*FORMATS)
@_errors_as_one_line
def eval_links(gold: Path, paths: tuple[Path, ...], fmt: str) -> None:
    """Precision, recall and F1 of IMPLEMENTS links against a hand annotation, beside the baseline.

    PATHS (default: seeds/) are parsed and linked in memory, exactly as `lineage build` links
    them, and the naive baseline (one best character-TF-IDF duty per local item) runs on the same
    parse, so both columns measure methods on identical input.  No store is read: curation
    decisions (accept, reject, link) would make the linker look better than it is.  Only
    document pairs the gold annotates are scored, one row each, then all of them together.

    \b
    Example:
      lineage eval --gold tests/gold/implements.csv
      lineage eval --gold my-gold.csv docs/2021/ --format csv
    """
    from dataclasses import asdict

    from policy_lineage.graph.baseline import baseline_links
    from policy_lineage.graph.evaluate import evaluate_links, predicted_pairs, read_gold, side_by_side, unknown_documents
    from policy_lineage.graph.lineage import document_parents
    from policy_lineage.pipeline import discover, link, parse_documents

    truth = read_gold(gold)  # a bad gold file fails before the slow part
    if not truth:
        raise LineageError(f"{gold}: gold file has no link rows")
    docs = parse_documents(discover(list(paths) or ["seeds"]))
    unknown = unknown_documents(truth, docs)
    if unknown:
        raise LineageError(f"{gold}: names documents not among those read: {', '.join(unknown)}")
    ours = evaluate_links(predicted_pairs(docs, link(docs)), gold)
    base = evaluate_links(predicted_pairs(docs, baseline_links(docs, document_parents(docs))), gold)
    rows = [asdict(r) for r in side_by_side(ours, base)]
    columns = [c for c in EVAL_COLUMNS if fmt != "table" or not c.startswith("baseline_") or c[-2:] not in ("tp", "fp", "fn")]
    _echo_rows(rows, columns, fmt, title="IMPLEMENTS links against the gold: ours, then the naive baseline")
