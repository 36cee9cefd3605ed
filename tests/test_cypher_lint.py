"""The Cypher lint: the project's Cypher passes Neo4j 5's grammar and function table.

Runs Node on ``.ci/cypher-lint/lint.mjs``; skips with the reason when Node or the lint package
(``npm ci --prefix .ci/cypher-lint``) is missing, never passes silently.
"""

from __future__ import annotations

import subprocess
import textwrap

import pytest

from policy_lineage.cypherlint import (
    LINT_DIR,
    CypherText,
    collect,
    cypher_constants,
    lint,
    lint_available,
)

needs_lint = pytest.mark.skipif(lint_available() is not None, reason=str(lint_available()))


def _errors(diagnostics):
    return [d for d in diagnostics if d.severity == "error"]


def _project_texts():
    from policy_lineage.graph.neo4j_store import statements

    # The Neo4j store builds its load queries from graph/schema.py at run time; lint every one.
    built = [CypherText("graph/neo4j_store.py:statements()", q) for q in statements()]
    return collect() + built


@pytest.fixture(scope="module")
def project_diagnostics():
    """Every Cypher text of the project, linted once (one Node start) for the tests below."""
    texts = _project_texts()
    assert texts, "the collector found no Cypher at all"
    return lint(texts)


@needs_lint
class TestProjectCypher:
    def test_no_errors(self, project_diagnostics):
        errors = _errors(project_diagnostics)
        assert not errors, "\n" + "\n".join(map(str, errors))

    def test_labels_and_types_are_the_schemas(self, project_diagnostics):
        unknown = [d for d in project_diagnostics if "is not present in the database" in d.message]
        assert not unknown, "\n" + "\n".join(map(str, unknown))

    def test_every_query_file_is_collected(self):
        names = {t.name for t in collect()}
        files = {p.relative_to(LINT_DIR.parent.parent).as_posix() for p in (LINT_DIR.parent.parent / "queries").glob("*.cypher")}
        assert files <= names


@needs_lint
class TestLintCatches:
    def test_unknown_function(self):
        # Neo4j's function is labels(n); label(n) exists nowhere and must be an error.
        (d,) = lint(["MATCH (n) RETURN label(n)"])
        assert (d.severity, d.line, d.column) == ("error", 1, 18)
        assert d.message.startswith("Function label is not present")

    def test_syntax_error(self):
        (d,) = lint(["MATCH (n RETURN n"])
        assert (d.severity, d.line, d.column) == ("error", 1, 10)
        assert "Invalid input 'RETURN'" in d.message

    def test_undefined_variable(self):
        (d,) = lint(["MATCH (i:Item) RETURN j.title"])
        assert d.severity == "error" and "`j` not defined" in d.message

    def test_label_outside_the_schema_warns(self):
        (d,) = lint(["MATCH (n:Itme) RETURN n.id"])
        assert d.severity == "warning" and "Label Itme is not present" in d.message
        assert lint(["MATCH (n:Itme) RETURN n.id"], schema=False) == []

    def test_valid_query_with_parameters_is_clean(self):
        query = """
        // an item and its clauses
        MATCH (i:Item {id: $id})-[:HAS_CLAUSE]->(c:Clause)
        WHERE c.idx >= $from
        RETURN labels(i)[0] AS label, c.text AS text, size(c.text) AS n
        ORDER BY c.idx
        """
        assert lint([query]) == []

    def test_ladybug_ddl_is_not_neo4j_cypher(self):
        # Why graph/ladybug_store.py is excluded from the collection.
        assert _errors(lint(["CREATE NODE TABLE Item(id STRING, PRIMARY KEY (id))"]))

    def test_diagnostic_points_into_the_python_file(self):
        source = 'X = 1\nQ = """\nMATCH (n)\nRETURN label(n)\n"""\n'
        (text,) = cypher_constants(source, "m.py")
        (d,) = lint([text])
        # The string starts on line 2 with a newline, so its line 3 is the file's line 4.
        assert (d.name, d.line, d.column) == ("m.py", 4, 8)

    def test_script_exit_status(self, tmp_path):
        bad, good = tmp_path / "bad.cypher", tmp_path / "good.cypher"
        bad.write_text("MATCH (n RETURN n", encoding="utf-8")
        good.write_text("MATCH (n:Region) RETURN n.name AS name", encoding="utf-8")
        run = lambda f: subprocess.run(["node", str(LINT_DIR / "lint.mjs"), str(f)], capture_output=True, text=True)
        assert run(bad).returncode == 1
        assert run(good).returncode == 0


class TestCollect:
    def test_finds_files_and_constants_skips_fragments_and_ladybug(self, tmp_path):
        (tmp_path / "queries").mkdir()
        (tmp_path / "graph").mkdir()
        (tmp_path / "queries" / "gaps.cypher").write_text("MATCH (i:Item) RETURN i.id\n", encoding="utf-8")
        (tmp_path / "queries" / "notes.txt").write_text("MATCH (x) RETURN x\n", encoding="utf-8")
        (tmp_path / "graph" / "store_x.py").write_text(
            textwrap.dedent(
                '''\
                """MATCH in a docstring is prose."""
                READ = "MATCH (n) RETURN n.id AS id"

                def build(label):
                    """Return the rows."""
                    return f"MATCH (n:{label}) RETURN n"

                TEMPLATE = "MERGE (n:{label} {{id: $id}})".format(label="Item")
                JOINED = "UNWIND $rows AS row " + "RETURN row"
                ADDED = "WITH 1 AS x " + build("Item")
                '''
            ),
            encoding="utf-8",
        )
        (tmp_path / "graph" / "ladybug_store.py").write_text('DDL = "CREATE NODE TABLE T(id STRING, PRIMARY KEY(id))"\n', encoding="utf-8")
        found = [(t.name, t.line, t.text) for t in collect(tmp_path)]
        assert found == [
            ("queries/gaps.cypher", 1, "MATCH (i:Item) RETURN i.id\n"),
            ("graph/store_x.py", 2, "MATCH (n) RETURN n.id AS id"),
        ]
