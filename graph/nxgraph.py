"""The in-memory graph: documents and their lineage as one :class:`networkx.MultiDiGraph`.

This is the model every store loads and every store reads back.  Its shape is
:mod:`policy_lineage.graph.schema`, exactly: node key = the ``id`` property, node attributes =
``label`` plus the label's schema properties (None where a value is unknown), edge attributes =
``type`` plus the type's schema properties.  Nothing else is stored, so a store round trip gives
the same graph.

Notes
-----
*Ids are derived, never assigned* (see :mod:`policy_lineage.graph.model`): a region is
``region:`` + its path, an agency ``agency:`` + its canonical name, a document ``doc:`` + its
文号 (or a hash of region, year and title), an item ``<doc id>#<seq>``.  Rebuilding the same
inputs gives the same graph, which is what makes a store write idempotent.

*Collective units are per region.*  ``各县（区）人民政府`` in 眉山's plan and in 遂宁's are not one
office; the parser keeps such names as printed, so their agency id carries the region
(``agency:各县（区）人民政府@眉山市``).

*``Item.printed``* is the item's number as printed (``Item.label`` of the record): the node
attribute ``label`` already holds the node label, so the stored property has its own name.

*Edge keys* are the relationship type, except parallel edges of one type between one pair
(a unit both lead and responsible for a task): ``ASSIGNED_TO:<role>`` (:func:`edge_key`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

import networkx as nx

from policy_lineage.errors import LineageError, StoreError
from policy_lineage.graph.model import LEVELS, Document, Item, Lineage, Link, Unit
from policy_lineage.graph.schema import NODES, PY_TYPES, RELATIONSHIPS

__all__ = [
    "RESERVED",
    "EVIDENCE_SEP",
    "UNITS_SEP",
    "build_graph",
    "edge_key",
    "region_id",
    "agency_id",
    "office_names",
    "Tables",
    "graph_tables",
    "edge_records",
    "to_node_link",
    "from_node_link",
]

#: Attribute names the model uses for the node label and the edge type; no schema property may
#: take one of these names (checked by the tests).
RESERVED = frozenset({"label", "type"})
#: How a link's evidence list is joined into its one ``evidence`` property.
EVIDENCE_SEP = "；"
#: How an item's unit names are joined into its display-only ``units`` property.
UNITS_SEP = "、"

_ITEM_LINKS = ("IMPLEMENTS", "SIBLING_OF", "EVOLVES_FROM", "RESOLVES_TO")


def region_id(path: Iterable[str]) -> str:
    """A region's id from its path, province first.

    >>> region_id(["四川省", "遂宁市", "安居区"])
    'region:四川省/遂宁市/安居区'
    """
    return "region:" + "/".join(path)


def agency_id(name: str, region: str | None = None, collective: bool = False) -> str:
    """An agency's id: its canonical name, qualified by region for collective names.

    >>> agency_id("安居区财政局"), agency_id("各镇、街道", "安居区", collective=True)
    ('agency:安居区财政局', 'agency:各镇、街道@安居区')
    """
    return "agency:" + name + (f"@{region}" if collective and region else "")


def edge_key(rel_type: str, attrs: dict[str, Any]) -> str:
    """The key of an edge in the multigraph: its type, plus the role for ASSIGNED_TO.

    >>> edge_key("IMPLEMENTS", {}), edge_key("ASSIGNED_TO", {"role": "lead"})
    ('IMPLEMENTS', 'ASSIGNED_TO:lead')
    """
    if rel_type == "ASSIGNED_TO":
        return f"{rel_type}:{attrs.get('role')}"
    return rel_type


# --------------------------------------------------------------------------- building


def _unit_kind() -> Callable[[str], str]:
    from policy_lineage.ingest.units import unit_kind

    return unit_kind


def office_names(docs: Iterable[Document]) -> dict[tuple[str | None, str], str]:
    """The name each office's agency node takes: per (region, office key), its fullest printing.

    A government's office is printed several ways — 遂宁市安居区人民政府办公室 as the issuer,
    安居区政府办公室 in the task table — and as two agencies it would be listed twice among the
    units responsible for a gap.  Printings of one region with the same
    :func:`~policy_lineage.ingest.units.office_key` are one office; the longest name (then the
    first in code-point order, so the choice does not depend on document order) names it.
    Collective units are not offices and keep their names.

    >>> from policy_lineage.graph.model import Item, Unit
    >>> doc = Document("方案", region="安居区", issuer="遂宁市安居区人民政府办公室",
    ...                items=[Item(1, "做好政务公开。", units=[Unit("安居区政府办公室", "区政府办公室", region="安居区")])])
    >>> office_names([doc])[("安居区", "政府办公室")]
    '遂宁市安居区人民政府办公室'
    """
    from policy_lineage.ingest.units import is_collective, office_key

    names: dict[tuple[str | None, str], str] = {}
    for doc in docs:
        printed = [(u.name, u.region or doc.region) for it in doc.items for u in (*it.lead_units, *it.units) if not u.collective]
        if doc.issuer and not is_collective(doc.issuer):
            printed.append((doc.issuer, doc.region))
        for name, region in printed:
            key = (region, office_key(name))
            known = names.get(key)
            if known is None or (-len(name), name) < (-len(known), known):
                names[key] = name
    return names


class _Builder:
    """Accumulates nodes and edges with schema-complete attributes; first write of a node wins.

    ``offices`` (see :func:`office_names`) renames every printing of an office to one name, so
    an office is one agency node.
    """

    def __init__(self, offices: dict[tuple[str | None, str], str] | None = None) -> None:
        from policy_lineage.ingest.units import office_key

        self.graph = nx.MultiDiGraph()
        self.kind = _unit_kind()
        self.office_key = office_key
        self.offices = offices or {}
        self.region_by_name: dict[str, str] = {}

    def node(self, node_id: str, label: str, **props: Any) -> str:
        if node_id not in self.graph:
            attrs = {p: props.get(p) for p in NODES[label] if p not in RESERVED}
            attrs["id"] = node_id
            self.graph.add_node(node_id, label=label, **attrs)
        return node_id

    def edge(self, src: str, dst: str, rel_type: str, **props: Any) -> None:
        for end in (src, dst):
            if end not in self.graph:
                raise LineageError(f"{rel_type} {src} -> {dst}: {end} is not in the documents")
        attrs = {p: props.get(p) for p in RELATIONSHIPS[rel_type][1]}
        self.graph.add_edge(src, dst, key=edge_key(rel_type, attrs), type=rel_type, **attrs)

    # ---------------------------------------------------------------- regions and agencies
    def regions(self, path: list[str], own_level: str | None) -> str | None:
        """Region nodes for every prefix of ``path`` (PART_OF child → parent); the last one's id."""
        previous = None
        for depth in range(1, len(path) + 1):
            level = LEVELS[min(depth, len(LEVELS) - 1)]
            if depth == len(path) == 1 and own_level in LEVELS and own_level != "province":
                level = own_level  # a path of one name that is not a province: trust the document
            rid = self.node(region_id(path[:depth]), "Region", name=path[depth - 1], level=level, path="/".join(path[:depth]))
            self.region_by_name.setdefault(path[depth - 1], rid)
            if previous is not None and not self.graph.has_edge(rid, previous, "PART_OF"):
                self.edge(rid, previous, "PART_OF")
            previous = rid
        return previous

    def region_named(self, name: str | None, path: list[str]) -> str | None:
        """The region node called ``name``: on ``path`` if it is there, else any already known."""
        if not name:
            return None
        if name in path:
            return region_id(path[: path.index(name) + 1])
        return self.region_by_name.get(name)

    def agency(self, name: str, region: str | None, collective: bool, path: list[str]) -> str:
        if not collective:
            name = self.offices.get((region, self.office_key(name)), name)
        aid = agency_id(name, region, collective)
        if aid not in self.graph:
            self.node(aid, "Agency", name=name, region=region, kind=self.kind(name), collective=collective)
            rid = self.region_named(region, path)
            if rid is not None:
                self.edge(aid, rid, "IN")
        return aid

    # ---------------------------------------------------------------- documents and items
    def document(self, doc: Document, superseded_by: str | None = None) -> None:
        path = list(doc.region_path) or ([doc.region] if doc.region else [])
        rid = self.regions(path, doc.level)
        same_name = {p: getattr(doc, p) for p in NODES["Document"] if p not in ("id", "ref", "stub", "inferred", "superseded_by")}
        inferred = bool(doc.items) and all(it.extra.get("inferred", False) for it in doc.items)
        did = self.node(doc.doc_id, "Document", **same_name, ref=doc.ref, stub=False, inferred=inferred, superseded_by=superseded_by)
        if rid is not None:
            self.edge(did, rid, "IN")
        if doc.issuer:
            from policy_lineage.ingest.units import is_collective

            aid = self.agency(doc.issuer, doc.region, is_collective(doc.issuer), path)
            self.edge(aid, did, "ISSUED")
        for item in doc.items:
            self.item(doc, item, path)

    def item(self, doc: Document, item: Item, path: list[str]) -> None:
        units = _units(item)
        deadline = item.deadline
        iid = self.node(
            item.item_id(doc.doc_id),
            "Item",
            doc_id=doc.doc_id,
            doc_ref=doc.ref,
            ref=f"{doc.ref}#{item.seq}",
            region=doc.region,
            level=doc.level,
            year=doc.year,
            seq=item.seq,
            printed=item.label or None,
            section=" / ".join(item.section) if item.section else None,
            title=item.title,
            text=item.text,
            deadline_text=deadline.text if deadline else None,
            deadline_date=deadline.date if deadline else None,
            deadline_kind=deadline.kind if deadline else None,
            units=UNITS_SEP.join(u.name for u in units) or None,
            line=item.source.line if item.source else None,
            inferred=bool(item.extra.get("inferred", False)),
        )
        self.edge(doc.doc_id, iid, "HAS_ITEM")
        for unit in units:
            aid = self.agency(unit.name, unit.region or doc.region, unit.collective, path)
            if not self.graph.has_edge(iid, aid, f"ASSIGNED_TO:{unit.role}"):
                self.edge(iid, aid, "ASSIGNED_TO", role=unit.role, original=unit.original)
        # Summaries of the item's ASSIGNED_TO agencies as stored (kind and collective of each
        # agency node, whichever mention wrote it first), so they say what a join would.
        agencies = [self.graph.nodes[a] for _, a, t in self.graph.out_edges(iid, data="type") if t == "ASSIGNED_TO"]
        self.graph.nodes[iid]["unit_kinds"] = sorted({a["kind"] for a in agencies if a["kind"] is not None})
        self.graph.nodes[iid]["unit_names"] = sorted({a["name"] for a in agencies if a["name"] is not None and not a["collective"]})

    def stub(self, doc_no: str, title: str | None = None) -> str:
        return self.node("doc:" + doc_no, "Document", ref=doc_no, doc_no=doc_no, title=title, stub=True)


def _units(item: Item) -> list[Unit]:
    """Lead units, then the others, each (name, role) once."""
    seen: set[tuple[str, str]] = set()
    out = []
    for unit in (*item.lead_units, *item.units):
        if (unit.name, unit.role) not in seen:
            seen.add((unit.name, unit.role))
            out.append(unit)
    return out


def _doc_index(docs: list[Document]) -> dict[str, str]:
    """Every name a document goes by (id, ref, 文号, title) → its id."""
    index: dict[str, str] = {}
    for doc in docs:
        for name in (doc.title, doc.doc_no, doc.ref, doc.doc_id):
            if name:
                index.setdefault(name, doc.doc_id)
    return index


def build_graph(docs: list[Document], lineage: Lineage | None = None) -> nx.MultiDiGraph:
    """The whole corpus and its lineage as one multigraph shaped by graph/schema.py.

    Parameters
    ----------
    docs : list of Document
        Parsed documents, in a stable order (it decides which mention of an agency sets its
        attributes).
    lineage : Lineage, optional
        What linking produced: document links, item links, clauses, carries, candidates and
        accepted gaps.  Document links may name documents by id, 文号 or title; a cited 文号
        that was not ingested becomes a stub ``Document`` (``stub=True``).

    Raises
    ------
    LineageError
        A link, carry or candidate names an item or clause that is not in ``docs``.

    Examples
    --------
    >>> from policy_lineage.graph.model import Document, Item
    >>> g = build_graph([Document("要点", doc_no="川办发〔2021〕16号", region="四川省",
    ...                           region_path=["四川省"], level="province", year=2021,
    ...                           items=[Item(seq=1, text="推进财政预决算公开。")])])
    >>> sorted(g.nodes)
    ['doc:川办发〔2021〕16号', 'doc:川办发〔2021〕16号#1', 'region:四川省']
    >>> g.nodes["doc:川办发〔2021〕16号#1"]["ref"]
    '川办发〔2021〕16号#1'
    >>> sorted(k for _, _, k in g.edges(keys=True))
    ['HAS_ITEM', 'IN']
    """
    lineage = lineage or Lineage()
    docs = [*docs, *lineage.inferred_documents]  # parents inferred from peers (graph/inferred.py)
    b = _Builder(office_names(docs))
    refs = {doc.doc_id: doc.ref for doc in docs}
    for doc in docs:
        b.document(doc, refs.get(lineage.superseded.get(doc.doc_id, "")))
    index = _doc_index(docs)

    titles = {dl.parent: dl.title for dl in lineage.doc_links if dl.relation == "CITES" and dl.title}

    def doc_node(name: str) -> str:
        return index.get(name) or b.stub(name.removeprefix("doc:"), titles.get("doc:" + name.removeprefix("doc:")))

    cites: list[tuple[str, str]] = []
    for doc in docs:
        cited = [*doc.cites, *(c for it in doc.items for c in it.cites), *([doc.forwards] if doc.forwards else [])]
        cites.extend((doc.doc_id, c) for c in cited)
    for dl in lineage.doc_links:
        if dl.relation == "ANSWERS_TO":
            b.edge(doc_node(dl.child), doc_node(dl.parent), "ANSWERS_TO", basis=dl.basis, skipped_levels=dl.skipped_levels)
        else:
            cites.append((doc_node(dl.child), dl.parent))
    for link in lineage.links:
        if link.relation == "CITES":
            cites.append((doc_node(link.child), link.parent))
    for child, cited in cites:
        parent = doc_node(cited)
        if parent != child and not b.graph.has_edge(child, parent, "CITES"):
            b.edge(child, parent, "CITES", link_id=Link(child, parent, "CITES").link_id)

    for clause in lineage.clauses:
        b.node(clause.clause_id, "Clause", item_id=clause.item, idx=clause.idx, text=clause.text)
        b.edge(clause.item, clause.clause_id, "HAS_CLAUSE")
    for link in lineage.links:
        if link.relation in _ITEM_LINKS:
            b.edge(
                link.child,
                link.parent,
                link.relation,
                link_id=link.link_id,
                score=float(link.score),
                method=link.method,
                status=link.status,
                evidence=EVIDENCE_SEP.join(link.evidence),
                changes=link.changes,
            )
    for cand in lineage.candidates:
        b.edge(cand.child, cand.parent, "CANDIDATE", score=float(cand.score), evidence=EVIDENCE_SEP.join(cand.evidence))
    for carry in lineage.carries:
        b.edge(carry.child, carry.clause, "CARRIES", score=float(carry.score), evidence=EVIDENCE_SEP.join(carry.evidence))
    for parent_item, region, reason in lineage.accepted_gaps:
        rid = b.region_named(region, [])
        if rid is not None and parent_item in b.graph:
            b.edge(parent_item, rid, "GAP_ACCEPTED", reason=reason)
    return b.graph


# --------------------------------------------------------------------------- rows for stores


@dataclass
class Tables:
    """A graph as rows per table, the shape bulk loaders take.

    Attributes
    ----------
    nodes : dict
        label -> rows; every row has every schema property of the label, in schema order
        (``id`` first), None where unknown.
    rels : dict
        (type, source label, target label) -> rows ``{"from": id, "to": id, **properties}``
        with every schema property of the type.
    """

    nodes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    rels: dict[tuple[str, str, str], list[dict[str, Any]]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """Rows per node label and per relationship type (all end-label pairs together)."""
        out = {label: len(rows) for label, rows in self.nodes.items()}
        for (rel_type, _, _), rows in self.rels.items():
            out[rel_type] = out.get(rel_type, 0) + len(rows)
        return out


def _value(value: Any, kind: str) -> Any:
    """A value as the plain Python type of its schema kind where that is lossless.

    numpy scalars become Python ones and integers become floats in DOUBLE columns; anything
    else is passed on as it is, for the store to accept or refuse.
    """
    if value is None:
        return None
    if hasattr(value, "item") and type(value).__module__ == "numpy":
        value = value.item()
    if kind == "DOUBLE" and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if kind == "INT64" and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _row(attrs: dict[str, Any], schema: dict[str, str]) -> dict[str, Any]:
    return {p: None if p in RESERVED else _value(attrs.get(p), kind) for p, kind in schema.items()}


def graph_tables(graph: nx.MultiDiGraph) -> Tables:
    """Rows of a graph built to graph/schema.py, checked against its labels and types.

    Values are not checked here beyond making numbers plain; a value the schema's type cannot
    hold is refused by the store that loads it (which then keeps its previous content).

    Raises
    ------
    StoreError
        A node label, relationship type or end-label pair the schema does not allow.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("region:四川省", label="Region", name="四川省", level="province")
    >>> g.add_node("region:四川省/眉山市", label="Region", name="眉山市", level="city")
    >>> _ = g.add_edge("region:四川省/眉山市", "region:四川省", type="PART_OF")
    >>> t = graph_tables(g)
    >>> t.nodes["Region"][0]
    {'id': 'region:四川省', 'name': '四川省', 'level': 'province', 'path': None}
    >>> t.rels
    {('PART_OF', 'Region', 'Region'): [{'from': 'region:四川省/眉山市', 'to': 'region:四川省'}]}
    """
    tables = Tables()
    labels: dict[Any, str] = {}
    for node, attrs in graph.nodes(data=True):
        label = attrs.get("label")
        if label not in NODES:
            raise StoreError(f"node {node!r}: label {label!r} is not one of graph/schema.py's ({', '.join(NODES)})")
        labels[node] = label
        row = _row(attrs, NODES[label])
        row["id"] = str(node)
        tables.nodes.setdefault(label, []).append(row)
    for src, dst, attrs in graph.edges(data=True):
        rel_type = attrs.get("type")
        if rel_type not in RELATIONSHIPS:
            raise StoreError(f"edge {src!r}->{dst!r}: type {rel_type!r} is not one of graph/schema.py's")
        pairs, schema = RELATIONSHIPS[rel_type]
        ends = (labels[src], labels[dst])
        if ends not in pairs:
            raise StoreError(f"edge {src!r}->{dst!r}: {rel_type} cannot join {ends[0]} to {ends[1]}")
        row = {"from": str(src), "to": str(dst), **_row(attrs, schema)}
        tables.rels.setdefault((rel_type, *ends), []).append(row)
    return tables


def edge_records(graph: nx.MultiDiGraph) -> list[tuple]:
    """Edges as sorted, hashable records ``(src, dst, type, ((prop, value), …))``, keys ignored.

    Two graphs hold the same relationships when their records are equal, whatever edge keys a
    store chose when reading them back.
    """
    return sorted(
        ((src, dst, attrs["type"], tuple(sorted((k, v) for k, v in attrs.items() if k != "type"))) for src, dst, attrs in graph.edges(data=True)),
        key=repr,
    )


def to_node_link(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """The graph as networkx node-link data (``nodes``, ``edges`` with their keys), JSON-ready.

    The node's key is written once, as ``id`` (which is also its ``id`` property).
    """
    return nx.node_link_data(graph, edges="edges")


def from_node_link(data: dict[str, Any]) -> nx.MultiDiGraph:
    """The graph back from :func:`to_node_link` data, ``id`` property included.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("region:四川省", label="Region", id="region:四川省", name="四川省", level="province", path="四川省")
    >>> _ = g.add_edge("region:四川省", "region:四川省", key="PART_OF", type="PART_OF")
    >>> h = from_node_link(to_node_link(g))
    >>> dict(h.nodes(data=True)) == dict(g.nodes(data=True)), edge_records(h) == edge_records(g)
    (True, True)
    """
    graph = nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
    nx.set_node_attributes(graph, {node: node for node in graph}, "id")
    return graph


def _check_types() -> None:  # pragma: no cover - guards the schema vocabulary at import
    unknown = {k for props in NODES.values() for k in props.values()} - set(PY_TYPES)
    if unknown:
        raise ImportError(f"graph/schema.py uses types without a Python type: {unknown}")


_check_types()
