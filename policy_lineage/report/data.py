"""The rows a report shows, gathered once and shaped for the HTML page, the workbook and the plots.

The renderers take plain rows (dicts with the contract columns of DESIGN.md), never a store, so
they can be tested with rows written by hand and fed from either back end.  :func:`collect` is
the only function that touches a store: it runs the named queries of ``queries/`` and one item
lookup, and hands back a :class:`ReportData`.

Notes
-----
Rows arrive from three places (hand-written tests, LadybugDB, Neo4j) whose list values may come
as Python lists or as joined strings, so every multi-valued cell passes through :func:`as_list`.
A duty is named everywhere by its item ref ``<doc>#<seq>`` (``川办发〔2021〕16号#3``), the same
name curation and ``lineage trace`` use.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

__all__ = [
    "GAP_COLUMNS",
    "LINK_COLUMNS",
    "STATUS_LABELS",
    "COVERAGE_STATUSES",
    "ReportData",
    "as_list",
    "item_ref",
    "governments",
    "implements",
    "derive_coverage",
    "coverage_matrix",
    "figures",
    "store_counts",
    "HEADLINE",
    "collect",
]

#: The ``lineage gaps`` contract columns (DESIGN.md), in order.
GAP_COLUMNS = (
    "parent_region",
    "parent_year",
    "parent_doc",
    "parent_seq",
    "parent_title",
    "child_region",
    "child_doc",
    "status",
    "missing",
    "best_candidate_seq",
    "best_score",
    "responsible",
)

#: The ``lineage links`` contract columns (DESIGN.md), in order.
LINK_COLUMNS = (
    "link_id",
    "child_region",
    "child_year",
    "child_doc",
    "child_seq",
    "parent_region",
    "parent_year",
    "parent_doc",
    "parent_seq",
    "relation",
    "score",
    "status",
    "evidence",
)

#: Coverage of one duty in one subordinate government, best first.
COVERAGE_STATUSES = ("covered", "partial", "gap", "accepted", "no data")

#: Chinese label and English word for every status a reader sees.
STATUS_LABELS: dict[str, tuple[str, str]] = {
    "covered": ("已承接", "covered"),
    "partial": ("部分承接", "partial"),
    "gap": ("缺项", "gap"),
    "accepted": ("已认可不适用", "accepted"),
    "no data": ("无文件", "no data"),
}

_SPLIT = re.compile(r"\s*[;；、|\n]\s*")


def as_list(value: Any, *, split: bool = True) -> list[str]:
    """A multi-valued cell as a list of non-empty strings.

    Lists pass through; strings are split on ``;``, ``；``, ``、``, ``|`` or newlines unless
    ``split`` is false (clause texts contain ``；`` themselves, so ``missing`` is split only on
    newlines and ``|``).

    >>> as_list("区财政局;区审计局"), as_list(["a", "", None]), as_list(None)
    (['区财政局', '区审计局'], ['a'], [])
    >>> as_list("2021年底前完成；其余", split=False)
    ['2021年底前完成；其余']
    """
    if value is None:
        return []
    if isinstance(value, (list, tuple, set)):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    text = str(value).strip()
    if not text:
        return []
    parts = _SPLIT.split(text) if split else re.split(r"\s*(?:\n|\|)\s*", text)
    return [p for p in parts if p]


def item_ref(doc: Any, seq: Any) -> str:
    """The name of an item: ``<doc>#<seq>``, as :attr:`Item.ref` in the graph.

    >>> item_ref("川办发〔2021〕16号", 3)
    '川办发〔2021〕16号#3'
    """
    return f"{doc}#{seq}"


@dataclass
class ReportData:
    """Everything one report shows.

    Attributes
    ----------
    summary : dict
        Headline figures from the ``summary`` query (documents, items, links …), shown as is.
    gaps : list of dict
        Rows with :data:`GAP_COLUMNS`; optional extra keys ``deadline`` (the duty's deadline as
        printed) and ``parent_text`` (its full text).
    coverage : list of dict
        One row per duty and subordinate government: ``parent_doc``, ``parent_seq``,
        ``parent_title``, ``child_region`` and ``status`` (one of :data:`COVERAGE_STATUSES`).
    edges : list of dict
        ``IMPLEMENTS`` links with :data:`LINK_COLUMNS` (other relations are ignored).
    items : dict
        Item ref → ``{region, level, doc, seq, label, title, text, units, deadline}``, for
        titles and details in the lineage graph; may be empty.
    title : str
        The report's heading.
    """

    summary: dict[str, Any] = field(default_factory=dict)
    gaps: list[dict[str, Any]] = field(default_factory=list)
    coverage: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    items: dict[str, dict[str, Any]] = field(default_factory=dict)
    title: str = "政务公开任务承接情况报告"


def governments(gaps: Iterable[Mapping], coverage: Iterable[Mapping] = ()) -> list[str]:
    """Subordinate governments in the order they first appear (gaps first, then coverage).

    >>> governments([{"child_region": "安居区"}], [{"child_region": "眉山市"}, {"child_region": "安居区"}])
    ['安居区', '眉山市']
    """
    seen: dict[str, None] = {}
    for row in (*gaps, *coverage):
        region = row.get("child_region")
        if region:
            seen.setdefault(str(region), None)
    return list(seen)


def implements(edges: Iterable[Mapping]) -> list[Mapping]:
    """IMPLEMENTS links a reader should see: rejected links are a human's "no", not lineage.

    >>> [e["status"] for e in implements([{"relation": "IMPLEMENTS", "status": "auto"},
    ...     {"relation": "SIBLING_OF", "status": "auto"}, {"status": "rejected"}])]
    ['auto']
    """
    return [e for e in edges if (e.get("relation") or "IMPLEMENTS") == "IMPLEMENTS" and e.get("status") != "rejected"]


def derive_coverage(gaps: Sequence[Mapping], edges: Sequence[Mapping]) -> list[dict[str, Any]]:
    """Coverage rows from gaps and links, for stores whose ``coverage`` query is unavailable.

    A government counts for a higher document when it appears as a child of that document in a
    link or a gap row; each duty of the document is then ``covered`` if one of its items links
    to the duty, else whatever the gap row says, else ``no data``.

    >>> gaps = [{"parent_doc": "P", "parent_seq": 2, "parent_title": "b", "child_region": "安居区", "status": "gap"}]
    >>> edges = [{"parent_doc": "P", "parent_seq": 1, "child_region": "安居区", "child_doc": "C", "child_seq": 1}]
    >>> [(r["parent_seq"], r["status"]) for r in derive_coverage(gaps, edges)]
    [(1, 'covered'), (2, 'gap')]
    """
    duties: dict[str, dict[str, Any]] = {}
    regions_of: dict[str, dict[str, None]] = {}
    for row in (*implements(edges), *gaps):
        ref = item_ref(row["parent_doc"], row["parent_seq"])
        duties.setdefault(ref, {"parent_doc": row["parent_doc"], "parent_seq": row["parent_seq"], "parent_title": None})
        if row.get("parent_title") and not duties[ref]["parent_title"]:
            duties[ref]["parent_title"] = row["parent_title"]
        regions_of.setdefault(str(row["parent_doc"]), {}).setdefault(str(row["child_region"]), None)
    linked = {(item_ref(e["parent_doc"], e["parent_seq"]), str(e["child_region"])) for e in implements(edges)}
    gap_status = {(item_ref(g["parent_doc"], g["parent_seq"]), str(g["child_region"])): g["status"] for g in gaps}
    rows = []
    for ref, duty in sorted(duties.items(), key=lambda kv: (str(kv[1]["parent_doc"]), _seq_key(kv[1]["parent_seq"]))):
        for region in regions_of[str(duty["parent_doc"])]:
            status = gap_status.get((ref, region)) or ("covered" if (ref, region) in linked else "no data")
            rows.append({**duty, "child_region": region, "status": status})
    return rows


def _seq_key(seq: Any) -> tuple[int, str]:
    try:
        return (int(seq), "")
    except (TypeError, ValueError):
        return (1 << 30, str(seq))


def coverage_matrix(coverage: Sequence[Mapping]) -> tuple[list[dict[str, Any]], list[str], dict[tuple[str, str], str]]:
    """Duties (rows), governments (columns) and the status of every cell that has one.

    >>> duties, govs, cells = coverage_matrix([
    ...     {"parent_doc": "P", "parent_seq": 2, "parent_title": "b", "child_region": "眉山市", "status": "gap"},
    ...     {"parent_doc": "P", "parent_seq": 1, "parent_title": "a", "child_region": "安居区", "status": "covered"}])
    >>> [d["ref"] for d in duties], govs, cells[("P#2", "眉山市")]
    (['P#1', 'P#2'], ['眉山市', '安居区'], 'gap')
    """
    duties: dict[str, dict[str, Any]] = {}
    cells: dict[tuple[str, str], str] = {}
    for row in coverage:
        ref = item_ref(row["parent_doc"], row["parent_seq"])
        duty = duties.setdefault(
            ref, {"ref": ref, "doc": row["parent_doc"], "seq": row["parent_seq"], "title": row.get("parent_title")}
        )
        if not duty["title"] and row.get("parent_title"):
            duty["title"] = row["parent_title"]
        cells[(ref, str(row["child_region"]))] = str(row.get("status") or "no data")
    ordered = sorted(duties.values(), key=lambda d: (str(d["doc"]), _seq_key(d["seq"])))
    return ordered, governments([], coverage), cells


#: Store figures a reader of the report cares about (summary query key → Chinese, English).
HEADLINE = {
    "documents": ("文件", "documents"),
    "cited documents not ingested": ("引用未收录文件", "cited, not ingested"),
    "items": ("任务条目", "items"),
    "IMPLEMENTS": ("承接关系", "links"),
    "links": ("承接关系", "links"),
}


def figures(data: ReportData) -> list[tuple[str, str, Any]]:
    """Headline figures: (Chinese label, English label, value).

    Store figures come first, only those in :data:`HEADLINE` (the others — clauses, candidate
    edges — are for researchers and go to :func:`store_counts`).  Gap counts come from the gap
    rows and the coverage rate from the coverage rows, so the figures agree with the tables
    below them whatever the ``summary`` query returns.

    >>> d = ReportData(summary={"items": 172, "CARRIES": 80}, gaps=[{"status": "gap"}, {"status": "partial"}],
    ...                coverage=[{"status": "covered"}, {"status": "covered"}, {"status": "gap"}, {"status": "no data"}])
    >>> [(zh, v) for zh, _, v in figures(d)]
    [('任务条目', 172), ('缺项', 1), ('部分承接', 1), ('已认可不适用', 0), ('承接率', '67%')]
    """
    out: list[tuple[str, str, Any]] = [(*HEADLINE[k], v) for k, v in data.summary.items() if k in HEADLINE]
    status = Counter(str(g.get("status")) for g in data.gaps)
    for key in ("gap", "partial", "accepted"):
        zh, en = STATUS_LABELS[key]
        out.append((zh, en + "s" if key == "gap" else en, status.get(key, 0)))
    cells = Counter(str(c.get("status")) for c in data.coverage)
    judged = cells["covered"] + cells["partial"] + cells["gap"]
    if judged:
        out.append(("承接率", "coverage", f"{round(100 * cells['covered'] / judged)}%"))
    return out


def store_counts(data: ReportData) -> dict[str, Any]:
    """The summary figures not shown as headline cards (for a "store counts" footnote).

    >>> store_counts(ReportData(summary={"items": 172, "CARRIES": 80}))
    {'CARRIES': 80}
    """
    return {k: v for k, v in data.summary.items() if k not in HEADLINE}


# --------------------------------------------------------------------------- from a store

#: Every item's display fields, by ref (plain MATCH/RETURN: both stores accept it).
ITEMS_CYPHER = (
    "MATCH (i:Item) RETURN i.ref AS ref, i.region AS region, i.level AS level, i.doc_ref AS doc, "
    "i.seq AS seq, i.printed AS label, i.title AS title, i.text AS text, i.units AS units, "
    "i.deadline_text AS deadline"
)


def _summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """One summary dict from the summary query's rows: one wide row, or (key, value) rows."""
    if len(rows) == 1:
        return dict(rows[0])
    out: dict[str, Any] = {}
    for row in rows:
        values = list(row.values())
        if len(values) >= 2:
            out[str(values[0])] = values[1]
    return out


def _with_duty_details(gaps: list[dict[str, Any]], items: Mapping[str, Mapping]) -> list[dict[str, Any]]:
    """Gap rows with the duty's deadline and text, where the query did not return them."""
    out = []
    for g in gaps:
        item = items.get(item_ref(g["parent_doc"], g["parent_seq"]), {})
        out.append({"deadline": item.get("deadline"), "parent_text": item.get("text"), **g})
    return out


def collect(store: Any, *, title: str | None = None) -> ReportData:
    """Run the report's queries on an open store.

    Parameters
    ----------
    store : policy_lineage.graph.store.Store
        An open store (read-only is enough).
    title : str, optional
        Heading of the report.

    Notes
    -----
    Uses the named queries ``summary``, ``gaps``, ``coverage`` and ``links`` through
    :func:`policy_lineage.queries.runner.run_query`, so the report shows exactly what the CLI
    prints; ``coverage`` is derived from gaps and links if that query is not available.
    """
    from policy_lineage.errors import QueryError
    from policy_lineage.queries.runner import run_query

    items = {row["ref"]: row for row in store.query(ITEMS_CYPHER) if row.get("ref")}
    gaps = _with_duty_details(run_query(store, "gaps"), items)
    edges = run_query(store, "links")
    try:
        coverage = run_query(store, "coverage")
    except QueryError:
        coverage = derive_coverage(gaps, edges)
    try:
        summary = _summary(run_query(store, "summary"))
    except QueryError:
        summary = {}
    data = ReportData(summary=summary, gaps=gaps, coverage=coverage, edges=implements(edges), items=items)
    if title:
        data.title = title
    return data
