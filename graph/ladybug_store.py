"""The graph in an embedded LadybugDB database (the maintained fork of Kùzu): nothing to start.

A peer of the Neo4j store behind :class:`policy_lineage.graph.store.Store`: the same graph
(shape in :mod:`policy_lineage.graph.schema`), the same ``queries/*.cypher``.

* The database is one file (``.lineage/graph.lbdb`` by default) plus a ``.wal`` while it is
  open for writing.  Tables come from graph/schema.py: one node table per label with
  ``PRIMARY KEY(id)``, one relationship table per type listing every FROM/TO pair.
* :meth:`LadybugStore.write` builds a *new* database in a sibling temporary folder, bulk-loads
  it with ``COPY <table> FROM <DataFrame>`` (one statement per table and end-label pair, never
  one per row), closes it, and moves the finished file over the old one with one
  :func:`os.replace`.  A failure or a kill at any point before that rename leaves the old file
  untouched; the rename itself is atomic on POSIX and Windows.
* :meth:`LadybugStore.query` runs Cypher with values as parameters.  Read-only queries are
  refused when they write: a store opened ``read_only`` opens the database read-only, and a
  read-write store checks the statement for writing clauses outside strings and comments.

Notes
-----
*LadybugDB's Cypher dialect* differs from Neo4j's in ways the shared queries must respect,
learnt on this version (0.22): a parameter that is null takes the type of its *first*
occurrence, so optional filters are written ``(x.p = $p OR $p IS NULL)`` and not the other
way round (``$p IS NULL`` first types it BOOL and the comparison fails); list indexes are
1-based (Neo4j: 0-based), ``substring`` too; there are no list comprehensions, ``reduce``,
``split`` or ``toString``; ``WITH … ORDER BY`` needs ``SKIP`` or ``LIMIT``; a parameter inside
``any(x IN list WHERE …)`` must be bound to a variable first (``WITH $unit AS unit``);
``labels(n)`` returns a string.  ``IN`` is a keyword and is quoted as ``\\`IN\\``` in DDL.
Two crashes to steer around (0.22): an ``OPTIONAL MATCH`` whose pattern closes a cycle on bound
nodes (``(k)<-[:CARRIES]-(x)-[xl:IMPLEMENTS]->(duty)``) kills the process with a segmentation
fault as soon as a property of one of its relationships is read (put that test in an
``EXISTS { }`` instead, or read only node properties: queries/gaps.cypher matches the cycle and
filters the rejected links with a list of item ids collected once per duty, which costs far
less than an ``EXISTS { }`` evaluated per carrier); ``EXISTS { }`` as a projected value
(``WITH …, EXISTS {…} AS f``) fails with "Cannot evaluate expression with type PROPERTY" once
the query ends in ``ORDER BY`` (``count()`` of an ``OPTIONAL MATCH`` does the same job).  Every
``OPTIONAL MATCH`` from a bound node is planned as a hash join over the whole relationship
table, so a query's cost follows the tables it touches more than the rows it keeps
(``PROFILE <query>`` shows the plan and times).  A list property (``STRING[]``, such as
``Item.unit_kinds``) loads from a DataFrame column of Python lists and answers ``x IN n.list``
on both stores; precomputing such a summary at build time is how a look-up that would join a
large relationship table per query is avoided, when nothing but a rebuild changes it.

*Values* come back as Python values; nodes and relationships returned whole become property
dicts with ``_label`` / ``_type`` (LadybugDB's internal ``_ID``, ``_SRC``, ``_DST`` dropped), the
same shape the Neo4j store returns.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from policy_lineage.errors import QueryError, StoreError
from policy_lineage.graph.nxgraph import RESERVED, edge_key, graph_tables
from policy_lineage.graph.schema import NODES, RELATIONSHIPS
from policy_lineage.graph.store import Store, WriteStats

__all__ = ["LadybugStore", "schema_statements", "writes", "WRITE_CLAUSES"]

#: Clauses that change a database (or its files); a read-only query may use none of them.
WRITE_CLAUSES = (
    "CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "COPY", "DROP", "ALTER",
    "IMPORT", "EXPORT", "INSTALL", "ATTACH", "CHECKPOINT", "FOREACH",
)  # fmt: skip

_TOKENS = re.compile(
    r"""
      (?P<skip> '(?:[^'\\]|\\.)*' | "(?:[^"\\]|\\.)*" | `[^`]*` | //[^\n]* | /\*.*?\*/ )
    | (?P<word> [A-Za-z_][A-Za-z0-9_]* )
    | (?P<prop> [.$:][A-Za-z_][A-Za-z0-9_]* )
    """,
    re.VERBOSE | re.DOTALL,
)

#: Buffer pool for opening a database only to lock and checkpoint it: the default (most of the
#: machine's memory) takes longer to reserve than the open itself.
_SMALL_POOL = 64 * 1024**2

_QUERY_ERRORS = ("Parser exception", "Binder exception", "Catalog exception", "Conversion exception", "Runtime exception")


def writes(cypher: str) -> str | None:
    """The first writing clause of ``cypher`` outside strings, quoted names and comments.

    Property names, parameters, labels and relationship types (``n.set``, ``$create``,
    ``:DELETE``) are names, not clauses.

    >>> writes("MATCH (n:Item) WHERE n.text CONTAINS 'CREATE' RETURN n.id // DELETE")
    >>> writes("MATCH (n) DETACH DELETE n")
    'DETACH'
    >>> writes("match (n:Item) set n.title = $set")
    'SET'
    """
    for m in _TOKENS.finditer(cypher):
        word = m.group("word")
        if word and word.upper() in WRITE_CLAUSES:
            return word.upper()
    return None


def _quote(name: str) -> str:
    return f"`{name}`"


def schema_statements() -> list[str]:
    """DDL for every table of graph/schema.py, idempotent (``IF NOT EXISTS``).

    >>> schema_statements()[0]
    'CREATE NODE TABLE IF NOT EXISTS `Region`(id STRING, name STRING, level STRING, path STRING, PRIMARY KEY(id))'
    >>> [s for s in schema_statements() if "`IN`" in s]
    ['CREATE REL TABLE IF NOT EXISTS `IN`(FROM `Document` TO `Region`, FROM `Agency` TO `Region`)']
    """
    out = []
    for label, props in NODES.items():
        cols = ", ".join(f"{p} {t}" for p, t in props.items())
        out.append(f"CREATE NODE TABLE IF NOT EXISTS {_quote(label)}({cols}, PRIMARY KEY(id))")
    for rel_type, (pairs, props) in RELATIONSHIPS.items():
        parts = [f"FROM {_quote(a)} TO {_quote(b)}" for a, b in pairs]
        parts += [f"{p} {t}" for p, t in props.items()]
        out.append(f"CREATE REL TABLE IF NOT EXISTS {_quote(rel_type)}({', '.join(parts)})")
    return out


def _one_line(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    text = re.sub(r"\s*See the docs: \S+ for more information\.?", "", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _plain(value: Any) -> Any:
    """LadybugDB values as the plain shapes both stores return (see the module Notes)."""
    if isinstance(value, dict):
        if "_LABEL" in value and "_ID" in value:
            tag = "_type" if "_SRC" in value else "_label"
            return {tag: value["_LABEL"], **{k: _plain(v) for k, v in value.items() if not k.startswith("_")}}
        if "_nodes" in value and "_rels" in value:  # a path
            return [_plain(n) for n in value["_nodes"]]
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):  # sum() of integers comes back as a DECIMAL
        return int(value) if value == value.to_integral_value() else float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


class LadybugStore(Store):
    """The graph in an embedded LadybugDB file.

    Parameters
    ----------
    db : path, optional
        The database file; default :data:`policy_lineage.pipeline.DEFAULT_DB`.  Its folder is
        created on the first write.
    read_only : bool
        Open the database read-only: queries that write and :meth:`write` are refused with a
        QueryError, and several readers may share the file with one writer elsewhere.

    Raises
    ------
    StoreError
        When the path is a folder, or (read-only) when there is no database there yet.

    Examples
    --------
    >>> import tempfile, networkx as nx
    >>> folder = tempfile.mkdtemp()
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("region:四川省", label="Region", id="region:四川省", name="四川省", level="province", path="四川省")
    >>> with LadybugStore(folder + "/g.lbdb") as store:
    ...     store.write(g).counts
    ...     store.query("MATCH (r:Region) WHERE r.name = $name RETURN r.level AS level", {"name": "四川省"})
    {'Region': 1}
    [{'level': 'province'}]
    """

    backend = "ladybug"

    def __init__(self, db: str | Path | None = None, read_only: bool = False):
        if db is None:
            from policy_lineage.pipeline import DEFAULT_DB

            db = DEFAULT_DB
        self.path = Path(db)
        self.read_only = read_only
        self._db = None
        self._conn = None
        if self.path.is_dir():
            raise StoreError(f"{self.path} is a folder; a LadybugDB database is one file (choose another --db)")
        if read_only and not self.path.exists():
            raise StoreError(f"no graph database at {self.path}; run `lineage build` first (or pass --db)")

    def __repr__(self) -> str:
        return f"LadybugStore({str(self.path)!r}, {'read-only' if self.read_only else 'read-write'})"

    # ---------------------------------------------------------------- connection
    def _connection(self):
        if self._conn is None:
            import ladybug

            try:
                if not self.read_only:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                fresh = not self.path.exists()
                self._db = ladybug.Database(str(self.path), read_only=self.read_only)
                self._conn = ladybug.Connection(self._db)
                if fresh:
                    for statement in schema_statements():
                        self._conn.execute(statement)
            except RuntimeError as e:
                self.close()
                raise StoreError(f"cannot open {self.path}: {_one_line(e)}") from e
        return self._conn

    def close(self) -> None:
        """Close the connection and the database (which checkpoints its WAL); idempotent."""
        for handle in (self._conn, self._db):
            if handle is not None:
                handle.close()
        self._conn = self._db = None

    # ---------------------------------------------------------------- write
    def write(self, graph: nx.MultiDiGraph) -> WriteStats:
        """Replace the stored graph with ``graph``: build a new file, then rename it into place.

        Raises
        ------
        StoreError
            The graph does not fit graph/schema.py (a label, type or value the tables cannot
            hold), the disk refused, or another process holds the database open for writing.
            The previous content is kept in every case.
        QueryError
            The store was opened read-only.
        """
        if self.read_only:
            raise QueryError(f"write refused: {self.path} was opened read-only")
        started = time.perf_counter()
        tables = graph_tables(graph)
        self.close()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_builds(self.path)
        folder = Path(tempfile.mkdtemp(prefix=f".{self.path.name}.{os.getpid()}.", suffix=".tmp", dir=self.path.parent))
        try:
            fresh = folder / self.path.name
            _load(fresh, tables)
            if Path(str(fresh) + ".wal").exists():  # pragma: no cover - closed databases leave none
                raise StoreError(f"{fresh}: the new database did not checkpoint its log")
            self._settle_old()
            os.replace(fresh, self.path)
        except OSError as e:
            raise StoreError(f"cannot write {self.path}: {e.strerror or e}") from e
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return WriteStats(counts=tables.counts(), seconds=time.perf_counter() - started)

    def _settle_old(self) -> None:
        """Make sure nobody writes the old file and its log is folded in before it is replaced.

        Opening read-write takes the file lock (another writer makes this fail, and nothing is
        replaced), and closing checkpoints a log a crashed writer may have left, which must not
        be replayed onto the new file.
        """
        if not self.path.exists():
            return
        import ladybug

        try:
            ladybug.Database(str(self.path), buffer_pool_size=_SMALL_POOL).close()
        except RuntimeError as e:
            raise StoreError(f"cannot replace {self.path}: {_one_line(e)}") from e

    # ---------------------------------------------------------------- read
    def query(self, cypher: str, params: dict[str, Any] | None = None, *, write: bool = False) -> list[dict[str, Any]]:
        """Rows of ``cypher`` as dicts keyed by the RETURN names, in order.

        Raises
        ------
        QueryError
            The query writes and ``write`` is false (or the store is read-only), or LadybugDB
            cannot parse, bind or run it.
        StoreError
            The database failed otherwise.
        """
        if write and self.read_only:
            raise QueryError(f"query refused: {self.path} was opened read-only")
        if not write:
            clause = writes(cypher)
            if clause:
                raise QueryError(f"query writes to the store ({clause}); pass --write")
        conn = self._connection()
        try:
            result = conn.execute(cypher, dict(params or {}))
            if isinstance(result, list):
                result = result[-1]
            keys = result.get_column_names()
            rows = []
            while result.has_next():
                rows.append(dict(zip(keys, (_plain(v) for v in result.get_next()))))
        except RuntimeError as e:
            message = _one_line(e)
            if "read-only" in message:
                raise QueryError(f"query writes to the store; pass --write ({message})") from e
            if "Cannot find property" in message:
                # either a typo in the query or a property the schema gained after this store was
                # built (Item.unit_kinds, read by queries/gaps.cypher): say how to tell
                message = message.rstrip(".") + "; if graph/schema.py declares it, the store predates it: run `lineage build` again"
            if message.startswith(_QUERY_ERRORS):
                raise QueryError(message) from e
            raise StoreError(f"{self.path}: {message}") from e
        return rows

    def to_networkx(self) -> nx.MultiDiGraph:
        """The stored graph as the in-memory model: same ids, labels, types and properties."""
        graph = nx.MultiDiGraph()
        for label, schema in NODES.items():
            props = [p for p in schema if p not in RESERVED]
            cols = ", ".join(f"n.{p} AS {p}" for p in props)
            for row in self.query(f"MATCH (n:{_quote(label)}) RETURN {cols} ORDER BY n.id"):
                graph.add_node(row["id"], label=label, **row)
        for rel_type, (pairs, schema) in RELATIONSHIPS.items():
            cols = "".join(f", r.{p} AS {p}" for p in schema)
            for a, b in pairs:
                cypher = (
                    f"MATCH (a:{_quote(a)})-[r:{_quote(rel_type)}]->(b:{_quote(b)}) "
                    f"RETURN a.id AS _src, b.id AS _dst{cols} ORDER BY _src, _dst"
                )
                for row in self.query(cypher):
                    src, dst = row.pop("_src"), row.pop("_dst")
                    graph.add_edge(src, dst, key=edge_key(rel_type, row), type=rel_type, **row)
        return graph


# --------------------------------------------------------------------------- loading


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows as a DataFrame of object columns: LadybugDB's scan reads Python values and None,
    while pandas' nullable dtypes (Int64, boolean) are not supported by it."""
    columns = list(rows[0])
    return pd.DataFrame({c: pd.Series([r[c] for r in rows], dtype=object) for c in columns})


def _load(path: Path, tables) -> None:
    """Create a database at ``path`` with the schema and ``tables`` bulk-loaded, then close it."""
    import ladybug

    # One checkpoint at close instead of one per COPY: a fresh file nobody reads yet needs no
    # intermediate durability, and this makes a small graph's load ~4x faster.
    db = ladybug.Database(str(path), auto_checkpoint=False)
    conn = ladybug.Connection(db)
    table = "schema"
    try:
        for statement in schema_statements():
            conn.execute(statement)
        # Node tables load on one thread: with two, a large COPY (3,000 plans, ~160k items) was
        # seen to stop for good at 0 % CPU, each worker waiting on the other's primary-key
        # index queue (LadybugDB 0.22; benchmarks/README.md).  Relationship tables keep every
        # thread.
        conn.set_max_threads_for_exec(1)
        for label in NODES:
            rows = tables.nodes.get(label)
            if rows:
                table = label
                df = _frame(rows)  # noqa: F841 - read by name by the COPY statement
                conn.execute(f"COPY {_quote(label)} FROM df")
        conn.set_max_threads_for_exec(os.cpu_count() or 1)
        for rel_type, (pairs, _) in RELATIONSHIPS.items():
            for a, b in pairs:
                rows = tables.rels.get((rel_type, a, b))
                if rows:
                    table = f"{rel_type} {a}->{b}"
                    df = _frame(rows)  # noqa: F841
                    ends = f" (from='{a}', to='{b}')" if len(pairs) > 1 else ""
                    conn.execute(f"COPY {_quote(rel_type)} FROM df{ends}")
    except RuntimeError as e:
        raise StoreError(f"loading {table} failed, the previous graph is kept: {_one_line(e)}") from e
    finally:
        conn.close()
        db.close()


def _remove_stale_builds(path: Path) -> None:
    """Delete temporary build folders left by writers that were killed (their process is gone)."""
    for folder in path.parent.glob(f".{path.name}.*.tmp"):
        pid = folder.name[len(path.name) + 2 :].split(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - someone else's live process
        return True
    return True
