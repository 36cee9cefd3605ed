"""Run the project's Cypher files by name, on whichever store the caller holds.

Each ``queries/<name>.cypher`` opens with a comment header the runner reads::

    // gaps: what the query answers, in a sentence or a paragraph
    // $parent: what the parameter means; null for all
    // order: parent_doc, parent_seq          (row order the runner guarantees)
    // sort: missing by missing_idx, responsible   (list columns the runner sorts)

``order`` and ``sort`` exist because the queries run on two stores: ``collect()`` has no
defined order, ``WITH … ORDER BY`` before ``collect`` is not accepted by LadybugDB, and an
``ORDER BY`` after ``UNION ALL`` only orders the last part.  The runner makes the output the
same on both by sorting in Python (None last) after the store answers.

A list whose order means something — the missing clauses of a duty, in the duty's own order —
must not be sorted by value: ``missing by missing_idx`` sorts ``missing`` by a parallel list the
query collects in the same ``WITH`` (``collect(k.idx)`` beside ``collect(k.text)``: one
aggregation pass, so the two lists line up), and the key column is dropped from the rows.

Every declared parameter is passed, None when the caller does not give it, so optional filters
(``(x = $p OR $p IS NULL)``) work without the caller knowing them all; an undeclared parameter
is refused, which catches typos such as ``-p parnet=…``.
"""

from __future__ import annotations

import importlib.resources
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policy_lineage.errors import QueryError

__all__ = ["QueryFile", "query_names", "load_query", "parse_header", "read_query", "run_cypher", "run_query"]

_PACKAGE = "policy_lineage.queries"
_NAME = re.compile(r"[a-z_][a-z0-9_]*\Z")


@dataclass
class QueryFile:
    """A Cypher text and what its header says about it."""

    name: str
    cypher: str
    summary: str = ""
    params: dict[str, str] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    sort: list[str] = field(default_factory=list)
    sort_by: dict[str, str] = field(default_factory=dict)


def query_names() -> list[str]:
    """The names of the bundled queries, sorted.

    >>> {"gaps", "links", "trace_down"} <= set(query_names())
    True
    """
    files = importlib.resources.files(_PACKAGE)
    return sorted(f.name[: -len(".cypher")] for f in files.iterdir() if f.name.endswith(".cypher"))


def load_query(name: str) -> str:
    """The text of the bundled query ``name`` (package data, so it works from a wheel too).

    Raises
    ------
    QueryError
        No such query.
    """
    if not _NAME.match(name) or name not in query_names():
        raise QueryError(f"no query named {name!r}; known: {', '.join(query_names())}")
    return importlib.resources.files(_PACKAGE).joinpath(f"{name}.cypher").read_text(encoding="utf-8")


def _names(text: str) -> list[str]:
    return [n.strip() for n in text.split(",") if n.strip()]


def parse_header(cypher: str, name: str = "") -> QueryFile:
    """Read the leading ``//`` comment block of a query.

    >>> q = parse_header('''// links: item links
    ... // with both ends.
    ... // $relation: one relation; null for all
    ... // order: child_doc, child_seq
    ... MATCH (n) RETURN n.id AS id''', "links")
    >>> q.summary, q.params, q.order, q.sort
    ('item links with both ends.', {'relation': 'one relation; null for all'}, ['child_doc', 'child_seq'], [])
    >>> q = parse_header("// sort: missing by missing_idx, responsible")
    >>> q.sort, q.sort_by
    (['missing', 'responsible'], {'missing': 'missing_idx'})
    """
    query = QueryFile(name=name, cypher=cypher)
    summary: list[str] = []
    for k, line in enumerate(cypher.splitlines()):
        stripped = line.strip()
        if not stripped.startswith("//"):
            if stripped:
                break
            continue
        text = stripped[2:].strip()
        if k == 0 and name and text.startswith(f"{name}:"):
            text = text[len(name) + 1 :].strip()
        m = re.match(r"\$([A-Za-z_]\w*)\s*:\s*(.*)", text)
        if m:
            query.params[m.group(1)] = m.group(2)
        elif text.startswith("order:"):
            query.order = _names(text[len("order:") :])
        elif text.startswith("sort:"):
            for entry in _names(text[len("sort:") :]):
                column, _, key = (w.strip() for w in entry.partition(" by "))
                query.sort.append(column)
                if key:
                    query.sort_by[column] = key
        elif not query.params:
            summary.append(text)
    query.summary = " ".join(summary)
    return query


def read_query(name_or_file: str | Path) -> QueryFile:
    """A bundled query by name (``gaps``) or a Cypher file by path, with its header read."""
    if isinstance(name_or_file, str) and _NAME.match(name_or_file):
        return parse_header(load_query(name_or_file), name_or_file)
    path = Path(name_or_file)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise QueryError(f"cannot read {path}: {e.strerror or e}") from e
    return parse_header(text, path.stem)


def _sort_key(value: Any) -> tuple:
    """None last; numbers before text; anything else by its text."""
    if value is None:
        return (2, 0, "")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, value, "")
    return (1, 0, str(value))


def _sorted_list(values: list, keys: Any) -> list:
    """``values`` in the order of their parallel ``keys`` (by value when the keys do not line up).

    >>> _sorted_list(["公开决算", "公开预算", "IPv6"], [2, 0, 5])
    ['公开预算', '公开决算', 'IPv6']
    """
    if isinstance(keys, list) and len(keys) == len(values):
        return [v for _, v in sorted(zip(keys, values), key=lambda kv: _sort_key(kv[0]))]
    return sorted(values, key=_sort_key)


def _tidy(rows: list[dict[str, Any]], query: QueryFile) -> list[dict[str, Any]]:
    for row in rows:
        for column in query.sort:
            if not isinstance(row.get(column), list):
                continue
            key = query.sort_by.get(column)
            row[column] = _sorted_list(row[column], row.get(key)) if key else sorted(row[column], key=_sort_key)
        for key in set(query.sort_by.values()):
            row.pop(key, None)
    if query.order:
        rows.sort(key=lambda r: [_sort_key(r.get(c)) for c in query.order])
    return rows


def run_cypher(store, query: QueryFile, params: dict[str, Any] | None = None, *, write: bool = False) -> list[dict[str, Any]]:
    """Run a read query file on ``store``: declared parameters default to None, rows tidied.

    Raises
    ------
    QueryError
        A parameter the header does not declare (only when the header declares any), or the
        store's refusal.
    """
    params = dict(params or {})
    if query.params:
        unknown = sorted(set(params) - set(query.params))
        if unknown:
            known = ", ".join(f"${p}" for p in query.params)
            raise QueryError(f"{query.name or 'the query'} takes no parameter ${unknown[0]}; it takes {known}")
        params = {p: params.get(p) for p in query.params}
    return _tidy(store.query(query.cypher, params, write=write), query)


def run_query(store, name: str, **params: Any) -> list[dict[str, Any]]:
    """Rows of the bundled query ``name`` on ``store``.

    Examples
    --------
    >>> import tempfile
    >>> from policy_lineage.graph.ladybug_store import LadybugStore
    >>> with LadybugStore(tempfile.mkdtemp() + "/empty.lbdb") as store:
    ...     run_query(store, "gaps", parent="川办发〔2021〕16号")
    []
    """
    return run_cypher(store, read_query(name), params)
