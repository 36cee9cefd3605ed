"""The graph commands through click's CliRunner, on a real store in tmp_path.

Most tests load the hand-built corpus (graph_fixtures) and run on both stores; the seeds test
runs the whole pipeline twice with ``lineage build``.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent))

from graph_fixtures import A_REF, P_REF, corpus, open_test_store, same_graph  # noqa: E402

from policy_lineage.cli import cli  # noqa: E402
from policy_lineage.cli_graph import GAPS_COLUMNS, LINKS_COLUMNS  # noqa: E402
from policy_lineage.graph.nxgraph import build_graph, from_node_link  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

LINKS_HEADER = (
    "link_id,child_region,child_year,child_doc,child_seq,parent_region,parent_year,parent_doc,parent_seq,"
    "relation,score,status,evidence"
)
GAPS_HEADER = (
    "parent_region,parent_year,parent_doc,parent_seq,parent_title,child_region,child_doc,status,missing,"
    "best_candidate_seq,best_score,responsible"
)


@pytest.fixture(params=["ladybug", "neo4j"])
def store_args(request, tmp_path):
    """Command-line options naming a store that holds the hand-built corpus."""
    with open_test_store(request.param, tmp_path) as store:
        store.write(build_graph(*corpus()))
    if request.param == "neo4j":
        return ["--backend", "neo4j"]
    return ["--db", str(tmp_path / "graph.lbdb")]


def run(*args: str, code: int = 0):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_contract_constants_are_the_design_documents():
    assert ",".join(LINKS_COLUMNS) == LINKS_HEADER
    assert ",".join(GAPS_COLUMNS) == GAPS_HEADER


class TestListings:
    def test_links_csv(self, store_args):
        out = run("links", *store_args, "--format", "csv").output
        assert out.splitlines()[0] == LINKS_HEADER
        rows = csv_rows(out)
        assert [(r["child_doc"], r["child_seq"], r["relation"], r["parent_seq"]) for r in rows] == [
            (A_REF, "1", "IMPLEMENTS", "1"),
            (A_REF, "2", "IMPLEMENTS", "2"),
            (A_REF, "3", "IMPLEMENTS", "3"),
            ("眉山市政务公开重点任务分工", "1", "IMPLEMENTS", "1"),
            ("眉山市政务公开重点任务分工", "1", "SIBLING_OF", "1"),
        ]
        assert rows[0]["score"] == "0.900" and rows[0]["evidence"] == "财政预决算；部门预算"

    def test_links_zero_rows_keep_the_header(self, store_args):
        assert run("links", *store_args, "--relation", "EVOLVES_FROM", "--format", "csv").output == LINKS_HEADER + "\n"
        assert run("links", *store_args, "--relation", "EVOLVES_FROM", "--format", "json").output == "[]\n"

    def test_gaps_csv(self, store_args):
        out = run("gaps", *store_args, "--format", "csv").output
        assert out.splitlines()[0] == GAPS_HEADER
        rows = csv_rows(out)
        assert [(r["parent_seq"], r["child_region"], r["status"], r["missing"], r["responsible"]) for r in rows] == [
            ("2", "安居区", "partial", "开展政策吹风会", "安居区司法局"),
            ("2", "眉山市", "accepted", "", "眉山市人民政府办公室"),
            ("3", "安居区", "gap", "", "安居区卫生健康局"),
            ("3", "眉山市", "gap", "", "眉山市财政局"),
        ]

    def test_gaps_table_is_the_readable_view(self, store_args):
        out = run("gaps", *store_args, "--child", "安居区").output
        assert "状态 status" in out and "责任单位 responsible" in out
        assert "best_score" not in out and "parent_region" not in out  # contract columns stay in csv/json
        assert "开展政策吹风会" in out and "安居区司法局" in out

    def test_gaps_filters_and_json(self, store_args):
        rows = json.loads(run("gaps", *store_args, "--child", "眉山市", "--format", "json").output)
        assert [(r["parent_seq"], r["status"], r["best_candidate_seq"]) for r in rows] == [(2, "accepted", None), (3, "gap", 1)]
        assert csv_rows(run("gaps", *store_args, "--parent", "川办发〔2099〕1号", "--format", "csv").output) == []

    def test_fail_on_gap(self, store_args):
        result = run("gaps", *store_args, "--fail-on-gap", "--format", "csv", code=1)
        assert "2 open gap(s)" in result.output
        # only the partial row is 司法's: nothing open, exit 0
        run("gaps", *store_args, "--unit", "司法", "--fail-on-gap", "--format", "csv")

    def test_coverage(self, store_args):
        rows = csv_rows(run("coverage", *store_args, "--format", "csv").output)
        assert [r["status"] for r in rows] == ["covered", "covered", "partial", "accepted", "gap", "gap"]

    def test_trace_down_and_up(self, store_args):
        rows = json.loads(run("trace", f"{P_REF}#1", *store_args, "--format", "json").output)
        assert [(r["depth"], r["region"], r["seq"]) for r in rows] == [(0, "四川省", 1), (1, "安居区", 1), (1, "眉山市", 1)]
        up = json.loads(run("trace", f"{A_REF}#2", "--up", *store_args, "--format", "json").output)
        assert [(r["depth"], r["doc"], r["seq"]) for r in up] == [(0, A_REF, 2), (1, P_REF, 2)]
        table = run("trace", f"{P_REF}#1", *store_args).output
        assert "安居区" in table and "眉山市" in table

    def test_trace_unknown_item_is_one_line(self, store_args):
        result = run("trace", "川办发〔2021〕16号#99", *store_args, code=1)
        assert result.output.strip().splitlines() == [
            "Error: no item '川办发〔2021〕16号#99' in the store; name it as <文号 or title>#<seq>, e.g. 川办发〔2021〕16号#18"
        ]


class TestQuery:
    def test_inline_with_parameters(self, store_args):
        out = run(
            "query", *store_args, "-c", "MATCH (i:Item) WHERE i.seq = $seq AND i.doc_ref = $doc RETURN i.ref AS ref",
            "-p", "seq=2", "-p", f"doc={P_REF}", "--format", "json",
        ).output  # fmt: skip
        assert json.loads(out) == [{"ref": f"{P_REF}#2"}]

    def test_values_with_quotes_stay_values(self, store_args):
        nasty = "x' OR 1=1 RETURN 1 // \"} DETACH DELETE n"
        out = run("query", *store_args, "-c", "RETURN $v AS v", "-p", f"v={nasty}", "--format", "json").output
        assert json.loads(out) == [{"v": nasty}]

    def test_bundled_query_by_name_and_file(self, store_args):
        by_name = run("query", "orphans", *store_args, "--format", "csv").output
        by_file = run("query", str(ROOT / "queries" / "orphans.cypher"), *store_args, "--format", "csv").output
        assert by_name == by_file
        assert [(r["doc"], r["seq"]) for r in csv_rows(by_name)] == [(A_REF, "3")]

    def test_unknown_parameter_is_refused(self, store_args):
        result = run("query", "gaps", *store_args, "-p", "parnet=x", code=1)
        assert "takes no parameter $parnet" in result.output

    def test_writes_need_write(self, store_args):
        cypher = "MATCH (i:Item) WHERE i.ref = $ref SET i.title = 'changed' RETURN i.title AS t"
        result = run("query", *store_args, "-c", cypher, "-p", f"ref={P_REF}#1", code=1)
        assert "--write" in result.output
        out = run("query", *store_args, "-c", cypher, "-p", f"ref={P_REF}#1", "--write", "--format", "json").output
        assert json.loads(out) == [{"t": "changed"}]

    def test_list(self):
        out = run("query", "--list").output
        assert "gaps" in out and "-p parent=… -p child=… -p unit=…" in out
        assert out.strip() in run("query", "--help").output.replace("\n  ", "\n")

    def test_file_or_cypher_not_both(self, store_args):
        assert "not both" in run("query", *store_args, code=2).output


def test_export_json_reads_back_as_the_same_graph(store_args, tmp_path):
    out = tmp_path / "g.json"
    assert "exported 32 nodes and 59 edges" in run("export", "--format", "json", "--out", str(out), *store_args).output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert same_graph(from_node_link(data), build_graph(*corpus()))


def test_export_graphml(store_args, tmp_path):
    out = tmp_path / "g.graphml"
    run("export", "--format", "graphml", "--out", str(out), *store_args)
    g = nx.read_graphml(out)
    assert g.number_of_nodes() == 32 and g.number_of_edges() == 59
    assert g.nodes[f"doc:{P_REF}#1"]["label"] == "Item"


def test_missing_database_is_one_line(tmp_path):
    result = run("gaps", "--db", str(tmp_path / "none.lbdb"), code=1)
    assert "run `lineage build` first" in result.output and len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize("command", ["build", "links", "gaps", "trace", "coverage", "query", "export"])
def test_help(command):
    out = run(command, "--help").output
    assert "--db" in out and "--backend" in out and "Example" in out


# --------------------------------------------------------------------------- seeds


@pytest.mark.slow
def test_build_seeds_twice(tmp_path):
    db = tmp_path / "graph.lbdb"
    first = run("build", str(ROOT / "seeds"), "--db", str(db)).output
    assert "文件 documents 5" in first
    def summary() -> dict[str, int]:
        # UNION ALL parts come back in no fixed order on LadybugDB: compare as a mapping
        rows = json.loads(run("query", "summary", "--db", str(db), "--format", "json").output)
        return {r["what"]: r["n"] for r in rows}

    by_what = summary()
    siblings = csv_rows(run("links", "--relation", "SIBLING", "--db", str(db), "--format", "csv").output)
    assert siblings and {r["relation"] for r in siblings} == {"SIBLING_OF"}  # SIBLING: the word
    second = run("build", str(ROOT / "seeds"), "--db", str(db)).output
    assert summary() == by_what
    assert first.splitlines()[1:4] == second.splitlines()[1:4]
    assert by_what["documents"] == 5 and by_what["items"] >= 170
    rows = csv_rows(run("gaps", "--db", str(db), "--format", "csv").output)
    statuses = {r["status"] for r in rows}
    assert "gap" in statuses
    # the seeds' one ingested parent is the province's 2021 plan; 眉山 2023 and 万源 2023 answer to the
    # 2023 plan inferred from what they share (graph/inferred.py): their gaps are what only the other has
    assert {r["parent_doc"] for r in rows} == {"川办发〔2021〕16号", "四川省2023年任务（由同期下级文件推断）"}
    assert {r["child_region"] for r in rows} <= {"安居区", "眉山市", "万源市"}
    # --fail-on-gap fails on printed duties only: 万源 2023 answers only to the inferred 2023 plan
    wanyuan = run("gaps", "--db", str(db), "--child", "万源市", "--fail-on-gap", "--format", "csv")
    assert csv_rows(wanyuan.stdout) and {r["status"] for r in csv_rows(wanyuan.stdout)} >= {"gap"}
    assert "no open gap against a printed duty" in wanyuan.stderr and "inferred from peers" in wanyuan.stderr
    anju = run("gaps", "--db", str(db), "--child", "安居区", "--fail-on-gap", "--format", "csv", code=1)
    assert "1 open gap(s)" in anju.stderr  # (三), the duty 安居区 dropped
