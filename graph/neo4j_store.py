"""The graph in a Neo4j 5 server, through the official ``neo4j`` driver.

A peer of the embedded LadybugDB store behind :class:`policy_lineage.graph.store.Store`: the
same graph (shape in :mod:`policy_lineage.graph.schema`), the same ``queries/*.cypher``.  Start
a server with ``docker compose up -d`` (see ``docker-compose.yml`` and ``docs/neo4j.md``).

What it does, in the order a build meets it:

* settings come from the arguments, else NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD and
  NEO4J_DATABASE; the constructor connects once, so a stopped server or a wrong password is
  one clear :class:`~policy_lineage.errors.StoreError` line at open, not a traceback later;
* :meth:`Neo4jStore.create_schema` adds a uniqueness constraint on ``id`` per label
  (``IF NOT EXISTS``), which is also the index every ``MERGE``/``MATCH … {id: …}`` uses;
* :meth:`Neo4jStore.write` turns the networkx graph into rows (:func:`graph_rows`) and replaces
  the stored graph in **one** managed write transaction: delete the project's nodes, then
  ``UNWIND $rows AS row MERGE …`` per label and ``UNWIND $rows AS row MATCH … CREATE …`` per
  relationship type, ``batch_size`` rows per statement;
* :meth:`Neo4jStore.query` runs Cypher with values as parameters in a managed read
  transaction (a query that writes is rolled back with a QueryError) unless ``write=True``.

Notes
-----
*Atomic replace, and its price.*  The delete and every batch run inside a single transaction
(``session.execute_write``), so a failure anywhere, including a relationship whose end node is
missing, rolls back to the previous graph, and readers never see half a build; the driver also
retries the whole function on transient errors, which is safe because it starts by deleting.
The price is that the transaction state holds the old and the new graph at once: Neo4j keeps it
in heap (``db.memory.transaction.total.max``), so a corpus far larger than the seeds needs a
larger heap than docker-compose.yml's 1 GB.  Committing batches separately
(``CALL { … } IN TRANSACTIONS``) would scale further but could leave a mixed graph after a
failure; for this project's size the single transaction is the right trade.

*Relationships are created, not merged.*  The transaction starts from no project nodes, so
``MERGE`` would find nothing to reuse, and it would fold parallel edges of one type between
the same pair (a unit both lead and responsible for an item) into one; ``CREATE`` keeps the
multigraph exactly.  Each batch returns how many it created and a shortfall aborts the write.

*Only the project's labels are touched.*  The delete and the read-back match the labels of
``schema.NODES`` only, so other data in the same database survives a rebuild.
"""

from __future__ import annotations

import os
import re
import time
from typing import Any, Iterator

import networkx as nx
from neo4j import GraphDatabase
from neo4j.exceptions import (
    AuthError,
    ClientError,
    ConfigurationError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)
from neo4j.graph import Node, Path, Relationship

from policy_lineage.errors import QueryError, StoreError
from policy_lineage.graph.nxgraph import Tables, graph_tables
from policy_lineage.graph.schema import NODES, PY_TYPES, RELATIONSHIPS
from policy_lineage.graph.store import Store, WriteStats

__all__ = [
    "Neo4jStore",
    "Rows",
    "graph_rows",
    "statements",
    "constraint_statements",
    "node_merge_query",
    "rel_create_query",
    "DELETE_QUERY",
    "READ_NODES_QUERY",
    "READ_RELS_QUERY",
    "DEFAULT_URI",
]

DEFAULT_URI = "bolt://localhost:7687"
_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def _ident(name: str) -> str:
    """``name`` if it is a plain Cypher identifier (labels and types cannot be parameters)."""
    if not _IDENT.match(name):
        raise ValueError(f"{name!r} is not a plain identifier; graph/schema.py names must be")
    return name


def _label_predicate(var: str) -> str:
    """``n:Region OR n:Agency OR …`` over the schema's labels."""
    return " OR ".join(f"{var}:{_ident(label)}" for label in NODES)


# --------------------------------------------------------------------------- Cypher
def constraint_statements() -> list[str]:
    """One uniqueness constraint on ``id`` per node label, idempotent.

    Examples
    --------
    >>> constraint_statements()[0]
    'CREATE CONSTRAINT region_id IF NOT EXISTS FOR (n:Region) REQUIRE n.id IS UNIQUE'
    """
    return [
        f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{_ident(label)}) REQUIRE n.id IS UNIQUE"
        for label in NODES
    ]


def node_merge_query(label: str) -> str:
    """The batch upsert of one label: each row is ``{id, props}`` and ``props`` holds ``id`` too.

    ``SET n = row.props`` (not ``+=``) so a property the new graph lacks does not survive.

    Examples
    --------
    >>> node_merge_query("Item")
    'UNWIND $rows AS row MERGE (n:Item {id: row.id}) SET n = row.props'
    """
    if label not in NODES:
        raise ValueError(f"unknown label {label!r}")
    return f"UNWIND $rows AS row MERGE (n:{_ident(label)} {{id: row.id}}) SET n = row.props"


def rel_create_query(rel_type: str, src: str, dst: str) -> str:
    """The batch insert of one relationship type between two labels; returns how many it made.

    Examples
    --------
    >>> print(rel_create_query("HAS_ITEM", "Document", "Item"))
    UNWIND $rows AS row MATCH (a:Document {id: row.src}) MATCH (b:Item {id: row.dst}) CREATE (a)-[r:HAS_ITEM]->(b) SET r = row.props RETURN count(r) AS created
    """
    if (src, dst) not in RELATIONSHIPS.get(rel_type, ([], {}))[0]:
        raise ValueError(f"{rel_type} does not join {src} to {dst} in graph/schema.py")
    return (
        f"UNWIND $rows AS row MATCH (a:{_ident(src)} {{id: row.src}}) MATCH (b:{_ident(dst)} {{id: row.dst}}) "
        f"CREATE (a)-[r:{_ident(rel_type)}]->(b) SET r = row.props RETURN count(r) AS created"
    )


#: Removes every node of the project's labels with its relationships (the first step of a write).
DELETE_QUERY = f"MATCH (n) WHERE {_label_predicate('n')} DETACH DELETE n"

#: The project's nodes: first label, all properties; ordered so a read-back is deterministic.
READ_NODES_QUERY = (
    f"MATCH (n) WHERE {_label_predicate('n')} "
    "RETURN labels(n)[0] AS label, properties(n) AS props ORDER BY label, n.id"
)

#: The project's relationships between the project's nodes.
READ_RELS_QUERY = (
    f"MATCH (a)-[r]->(b) WHERE ({_label_predicate('a')}) AND ({_label_predicate('b')}) AND type(r) IN $types "
    "RETURN a.id AS src, b.id AS dst, type(r) AS type, properties(r) AS props "
    "ORDER BY src, dst, type, elementId(r)"
)


def statements() -> list[str]:
    """Every Cypher text this module can send, for the lint (``tests/test_cypher_lint.py``)."""
    out = constraint_statements() + [DELETE_QUERY, READ_NODES_QUERY, READ_RELS_QUERY]
    out += [node_merge_query(label) for label in NODES]
    out += [rel_create_query(t, a, b) for t, (pairs, _) in RELATIONSHIPS.items() for a, b in pairs]
    return out


# --------------------------------------------------------------------------- rows
class Rows(Tables):
    """A graph as parameter rows, grouped the way the load statements take them.

    Attributes
    ----------
    nodes : dict
        label -> ``[{"id": …, "props": {…}}]``; ``props`` holds the schema properties that are
        not None, ``id`` included.
    rels : dict
        (type, source label, target label) -> ``[{"src": …, "dst": …, "props": {…}}]``.
    """


def _coerce(value: Any, kind: str, where: str) -> Any:
    """A schema value as the plain Python type the driver sends (numpy scalars included)."""
    py = PY_TYPES[kind]
    if type(value) is py and kind != "INT64":
        return value
    if kind == "BOOLEAN" and not isinstance(value, (bool, int)) and type(value).__name__ != "bool_":
        raise StoreError(f"{where}: {value!r} is not a boolean")
    try:
        out = py(value)
    except (TypeError, ValueError) as e:
        raise StoreError(f"{where}: {value!r} is not {kind}") from e
    if kind == "INT64" and not -(2**63) <= out < 2**63:
        raise StoreError(f"{where}: {value!r} does not fit Neo4j's 64-bit integer")
    return out




def _props(row: dict[str, Any], schema: dict[str, str], where: str) -> dict[str, Any]:
    return {name: _coerce(row[name], kind, f"{where}.{name}") for name, kind in schema.items() if row.get(name) is not None}


def graph_rows(graph: nx.MultiDiGraph) -> Rows:
    """Rows of a graph built to graph/schema.py, checked against it.

    The tables of :func:`~policy_lineage.graph.nxgraph.graph_tables` (labels, types and
    end-label pairs checked there), with None left out (Neo4j stores no nulls) and every value
    coerced to the plain Python type its schema kind names, so the driver sends what the
    schema says.

    Raises
    ------
    StoreError
        A label, type, end-label pair or property value the schema does not allow.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("r1", label="Region", name="四川省", level="province", path=None)
    >>> g.add_node("r2", label="Region", name="遂宁市", level="city")
    >>> _ = g.add_edge("r2", "r1", type="PART_OF")
    >>> rows = graph_rows(g)
    >>> rows.nodes["Region"][0]
    {'id': 'r1', 'props': {'id': 'r1', 'name': '四川省', 'level': 'province'}}
    >>> rows.rels
    {('PART_OF', 'Region', 'Region'): [{'src': 'r2', 'dst': 'r1', 'props': {}}]}
    """
    tables = graph_tables(graph)
    rows = Rows()
    for label, table in tables.nodes.items():
        schema = NODES[label]
        rows.nodes[label] = [{"id": r["id"], "props": _props(r, schema, f"{label} {r['id']!r}")} for r in table]
    for key, table in tables.rels.items():
        schema = RELATIONSHIPS[key[0]][1]
        rows.rels[key] = [
            {"src": r["from"], "dst": r["to"], "props": _props(r, schema, f"{key[0]} {r['from']!r}->{r['to']!r}")} for r in table
        ]
    return rows


def _batches(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


# --------------------------------------------------------------------------- values
def _plain(value: Any) -> Any:
    """Driver values as plain Python: nodes and relationships as property dicts, times as ISO text."""
    if isinstance(value, Node):
        return {"_label": next(iter(value.labels), None), **dict(value.items())}
    if isinstance(value, Relationship):
        return {"_type": value.type, **dict(value.items())}
    if isinstance(value, Path):
        return [_plain(n) for n in value.nodes]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):  # neo4j.time.Date / DateTime / Duration
        return value.iso_format()
    return value


def _one_line(text: str, limit: int = 240) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------- store
class Neo4jStore(Store):
    """The graph in a Neo4j 5 server.

    Parameters
    ----------
    uri, user, password, database : str, optional
        Default to NEO4J_URI (else ``bolt://localhost:7687``), NEO4J_USER (else ``neo4j``),
        NEO4J_PASSWORD (else no authentication, for a server run with ``NEO4J_AUTH=none``) and
        NEO4J_DATABASE (else the server's default database).
    read_only : bool
        Refuse :meth:`write` and ``query(…, write=True)`` with a QueryError.
    batch_size : int
        Rows per ``UNWIND`` statement.
    connection_timeout : float
        Seconds to wait for a TCP connection before calling the server unreachable.

    Raises
    ------
    StoreError
        The URI is not a Bolt URI, the server is unreachable, or it refuses the credentials.

    Examples
    --------
    Nothing listens on port 1, so this fails at once, in one line:

    >>> Neo4jStore(uri="bolt://127.0.0.1:1")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    policy_lineage.errors.StoreError: Neo4j at bolt://127.0.0.1:1 is unreachable (...Connection refused); start it with `docker compose up -d` or set NEO4J_URI
    """

    backend = "neo4j"

    def __init__(
        self,
        uri: str | None = None,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        read_only: bool = False,
        batch_size: int = 1000,
        *,
        connection_timeout: float = 10.0,
    ):
        env = os.environ
        self.uri = uri or env.get("NEO4J_URI") or DEFAULT_URI
        self.user = user or env.get("NEO4J_USER") or "neo4j"
        password = password if password is not None else env.get("NEO4J_PASSWORD")
        self.database = database or env.get("NEO4J_DATABASE") or None
        self.read_only = read_only
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.batch_size = batch_size
        self._schema_ready = False
        self._driver = None
        scheme = self.uri.split("://", 1)[0] if "://" in self.uri else ""
        if scheme not in _SCHEMES:
            raise StoreError(f"NEO4J_URI {self.uri!r} is not a Bolt URI; use bolt://host:7687 or neo4j://host:7687")
        try:
            self._driver = GraphDatabase.driver(
                self.uri, auth=(self.user, password) if password else None, connection_timeout=connection_timeout
            )
            self._driver.verify_connectivity()
        except (Neo4jError, DriverError) as e:
            self.close()
            raise self._error(e) from e

    def __repr__(self) -> str:
        mode = "read-only" if self.read_only else "read-write"
        return f"Neo4jStore({self.uri!r}, user={self.user!r}, database={self.database!r}, {mode})"

    # ---------------------------------------------------------------- errors
    def _error(self, e: Exception) -> Exception:
        """The project's one-line error for a driver error."""
        if isinstance(e, AuthError):
            return StoreError(
                f"Neo4j at {self.uri} refused the credentials of user {self.user!r}; check NEO4J_USER and NEO4J_PASSWORD"
            )
        if isinstance(e, (ServiceUnavailable, SessionExpired)):
            reason = re.search(r"\(reason (.+?)\)\s*$", str(e))
            why = f" ({reason.group(1)})" if reason else ""
            return StoreError(
                f"Neo4j at {self.uri} is unreachable{why}; start it with `docker compose up -d` or set NEO4J_URI"
            )
        if isinstance(e, ConfigurationError):
            return StoreError(f"Neo4j driver configuration: {_one_line(str(e))}")
        code = getattr(e, "code", None) or ""
        message = _one_line(getattr(e, "message", None) or str(e))
        if code == "Neo.ClientError.Statement.AccessMode":
            return QueryError(f"the query writes, but it ran read-only; pass write=True (lineage query --write): {message}")
        if code == "Neo.ClientError.Database.DatabaseNotFound":
            return StoreError(f"Neo4j at {self.uri} has no database {self.database!r}; check NEO4J_DATABASE")
        if isinstance(e, ClientError) and code.startswith("Neo.ClientError.Statement."):
            return QueryError(f"{code.rsplit('.', 1)[-1]}: {message}")
        return StoreError(f"Neo4j at {self.uri}: {code + ': ' if code else ''}{message}")

    def _session(self):
        if self._driver is None:
            raise StoreError("this Neo4j store is closed")
        return self._driver.session(database=self.database)

    def _refuse_writes(self, what: str) -> None:
        if self.read_only:
            raise QueryError(f"{what} refused: this Neo4j store was opened read-only")

    # ---------------------------------------------------------------- schema
    def create_schema(self) -> None:
        """Create the uniqueness constraints (idempotent; each in its own transaction, as Neo4j
        does not mix schema and data changes in one)."""
        self._refuse_writes("create_schema")
        if self._schema_ready:
            return
        try:
            with self._session() as session:
                for statement in constraint_statements():
                    session.execute_write(lambda tx, q: tx.run(q).consume(), statement)
        except (Neo4jError, DriverError) as e:
            raise self._error(e) from e
        self._schema_ready = True

    # ---------------------------------------------------------------- write
    def write(self, graph: nx.MultiDiGraph) -> WriteStats:
        """Replace the project's graph with ``graph`` in one transaction (see the module Notes)."""
        self._refuse_writes("write")
        started = time.perf_counter()
        rows = graph_rows(graph)
        self.create_schema()
        try:
            with self._session() as session:
                session.execute_write(self._replace, rows, self.batch_size)
        except (Neo4jError, DriverError) as e:
            raise self._error(e) from e
        return WriteStats(counts=rows.counts(), seconds=time.perf_counter() - started)

    @staticmethod
    def _replace(tx, rows: Rows, batch_size: int) -> None:
        """The transaction function: delete, then load every batch; raising rolls it all back."""
        tx.run(DELETE_QUERY).consume()
        for label, node_rows in rows.nodes.items():
            query = node_merge_query(label)
            for batch in _batches(node_rows, batch_size):
                tx.run(query, {"rows": batch}).consume()
        for (rel_type, src, dst), rel_rows in rows.rels.items():
            query = rel_create_query(rel_type, src, dst)
            created = 0
            for batch in _batches(rel_rows, batch_size):
                created += tx.run(query, {"rows": batch}).single(strict=True)["created"]
            if created != len(rel_rows):
                raise StoreError(f"{rel_type} {src}->{dst}: created {created} of {len(rel_rows)}; an end node is missing")

    # ---------------------------------------------------------------- read
    def query(self, cypher: str, params: dict[str, Any] | None = None, *, write: bool = False) -> list[dict[str, Any]]:
        """Rows of ``cypher`` as dicts keyed by the RETURN names.

        Without ``write`` the query runs in a managed *read* transaction (routed READ, where
        the server refuses writes) and, as a second guard that does not depend on the server,
        a query whose summary reports any update is rolled back and raised as a QueryError.
        """
        if write:
            self._refuse_writes("query(write=True)")
        try:
            with self._session() as session:
                run = session.execute_write if write else session.execute_read
                keys, records = run(self._run, cypher, dict(params or {}), write)
        except (Neo4jError, DriverError) as e:
            raise self._error(e) from e
        return [dict(zip(keys, (_plain(v) for v in values))) for values in records]

    @staticmethod
    def _run(tx, cypher: str, params: dict[str, Any], write: bool) -> tuple[list[str], list[list[Any]]]:
        """The transaction function of :meth:`query`; raising inside it rolls the query back."""
        result = tx.run(cypher, params)
        keys = list(result.keys())
        records = [record.values() for record in result]
        counters = result.consume().counters
        if not write and (counters.contains_updates or counters.contains_system_updates):
            raise QueryError("the query writes, but it ran read-only (rolled back); pass write=True (lineage query --write)")
        return keys, records

    def to_networkx(self) -> nx.MultiDiGraph:
        """The stored graph as the in-memory model.

        Every node gets ``label`` and every schema property (None where Neo4j stores nothing,
        as it keeps no nulls), ``id`` included; every edge gets ``type`` and its schema
        properties.
        """
        graph = nx.MultiDiGraph()
        for row in self.query(READ_NODES_QUERY):
            label, props = row["label"], row["props"]
            graph.add_node(props["id"], label=label, **{p: props.get(p) for p in NODES[label]})
        for row in self.query(READ_RELS_QUERY, {"types": list(RELATIONSHIPS)}):
            schema = RELATIONSHIPS[row["type"]][1]
            props = {p: row["props"].get(p) for p in schema}
            graph.add_edge(row["src"], row["dst"], type=row["type"], **props)
        return graph

    def close(self) -> None:
        """Close the driver's connections; idempotent."""
        if self._driver is not None:
            self._driver.close()
            self._driver = None
