"""Neo4j store: what is particular to Neo4j.

The store contract every backend meets (round trip, atomic replace, queries) is asserted once,
parametrized over backends, in tests/test_graph_store.py.  Here:

* without a server (always run): connection errors, graph -> rows, the order and batching of
  the load transaction (a recording transaction stands in for the server, as it cannot run
  here), the read-only guard;
* with a server (``NEO4J_URI`` set, e.g. after ``docker compose up -d``): constraints, the
  read-only store and read transactions refusing writes, rollback of a failed write.
"""

from __future__ import annotations

import os
import re

import networkx as nx
import numpy as np
import pytest
from neo4j import SummaryCounters

from policy_lineage.cypherlint import ROOT
from policy_lineage.errors import QueryError, StoreError
from policy_lineage.graph.neo4j_store import (
    DELETE_QUERY,
    Neo4jStore,
    Rows,
    constraint_statements,
    graph_rows,
    node_merge_query,
    rel_create_query,
)
from policy_lineage.graph.schema import NODES
from policy_lineage.graph.store import open_store


def _small_graph() -> nx.MultiDiGraph:
    """安居区 assigns one item to 区财政局 as lead and as responsible unit (two parallel edges)."""
    g = nx.MultiDiGraph()
    g.add_node("r:sc", label="Region", name="四川省", level="province", path="四川省")
    g.add_node("r:aj", label="Region", name="安居区", level="county", path="四川省/遂宁市/安居区")
    g.add_node("d:aj", label="Document", title="2021年全区政务公开重点任务分工方案", region="安居区", year=np.int64(2021), stub=False)
    g.add_node("i:aj:1", label="Item", doc_id="d:aj", seq=1, title="推进财政预决算公开", text="…", extra="not in schema", line=None)
    g.add_node("a:aj:cz", label="Agency", name="安居区财政局", region="安居区", kind="财政", collective=False)
    g.add_edge("r:aj", "r:sc", type="PART_OF")
    g.add_edge("d:aj", "r:aj", type="IN")
    g.add_edge("d:aj", "i:aj:1", type="HAS_ITEM")
    g.add_edge("i:aj:1", "a:aj:cz", type="ASSIGNED_TO", role="lead", original="区财政局")
    g.add_edge("i:aj:1", "a:aj:cz", type="ASSIGNED_TO", role="responsible", original="区财政局")
    return g


class TestConnection:
    def test_unreachable_server_is_one_line(self):
        with pytest.raises(StoreError) as err:
            Neo4jStore(uri="bolt://127.0.0.1:1")
        message = str(err.value)
        assert "\n" not in message
        assert "bolt://127.0.0.1:1 is unreachable" in message
        assert "docker compose up -d" in message

    def test_settings_come_from_the_environment(self, monkeypatch):
        monkeypatch.setenv("NEO4J_URI", "neo4j://127.0.0.1:1")
        with pytest.raises(StoreError, match=r"neo4j://127\.0\.0\.1:1 is unreachable"):
            open_store("neo4j")

    def test_http_uri_is_refused_before_connecting(self):
        with pytest.raises(StoreError, match="not a Bolt URI"):
            Neo4jStore(uri="http://localhost:7474")


class TestRows:
    def test_nodes_keep_schema_properties_only(self):
        rows = graph_rows(_small_graph())
        (item,) = rows.nodes["Item"]
        assert item == {
            "id": "i:aj:1",
            "props": {"id": "i:aj:1", "doc_id": "d:aj", "seq": 1, "title": "推进财政预决算公开", "text": "…"},
        }
        (doc,) = rows.nodes["Document"]
        assert type(doc["props"]["year"]) is int and doc["props"]["year"] == 2021
        assert doc["props"]["stub"] is False

    def test_parallel_edges_stay_two_rows(self):
        rows = graph_rows(_small_graph())
        assigned = rows.rels[("ASSIGNED_TO", "Item", "Agency")]
        assert [r["props"]["role"] for r in assigned] == ["lead", "responsible"]
        assert rows.counts()["ASSIGNED_TO"] == 2
        assert rows.counts()["Region"] == 2

    def test_unknown_label_is_refused(self):
        g = _small_graph()
        g.add_node("x", label="Person")
        with pytest.raises(StoreError, match="label 'Person' is not one of"):
            graph_rows(g)

    def test_edge_between_wrong_labels_is_refused(self):
        g = _small_graph()
        g.add_edge("r:aj", "i:aj:1", type="HAS_ITEM")
        with pytest.raises(StoreError, match="HAS_ITEM cannot join Region to Item"):
            graph_rows(g)

    def test_value_of_the_wrong_type_is_refused(self):
        g = _small_graph()
        g.nodes["i:aj:1"]["seq"] = "三"
        with pytest.raises(StoreError, match=r"Item 'i:aj:1'\.seq: '三' is not INT64"):
            graph_rows(g)

    def test_integer_beyond_64_bits_is_refused(self):
        g = _small_graph()
        g.nodes["i:aj:1"]["line"] = 2**63
        with pytest.raises(StoreError, match="64-bit"):
            graph_rows(g)


class _Result:
    """What a transaction's ``run`` returns, reduced to what the store reads."""

    def __init__(self, created: int, keys=(), records=(), stats=None):
        self._created, self._keys, self._records = created, keys, records
        self._stats = stats or {}

    def consume(self):
        return type("Summary", (), {"counters": SummaryCounters(self._stats)})()

    def single(self, strict=False):
        return {"created": self._created}

    def keys(self):
        return self._keys

    def __iter__(self):
        return iter(type("Record", (), {"values": lambda self, v=r: list(v)})() for r in self._records)


class _RecordingTx:
    """Stands in for a managed transaction: records each statement; can lose relationships."""

    def __init__(self, lose: int = 0):
        self.calls: list[tuple[str, dict | None]] = []
        self.lose = lose

    def run(self, query, parameters=None):
        self.calls.append((query, parameters))
        rows = (parameters or {}).get("rows", [])
        return _Result(max(len(rows) - self.lose, 0))


class TestLoadTransaction:
    def test_delete_first_then_batched_nodes_then_relationships(self):
        rows = graph_rows(_small_graph())
        tx = _RecordingTx()
        Neo4jStore._replace(tx, rows, 1)
        queries = [q for q, _ in tx.calls]
        assert queries[0] == DELETE_QUERY
        # batch_size 1: one statement per row; all node statements before any relationship.
        assert queries[1:3] == [node_merge_query("Region")] * 2
        first_rel = next(i for i, q in enumerate(queries) if "CREATE (a)-" in q)
        assert all("MERGE (n:" in q for q in queries[1:first_rel])
        assert queries.count(rel_create_query("ASSIGNED_TO", "Item", "Agency")) == 2
        assert len(queries) == 1 + 5 + 5

    def test_batches_hold_batch_size_rows(self):
        g = nx.MultiDiGraph()
        for n in range(5):
            g.add_node(f"r{n}", label="Region", name=f"区{n}")
        tx = _RecordingTx()
        Neo4jStore._replace(tx, graph_rows(g), 2)
        assert [len(p["rows"]) for q, p in tx.calls if p] == [2, 2, 1]

    def test_missing_end_node_aborts_the_transaction(self):
        tx = _RecordingTx(lose=1)
        with pytest.raises(StoreError, match="created 0 of 1; an end node is missing"):
            Neo4jStore._replace(tx, graph_rows(_small_graph()), 1000)

    def test_read_query_that_writes_is_refused(self):
        class Tx:
            def run(self, query, parameters=None):
                return _Result(0, keys=("n",), records=[(1,)], stats={"nodes-created": 1})

        with pytest.raises(QueryError, match="writes, but it ran read-only"):
            Neo4jStore._run(Tx(), "CREATE (n:Region {id: 'x'}) RETURN 1 AS n", {}, False)
        assert Neo4jStore._run(Tx(), "CREATE (n:Region {id: 'x'}) RETURN 1 AS n", {}, True) == (["n"], [[1]])


def test_one_constraint_per_label():
    assert len(constraint_statements()) == len(NODES)
    assert "CREATE CONSTRAINT item_id IF NOT EXISTS FOR (n:Item) REQUIRE n.id IS UNIQUE" in constraint_statements()


# --------------------------------------------------------------------------- with a server
needs_server = pytest.mark.skipif(
    not os.environ.get("NEO4J_URI"),
    reason="NEO4J_URI not set: Neo4j runtime tests need a server (docker compose up -d)",
)


@pytest.fixture
def store():
    with Neo4jStore() as s:
        yield s
        s.write(nx.MultiDiGraph())  # leave no test data behind


@pytest.mark.neo4j
@needs_server
class TestServer:
    def test_constraints_exist(self, store):
        store.write(_small_graph())
        rows = store.query(
            "SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties "
            "WHERE type = 'UNIQUENESS' RETURN labelsOrTypes[0] AS label, properties AS props"
        )
        assert {r["label"] for r in rows if r["props"] == ["id"]} >= set(NODES)

    def test_parallel_edges_survive_the_round_trip(self, store):
        store.write(_small_graph())
        rows = store.query(
            "MATCH (:Item {id: $id})-[r:ASSIGNED_TO]->(:Agency) RETURN r.role AS role ORDER BY role", {"id": "i:aj:1"}
        )
        assert rows == [{"role": "lead"}, {"role": "responsible"}]

    def test_read_transaction_refuses_writes(self, store):
        store.write(_small_graph())
        with pytest.raises(QueryError):
            store.query("CREATE (n:Region {id: 'r:new'}) RETURN n.id AS id")
        assert store.query("MATCH (n:Region {id: 'r:new'}) RETURN n.id AS id") == []

    def test_read_only_store_refuses_writes(self, store):
        store.write(_small_graph())
        with Neo4jStore(read_only=True) as ro:
            with pytest.raises(QueryError, match="read-only"):
                ro.write(nx.MultiDiGraph())
            with pytest.raises(QueryError, match="read-only"):
                ro.query("MATCH (n:Region) DETACH DELETE n", write=True)
            assert ro.query("MATCH (n:Region) RETURN count(n) AS n") == [{"n": 2}]

    def test_failed_write_keeps_the_previous_graph(self, store):
        store.write(_small_graph())

        class Failing(Neo4jStore):
            @staticmethod
            def _replace(tx, rows, batch_size):
                Neo4jStore._replace(tx, rows, batch_size)  # everything deleted and loaded ...
                raise StoreError("simulated failure after the last batch")  # ... then rolled back

        with Failing() as failing, pytest.raises(StoreError, match="simulated"):
            g = nx.MultiDiGraph()
            g.add_node("r:only", label="Region", name="只此一个")
            failing.write(g)
        assert store.query("MATCH (n:Region) RETURN n.id AS id ORDER BY id") == [{"id": "r:aj"}, {"id": "r:sc"}]

    def test_syntax_error_is_a_query_error(self, store):
        with pytest.raises(QueryError, match="SyntaxError"):
            store.query("MATCH (n RETURN n")


@pytest.fixture(scope="module")
def neo4j_service():
    """docker-compose.yml and its neo4j service."""
    yaml = pytest.importorskip("yaml", reason="PyYAML is needed to read docker-compose.yml")
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    return compose, compose["services"]["neo4j"]


class TestComposeFile:
    """docker-compose.yml: a pinned 5.26 server, reachable from this machine only, no secret inside."""

    def test_image_is_a_pinned_5_26_patch(self, neo4j_service):
        _, svc = neo4j_service
        assert re.fullmatch(r"neo4j:5\.26\.\d+(-community)?", svc["image"]), svc["image"]

    def test_ports_bound_to_localhost(self, neo4j_service):
        _, svc = neo4j_service
        assert sorted(svc["ports"]) == ["127.0.0.1:7474:7474", "127.0.0.1:7687:7687"]

    def test_password_comes_from_the_environment(self, neo4j_service):
        _, svc = neo4j_service
        env = svc["environment"]
        assert re.fullmatch(r"\$\{NEO4J_USER:-neo4j\}/\$\{NEO4J_PASSWORD:\?[^}]+\}", env["NEO4J_AUTH"])
        assert not [k for k in env if "PASSWORD" in k.upper()]

    def test_data_in_named_volumes_and_a_healthcheck(self, neo4j_service):
        compose, svc = neo4j_service
        named = {v.split(":", 1)[0] for v in svc["volumes"]}
        assert named == set(compose["volumes"])
        assert {v.split(":", 1)[1] for v in svc["volumes"]} == {"/data", "/logs"}
        assert "RETURN 1" in " ".join(svc["healthcheck"]["test"])

    def test_env_example_names_what_the_store_reads(self):
        lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
        keys = {line.split("=", 1)[0] for line in lines if line and not line.startswith("#")}
        assert keys == {"NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE"}
