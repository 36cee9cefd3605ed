"""The networkx model and the stores: right nodes and edges, exact round trips, atomic writes.

Store tests run on a real embedded LadybugDB in ``tmp_path`` and, when NEO4J_URI is set, on
Neo4j with the same assertions.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from graph_fixtures import A_REF, M_REF, P_REF, corpus, item_id, open_test_store, same_graph  # noqa: E402

from policy_lineage.errors import LineageError, QueryError, StoreError  # noqa: E402
from policy_lineage.graph.ladybug_store import LadybugStore, writes  # noqa: E402
from policy_lineage.graph.model import Link  # noqa: E402
from policy_lineage.graph.nxgraph import RESERVED, build_graph  # noqa: E402
from policy_lineage.graph.schema import NODES, RELATIONSHIPS  # noqa: E402


@pytest.fixture
def graph() -> nx.MultiDiGraph:
    return build_graph(*corpus())


@pytest.fixture(params=["ladybug", "neo4j"])
def store(request, tmp_path):
    s = open_test_store(request.param, tmp_path)
    yield s
    s.close()


def _edges(g, rel_type):
    return {(u, v): a for u, v, a in g.edges(data=True) if a["type"] == rel_type}


# --------------------------------------------------------------------------- networkx


class TestBuildGraph:
    def test_node_counts_by_label(self, graph):
        # 4 regions: 四川省, 四川省/遂宁市, 四川省/遂宁市/安居区, 四川省/眉山市.
        # 4 documents: P, A, M and the stub 国办发〔2021〕12号 A cites.
        # 11 agencies: 3 issuers + 四川省财政厅/司法厅/统计局 + 安居区财政局/司法局/卫生健康局 +
        # 各镇、街道 (安居区) + 眉山市财政局.
        labels = Counter(a["label"] for _, a in graph.nodes(data=True))
        assert labels == {"Region": 4, "Document": 4, "Agency": 11, "Item": 7, "Clause": 6}

    def test_every_node_has_exactly_the_schema_properties(self, graph):
        for node, attrs in graph.nodes(data=True):
            expected = {"label"} | set(NODES[attrs["label"]])
            assert set(attrs) == expected, node
            assert attrs["id"] == node

    def test_every_edge_has_exactly_the_schema_properties(self, graph):
        for u, v, attrs in graph.edges(data=True):
            assert set(attrs) == {"type"} | set(RELATIONSHIPS[attrs["type"]][1]), (u, v)

    def test_regions_and_part_of(self, graph):
        county = graph.nodes["region:四川省/遂宁市/安居区"]
        assert (county["name"], county["level"], county["path"]) == ("安居区", "county", "四川省/遂宁市/安居区")
        assert graph.nodes["region:四川省/眉山市"]["level"] == "city"
        assert set(_edges(graph, "PART_OF")) == {
            ("region:四川省/遂宁市/安居区", "region:四川省/遂宁市"),
            ("region:四川省/遂宁市", "region:四川省"),
            ("region:四川省/眉山市", "region:四川省"),
        }

    def test_documents_stub_and_cites(self, graph):
        docs, _ = corpus()
        p, a, m = docs
        assert graph.nodes[p.doc_id]["ref"] == P_REF and graph.nodes[p.doc_id]["stub"] is False
        assert graph.nodes[a.doc_id]["ref"] == A_REF
        stub = graph.nodes["doc:国办发〔2021〕12号"]
        assert (stub["stub"], stub["ref"], stub["title"]) == (True, "国办发〔2021〕12号", None)
        # A cites P twice (its text, and the doc link): one CITES edge
        assert set(_edges(graph, "CITES")) == {(a.doc_id, p.doc_id), (a.doc_id, "doc:国办发〔2021〕12号")}
        answers = _edges(graph, "ANSWERS_TO")
        assert answers[(a.doc_id, p.doc_id)] == {"type": "ANSWERS_TO", "basis": "inferred", "skipped_levels": 1}
        assert (m.doc_id, p.doc_id) in answers

    def test_items(self, graph):
        docs, _ = corpus()
        node = graph.nodes[item_id(docs[1], 2)]
        assert node["ref"] == f"{A_REF}#2" and node["doc_ref"] == A_REF and node["seq"] == 2
        assert (node["region"], node["level"], node["year"], node["line"]) == ("安居区", "county", 2021, 6)
        assert node["units"] == "安居区司法局、各镇、街道"
        assert (node["deadline_date"], node["deadline_kind"], node["inferred"]) == ("2021-12-31", "date", False)
        assert graph.nodes[item_id(docs[0], 1)]["section"] == "一、加大公开力度"

    def test_agencies_assignment_and_collectives(self, graph):
        docs, _ = corpus()
        fin = graph.nodes["agency:安居区财政局"]
        assert (fin["region"], fin["kind"], fin["collective"]) == ("安居区", "财政", False)
        assigned = graph.get_edge_data(item_id(docs[1], 1), "agency:安居区财政局")
        assert assigned == {"ASSIGNED_TO:lead": {"type": "ASSIGNED_TO", "role": "lead", "original": "区财政局"}}
        # a collective name is the region's, not shared across regions
        assert graph.nodes["agency:各镇、街道@安居区"]["collective"] is True
        assert ("agency:眉山市人民政府办公室", docs[2].doc_id) in _edges(graph, "ISSUED")
        assert ("agency:安居区财政局", "region:四川省/遂宁市/安居区") in _edges(graph, "IN")

    def test_links_clauses_carries_candidates(self, graph):
        docs, lineage = corpus()
        p, a, _ = docs
        link = _edges(graph, "IMPLEMENTS")[(item_id(a, 1), item_id(p, 1))]
        assert link == {
            "type": "IMPLEMENTS",
            "link_id": Link(item_id(a, 1), item_id(p, 1)).link_id,
            "score": 0.9,
            "method": "tfidf",
            "status": "auto",
            "evidence": "财政预决算；部门预算",
        }
        assert len(_edges(graph, "IMPLEMENTS")) == 4 and len(_edges(graph, "SIBLING_OF")) == 1
        assert graph.nodes[f"{item_id(p, 2)}/c1"]["text"] == "开展政策吹风会"
        assert (item_id(p, 2), f"{item_id(p, 2)}/c1") in _edges(graph, "HAS_CLAUSE")
        assert len(_edges(graph, "CARRIES")) == 5
        assert _edges(graph, "CANDIDATE")[(item_id(a, 3), item_id(p, 3))]["score"] == 0.21
        accepted = _edges(graph, "GAP_ACCEPTED")
        assert list(accepted) == [(item_id(p, 2), "region:四川省/眉山市")]

    def test_same_inputs_same_graph(self):
        assert same_graph(build_graph(*corpus()), build_graph(*corpus()))

    def test_link_to_an_unknown_item_is_refused(self):
        docs, lineage = corpus()
        lineage.links.append(Link("doc:nowhere#1", item_id(docs[0], 1)))
        with pytest.raises(LineageError, match="doc:nowhere#1 is not in the documents"):
            build_graph(docs, lineage)


# --------------------------------------------------------------------------- stores


class TestStore:
    def test_round_trip(self, store, graph):
        stats = store.write(graph)
        assert stats.counts["Item"] == 7 and stats.counts["IMPLEMENTS"] == 4 and stats.counts["IN"] == 14
        assert same_graph(store.to_networkx(), graph)

    def test_writing_twice_gives_the_same_content(self, store, graph):
        first = store.write(graph).counts
        second = store.write(build_graph(*corpus())).counts
        assert first == second
        assert same_graph(store.to_networkx(), graph)
        assert store.query("MATCH (i:Item) RETURN count(i) AS n") == [{"n": 7}]

    def test_a_smaller_graph_replaces_everything(self, store, graph):
        store.write(graph)
        docs, lineage = corpus()
        smaller = build_graph(docs[:1])
        store.write(smaller)
        assert same_graph(store.to_networkx(), smaller)
        assert store.query("MATCH (i:Item) RETURN count(i) AS n") == [{"n": 3}]

    def test_failed_write_keeps_the_previous_graph(self, store, graph):
        store.write(graph)
        bad = build_graph(*corpus())
        bad.nodes[next(n for n, a in bad.nodes(data=True) if a["label"] == "Item")]["year"] = "二〇二一"
        with pytest.raises(StoreError):
            store.write(bad)
        assert same_graph(store.to_networkx(), graph)

    def test_unknown_label_is_refused_and_keeps_the_graph(self, store, graph):
        store.write(graph)
        bad = build_graph(*corpus())
        bad.add_node("x", label="Person")
        with pytest.raises(StoreError, match="Person"):
            store.write(bad)
        assert same_graph(store.to_networkx(), graph)

    def test_read_query_refuses_writes(self, store, graph):
        store.write(graph)
        with pytest.raises(QueryError, match="--write"):
            store.query("MATCH (i:Item) SET i.title = 'x' RETURN i.id")
        assert store.query("MATCH (i:Item) WHERE i.title = 'x' RETURN i.id AS id") == []

    def test_write_query_when_asked(self, store, graph):
        store.write(graph)
        store.query("MATCH (i:Item) WHERE i.ref = $ref SET i.title = $title", {"ref": f"{P_REF}#1", "title": "财政公开"}, write=True)
        assert store.query("MATCH (i:Item) WHERE i.ref = $ref RETURN i.title AS t", {"ref": f"{P_REF}#1"}) == [{"t": "财政公开"}]

    def test_parameters_stay_values(self, store, graph):
        store.write(graph)
        nasty = "x' OR 1=1 RETURN 1 // \"} MATCH (n) DETACH DELETE n"
        assert store.query("RETURN $v AS v", {"v": nasty}) == [{"v": nasty}]
        assert store.query("MATCH (i:Item) WHERE i.ref = $ref RETURN i.id AS id", {"ref": nasty}) == []
        assert store.query("MATCH (i:Item) RETURN count(i) AS n") == [{"n": 7}]

    def test_whole_nodes_come_back_as_property_dicts(self, store, graph):
        store.write(graph)
        (row,) = store.query("MATCH (d:Document) WHERE d.ref = $ref RETURN d", {"ref": M_REF})
        assert row["d"]["_label"] == "Document" and row["d"]["title"] == M_REF


def test_read_only_store_refuses_writes(tmp_path, graph):
    with LadybugStore(tmp_path / "g.lbdb") as s:
        s.write(graph)
    with LadybugStore(tmp_path / "g.lbdb", read_only=True) as ro:
        with pytest.raises(QueryError):
            ro.query("MATCH (i:Item) SET i.title = 'x'", write=True)
        with pytest.raises(QueryError):
            ro.write(graph)
        assert ro.query("MATCH (i:Item) RETURN count(i) AS n") == [{"n": 7}]


# --------------------------------------------------------------------------- LadybugDB only


class TestLadybugFiles:
    def test_one_file_and_no_leftovers(self, tmp_path, graph):
        with LadybugStore(tmp_path / "db" / "g.lbdb") as s:
            s.write(graph)
            s.write(graph)
        assert sorted(p.name for p in (tmp_path / "db").iterdir()) == ["g.lbdb"]

    def test_missing_database_read_only(self, tmp_path):
        with pytest.raises(StoreError, match="run `lineage build` first"):
            LadybugStore(tmp_path / "none.lbdb", read_only=True)

    def test_folder_is_not_a_database(self, tmp_path):
        with pytest.raises(StoreError, match="is a folder"):
            LadybugStore(tmp_path)

    def test_stale_build_of_a_dead_writer_is_removed(self, tmp_path, graph):
        # a writer killed after building but before the rename leaves a folder like this one
        dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
        stale = tmp_path / f".g.lbdb.{dead.stdout.strip()}.abc.tmp"
        stale.mkdir()
        (stale / "g.lbdb").write_bytes(b"half a database")
        with LadybugStore(tmp_path / "g.lbdb") as s:
            s.write(graph)
            assert s.query("MATCH (i:Item) RETURN count(i) AS n") == [{"n": 7}]
        assert not stale.exists()

    def test_another_writer_holding_the_file_blocks_the_swap(self, tmp_path, graph):
        path = tmp_path / "g.lbdb"
        with LadybugStore(path) as s:
            s.write(graph)
        holder = subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(f"""
                import sys, ladybug
                db = ladybug.Database({str(path)!r})
                print("open", flush=True)
                sys.stdin.readline()
                db.close()
            """)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            assert holder.stdout.readline().strip() == "open"
            with LadybugStore(path) as s, pytest.raises(StoreError, match="cannot replace"):
                s.write(build_graph(corpus()[0][:1]))
        finally:
            holder.communicate("done\n")
        with LadybugStore(path, read_only=True) as s:
            assert same_graph(s.to_networkx(), graph)


@pytest.mark.parametrize(
    ("cypher", "clause"),
    [
        ("MATCH (n:Item) RETURN n.id", None),
        ("MATCH (n:Item) WHERE n.text CONTAINS 'DELETE' RETURN n.id", None),
        ("MATCH (n:Item) RETURN n.id // CREATE later", None),
        ("MATCH (n:Item) WHERE n.set = $create RETURN n.id", None),
        ("MATCH (n:Item) DETACH DELETE n", "DETACH"),
        ("merge (n:Region {id: 'x'})", "MERGE"),
        ("COPY Item FROM 'x.csv'", "COPY"),
        ("MATCH (n) /* comment */ REMOVE n.title", "REMOVE"),
    ],
)
def test_write_detection(cypher, clause):
    assert writes(cypher) == clause


def test_no_schema_property_takes_a_reserved_attribute_name():
    """``label`` and ``type`` hold the node label and edge type in the networkx model."""
    from policy_lineage.graph.schema import RELATIONSHIPS

    clashes = [(name, p) for name, props in NODES.items() for p in props if p in RESERVED]
    clashes += [(name, p) for name, (_, props) in RELATIONSHIPS.items() for p in props if p in RESERVED]
    assert clashes == []


def test_printed_number_reaches_the_store(store):
    """The number as printed ((十八)) is stored beside the integer seq, on both stores."""
    docs, lineage = corpus()
    item = docs[0].items[0]
    item.label = "(十八)"
    store.write(build_graph(docs, lineage))
    rows = store.query("MATCH (i:Item) WHERE i.id = $id RETURN i.printed AS printed", {"id": item.item_id(docs[0].doc_id)})
    assert rows == [{"printed": "(十八)"}]


def test_one_office_printed_two_ways_is_one_agency():
    """The issuer's full name and the table's short name of the same office: one Agency node, with
    the document it issued and the item assigned to it; a different office of the region (区委 vs
    区委办) stays apart."""
    from policy_lineage.graph.model import Document, Item, Unit

    doc = Document(
        "2031年分工方案", doc_no="安办〔2031〕1号", region="安居区", region_path=["四川省", "遂宁市", "安居区"],
        level="county", year=2031, issuer="遂宁市安居区人民政府办公室",
        items=[
            Item(1, "做好政务公开。", lead_units=[Unit("安居区政府办公室", "区政府办公室", region="安居区", role="lead")]),
            Item(2, "加强宣传。", units=[Unit("安居区委", "区委", region="安居区"), Unit("安居区委办", "区委办", region="安居区")]),
        ],
    )
    g = build_graph([doc])
    agencies = {g.nodes[n]["name"] for n in g if g.nodes[n]["label"] == "Agency"}
    assert agencies == {"遂宁市安居区人民政府办公室", "安居区委", "安居区委办"}
    office = "agency:遂宁市安居区人民政府办公室"
    assert {(u, v, d["type"]) for u, v, d in g.edges(data=True) if office in (u, v)} >= {
        (office, doc.doc_id, "ISSUED"),
        (doc.items[0].item_id(doc.doc_id), office, "ASSIGNED_TO"),
    }
    assert g.nodes[doc.items[0].item_id(doc.doc_id)]["unit_names"] == ["遂宁市安居区人民政府办公室"]
