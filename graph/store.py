"""The store interface: one graph, two back ends (embedded LadybugDB, Neo4j 5).

Callers never know which store they hold.  Every store

* creates its own schema (node and relationship tables or constraints) idempotently;
* ``write(graph)`` replaces its content with a :class:`networkx.MultiDiGraph` built by
  :func:`policy_lineage.graph.nxgraph.build_graph`, atomically: a write that fails leaves the
  previous content in place;
* ``query(cypher, params)`` runs Cypher with values passed as parameters, read-only unless
  ``write=True``;
* ``to_networkx()`` reads the whole graph back into the in-memory model.

The graph's shape is fixed in :mod:`policy_lineage.graph.schema`; node keys are the ``id``
property, each node has a ``label`` attribute and each edge a ``type`` attribute.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

__all__ = ["Store", "WriteStats", "open_store", "BACKENDS"]

BACKENDS = ("ladybug", "neo4j")


@dataclass
class WriteStats:
    """What a write stored: counts per node label and relationship type, and seconds taken."""

    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


class Store(abc.ABC):
    """A graph store.  Use as a context manager so connections are closed."""

    backend: str = ""

    @abc.abstractmethod
    def write(self, graph: nx.MultiDiGraph) -> WriteStats:
        """Replace the stored graph with ``graph`` (atomically)."""

    @abc.abstractmethod
    def query(self, cypher: str, params: dict[str, Any] | None = None, *, write: bool = False) -> list[dict[str, Any]]:
        """Rows of a Cypher query as dicts keyed by the RETURN names, in order."""

    @abc.abstractmethod
    def to_networkx(self) -> nx.MultiDiGraph:
        """The stored graph as the in-memory model (same node ids, labels, types, properties)."""

    def close(self) -> None:
        """Release connections; idempotent."""

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_store(backend: str = "ladybug", db: str | Path | None = None, *, read_only: bool = False, **options) -> Store:
    """Open a store by name.

    Parameters
    ----------
    backend : {"ladybug", "neo4j"}
        ``ladybug`` is the embedded on-disk database at ``db``; ``neo4j`` reads NEO4J_URI,
        NEO4J_USER, NEO4J_PASSWORD and NEO4J_DATABASE from the environment (``options``
        override them).
    db : path, optional
        The embedded database's directory (ignored by Neo4j).
    read_only : bool
        Refuse writes (the default for ``lineage query``).
    """
    if backend == "ladybug":
        from policy_lineage.graph.ladybug_store import LadybugStore

        return LadybugStore(db, read_only=read_only, **options)
    if backend == "neo4j":
        from policy_lineage.graph.neo4j_store import Neo4jStore

        return Neo4jStore(read_only=read_only, **options)
    raise ValueError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
