"""Check the project's Cypher against Neo4j 5's own grammar and function table.

The same ``queries/*.cypher`` run on LadybugDB and on Neo4j, and LadybugDB accepts things
Neo4j does not (and the reverse).  A mistake such as ``label(n)`` for ``labels(n)`` only shows up
on the store that rejects it, so every Cypher text of the project is linted here, without a
server, by ``.ci/cypher-lint/lint.mjs`` (Neo4j's ``@neo4j-cypher/language-support`` on Node).

Two jobs, kept apart:

* :func:`collect` finds the Cypher: every ``queries/*.cypher`` file and every string constant
  in ``graph/*.py``, ``policy_lineage/*.py`` and ``queries/*.py`` that begins with a Cypher
  clause keyword (found with :mod:`ast`, so comments and docstrings are never mistaken for it).
* :func:`lint` runs Node once over any number of texts and returns :class:`Diagnostic` records.

Notes
-----
``graph/ladybug_store.py`` is left out on purpose: its strings are LadybugDB DDL and bulk-load
statements (``CREATE NODE TABLE``, ``CREATE REL TABLE``, ``COPY … FROM``) that Neo4j's grammar
rightly rejects; they never reach Neo4j.  Strings that are only fragments of a query (parts of
an f-string, ``.format`` and ``%`` templates, either side of a ``+``) are skipped, since
a fragment is not a statement; queries a module builds at run time are linted by calling the
module's builder instead (``tests/test_cypher_lint.py`` does so for the Neo4j store).
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from policy_lineage.errors import LineageError
from policy_lineage.graph.schema import NODES, RELATIONSHIPS

__all__ = [
    "CypherText",
    "Diagnostic",
    "LintUnavailable",
    "lint",
    "collect",
    "cypher_constants",
    "looks_like_cypher",
    "lint_available",
    "EXCLUDED_MODULES",
    "ROOT",
    "LINT_DIR",
]

#: The repository (the lint runs from a source checkout; CI installs the package editable).
ROOT = Path(__file__).resolve().parent.parent
LINT_DIR = ROOT / ".ci" / "cypher-lint"
_PACKAGE = LINT_DIR / "node_modules" / "@neo4j-cypher" / "language-support"

#: Modules whose strings are not Neo4j Cypher, with the reason.
EXCLUDED_MODULES: dict[str, str] = {
    "graph/ladybug_store.py": "LadybugDB DDL and COPY statements are not Neo4j Cypher",
}

#: Folders whose Python modules may hold Cypher constants.
_PY_FOLDERS = ("graph", "policy_lineage", "queries")

_FIRST_WORD = re.compile(r"(?:\s*//[^\n]*\n)*\s*([A-Z]+)[\s(]+\S")
_CLAUSES = frozenset({"MATCH", "OPTIONAL", "CREATE", "MERGE", "UNWIND", "CALL", "RETURN", "WITH"})


class LintUnavailable(LineageError):
    """Node or the lint package is missing, so the lint cannot run (tests skip on this)."""


@dataclass(frozen=True)
class CypherText:
    """One Cypher text and where it lives.

    Attributes
    ----------
    name : str
        Repository-relative file, as diagnostics show it.
    text : str
        The Cypher.
    line : int
        The file line the text starts on (1 for a ``.cypher`` file), so diagnostics point into
        the file rather than into the string.
    """

    name: str
    text: str
    line: int = 1


@dataclass(frozen=True)
class Diagnostic:
    """One lint finding, located in the file the text came from (1-based line and column)."""

    name: str
    line: int
    column: int
    severity: str  # error | warning | information | hint
    message: str

    def __str__(self) -> str:
        return f"{self.name}:{self.line}:{self.column}: {self.severity}: {self.message}"


def looks_like_cypher(text: str) -> bool:
    """True when ``text`` opens (after ``//`` comment lines) with an upper-case clause keyword.

    Upper case only, so an English sentence ("Return the rows…") is never taken for a query.

    Examples
    --------
    >>> looks_like_cypher("// gaps per region\\nMATCH (i:Item) RETURN i.id")
    True
    >>> looks_like_cypher("  OPTIONAL MATCH (a)-->(b) RETURN b")
    True
    >>> looks_like_cypher("Return the rows of a query.")
    False
    >>> looks_like_cypher("CREATEDB is not a clause")
    False
    >>> looks_like_cypher("MATCH")  # a keyword alone is not a statement
    False
    """
    m = _FIRST_WORD.match(text)
    return bool(m) and m.group(1) in _CLAUSES


def _docstring_nodes(tree: ast.AST) -> set[int]:
    """ids of the Constant nodes that are docstrings of the module, classes and functions."""
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _fragment_nodes(tree: ast.AST) -> set[int]:
    """ids of string Constants that are only part of a query built at run time."""
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):  # f-string pieces
            ids.update(id(v) for v in node.values)
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Constant):  # "…".format(…)
            ids.add(id(node.value))
        elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
            ids.update(id(side) for side in (node.left, node.right) if isinstance(side, ast.Constant))
    return ids


def cypher_constants(source: str, name: str) -> list[CypherText]:
    """The complete Cypher string constants in one Python module's source.

    Examples
    --------
    >>> src = 'Q = "MATCH (n) RETURN n"\\nR = f"MATCH (n:{x}) RETURN n"\\nS = "Return rows"\\n'
    >>> [(c.text, c.line) for c in cypher_constants(src, "m.py")]
    [('MATCH (n) RETURN n', 1)]
    """
    tree = ast.parse(source, filename=name)
    skip = _docstring_nodes(tree) | _fragment_nodes(tree)
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in skip
            and looks_like_cypher(node.value)
        ):
            found.append(CypherText(name, node.value, node.lineno))
    return sorted(found, key=lambda c: c.line)


def collect(root: str | Path = ROOT) -> list[CypherText]:
    """Every Cypher text of the project under ``root``: query files first, then Python strings.

    Modules in :data:`EXCLUDED_MODULES` are skipped (see the module Notes for why).
    """
    root = Path(root)
    texts = [
        CypherText(path.relative_to(root).as_posix(), path.read_text(encoding="utf-8"))
        for path in sorted((root / "queries").glob("*.cypher"))
    ]
    for folder in _PY_FOLDERS:
        for path in sorted((root / folder).glob("*.py")):
            rel = path.relative_to(root).as_posix()
            if rel not in EXCLUDED_MODULES:
                texts.extend(cypher_constants(path.read_text(encoding="utf-8"), rel))
    return texts


def lint_available() -> str | None:
    """None when the lint can run, else the reason it cannot (for ``pytest.skip``)."""
    if shutil.which("node") is None:
        return "node is not on PATH: the Cypher lint needs Node.js 18+"
    if not _PACKAGE.is_dir():
        return f"the lint package is missing: run `npm ci --prefix {LINT_DIR.relative_to(ROOT)}`"
    return None


def _schema_names() -> dict[str, list[str]]:
    """Labels and relationship types of graph/schema.py, so the lint warns about any other."""
    return {"labels": list(NODES), "relationshipTypes": list(RELATIONSHIPS)}


def lint(texts: Iterable[CypherText | str], *, schema: bool = True) -> list[Diagnostic]:
    """Lint Cypher texts with Neo4j 5's grammar, semantic analysis and built-in functions.

    Parameters
    ----------
    texts : iterable of CypherText or str
        Bare strings are named ``<text N>``.
    schema : bool
        Also warn about labels and relationship types missing from graph/schema.py.

    Returns
    -------
    list of Diagnostic
        Errors and warnings, in input order; empty when every text is clean.

    Raises
    ------
    LintUnavailable
        Node or the lint package is missing, or the lint script itself failed.

    Examples
    --------
    >>> if lint_available() is None:
    ...     [d.message.split(" is ")[0] for d in lint(["MATCH (n) RETURN label(n)"])]
    ... else:
    ...     ['Function label']
    ['Function label']
    """
    items = [t if isinstance(t, CypherText) else CypherText(f"<text {i}>", t) for i, t in enumerate(texts, 1)]
    if not items:
        return []
    reason = lint_available()
    if reason:
        raise LintUnavailable(reason)
    payload = {
        "schema": _schema_names() if schema else None,
        "texts": [{"name": str(i), "text": t.text} for i, t in enumerate(items)],
    }
    proc = subprocess.run(
        ["node", str(LINT_DIR / "lint.mjs"), "--json"],
        input=json.dumps(payload, ensure_ascii=False),
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=LINT_DIR,
    )
    if proc.returncode not in (0, 1):
        detail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise LintUnavailable(f"the Cypher lint failed to run: {detail}")
    out = []
    for d in json.loads(proc.stdout):
        item = items[int(d["name"])]
        out.append(Diagnostic(item.name, item.line + d["line"] - 1, d["column"], d["severity"], d["message"]))
    return out
