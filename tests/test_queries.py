"""Every query in queries/ on the hand-built corpus, with answers worked out in graph_fixtures.

Parametrized over the stores: the same files must give the same rows on LadybugDB and Neo4j.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from graph_fixtures import A_REF, M_REF, P_REF, chain, corpus, item_id, open_test_store  # noqa: E402

from policy_lineage.errors import QueryError  # noqa: E402
from policy_lineage.graph.model import Carry, Link  # noqa: E402
from policy_lineage.graph.nxgraph import build_graph  # noqa: E402
from policy_lineage.queries import parse_header, query_names, read_query, run_query  # noqa: E402

LINKS_COLUMNS = [
    "link_id", "child_region", "child_year", "child_doc", "child_seq", "parent_region", "parent_year",
    "parent_doc", "parent_seq", "relation", "score", "status", "evidence",
]  # fmt: skip
GAPS_COLUMNS = [
    "parent_region", "parent_year", "parent_doc", "parent_seq", "parent_title", "child_region", "child_doc",
    "status", "missing", "best_candidate_seq", "best_score", "responsible",
]  # fmt: skip


@pytest.fixture(params=["ladybug", "neo4j"])
def backend(request):
    return request.param


def _loaded(backend, tmp_path, make):
    s = open_test_store(backend, tmp_path)
    s.write(build_graph(*make()))
    return s


@pytest.fixture
def store(backend, tmp_path):
    with _loaded(backend, tmp_path, corpus) as s:
        yield s


@pytest.fixture
def chain_store(backend, tmp_path):
    with _loaded(backend, tmp_path, chain) as s:
        yield s


def _pick(rows, *columns):
    return [tuple(r[c] for c in columns) for r in rows]


# --------------------------------------------------------------------------- headers


def test_every_query_has_a_header_with_its_parameters():
    for name in query_names():
        q = read_query(name)
        assert q.summary, name
        assert set(q.params) == set(_dollar_names(q.cypher)), name


def _dollar_names(cypher):
    import re

    body = "\n".join(line for line in cypher.splitlines() if not line.strip().startswith("//"))
    return set(re.findall(r"\$([A-Za-z_]\w*)", body))


def test_unknown_query_and_parameter():
    with pytest.raises(QueryError, match="no query named 'gapz'"):
        read_query("gapz")
    assert parse_header("// x: y\n// $a: b\nRETURN $a AS a", "x").params == {"a": "b"}


# --------------------------------------------------------------------------- contracts


def test_links(store):
    rows = run_query(store, "links")
    assert all(list(r) == LINKS_COLUMNS for r in rows)
    assert _pick(rows, "child_doc", "child_seq", "relation", "parent_doc", "parent_seq", "status") == [
        (A_REF, 1, "IMPLEMENTS", P_REF, 1, "auto"),
        (A_REF, 2, "IMPLEMENTS", P_REF, 2, "confirmed"),
        (A_REF, 3, "IMPLEMENTS", P_REF, 3, "rejected"),
        (M_REF, 1, "IMPLEMENTS", P_REF, 1, "auto"),
        (M_REF, 1, "SIBLING_OF", A_REF, 1, "auto"),
    ]
    first = rows[0]
    assert (first["child_region"], first["child_year"], first["parent_region"], first["score"]) == ("安居区", 2021, "四川省", 0.9)
    assert first["evidence"] == "财政预决算；部门预算"
    assert [r["relation"] for r in run_query(store, "links", relation="SIBLING_OF")] == ["SIBLING_OF"]
    assert run_query(store, "links", relation="EVOLVES_FROM") == []


def test_gaps(store):
    rows = run_query(store, "gaps")
    assert all(list(r) == GAPS_COLUMNS for r in rows)
    got = _pick(rows, "parent_seq", "child_region", "status", "missing", "best_candidate_seq", "best_score", "responsible")
    assert got == [
        (2, "安居区", "partial", ["开展政策吹风会"], 2, 0.8, ["安居区司法局"]),
        (2, "眉山市", "accepted", [], None, None, ["眉山市人民政府办公室"]),
        (3, "安居区", "gap", [], 3, 0.21, ["安居区卫生健康局"]),
        (3, "眉山市", "gap", [], 1, 0.15, ["眉山市财政局"]),
    ]
    assert {(r["parent_region"], r["parent_year"], r["parent_doc"]) for r in rows} == {("四川省", 2021, P_REF)}
    assert rows[0]["child_doc"] == A_REF and rows[1]["child_doc"] == M_REF
    assert rows[0]["parent_title"] == "加强政策解读，开展政策吹风会。"


def test_gaps_filters(store):
    assert _pick(run_query(store, "gaps", child="眉山市"), "parent_seq", "status") == [(2, "accepted"), (3, "gap")]
    assert _pick(run_query(store, "gaps", child=A_REF), "parent_seq", "status") == [(2, "partial"), (3, "gap")]
    assert _pick(run_query(store, "gaps", unit="财政"), "parent_seq", "child_region") == [(3, "眉山市")]
    assert len(run_query(store, "gaps", parent=P_REF)) == 4
    assert run_query(store, "gaps", parent="川办发〔2022〕1号") == []


def test_filter_values_with_quotes_stay_values(store):
    for nasty in [f"{P_REF}' OR 1=1 //", "') RETURN 1 UNION MATCH (n) DETACH DELETE n //", '"} OR true //']:
        assert run_query(store, "gaps", parent=nasty) == []
        assert run_query(store, "gaps", unit=nasty) == []
        assert run_query(store, "trace_down", item=nasty) == []
    assert len(run_query(store, "gaps")) == 4


def test_partial(store):
    rows = run_query(store, "partial")
    assert _pick(rows, "parent_seq", "child_region", "implemented_by", "carried", "missing") == [
        (2, "安居区", [2], ["加强政策解读"], ["开展政策吹风会"])
    ]


def test_a_clause_carried_only_through_a_rejected_link_stays_missing(backend, tmp_path):
    # A#3's link to P#2 was rejected, so its carrying P#2's second clause does not count: the
    # queries read carriers through implementing links, not through CARRIES alone
    def rejected_carrier():
        docs, lineage = corpus()
        p, a, _ = docs
        duty = item_id(p, 2)
        lineage.links.append(Link(item_id(a, 3), duty, "IMPLEMENTS", 0.5, "tfidf", "rejected", ["政策吹风会"]))
        lineage.carries.append(Carry(item_id(a, 3), f"{duty}/c1", 0.9, ["政策吹风会"]))
        return docs, lineage

    with _loaded(backend, tmp_path, rejected_carrier) as s:
        assert _pick(run_query(s, "partial"), "parent_seq", "implemented_by", "missing") == [(2, [2], ["开展政策吹风会"])]
        gaps = [r for r in run_query(s, "gaps") if r["parent_seq"] == 2 and r["child_region"] == "安居区"]
        assert _pick(gaps, "status", "missing") == [("partial", ["开展政策吹风会"])]
        coverage = [r for r in run_query(s, "coverage") if r["parent_seq"] == 2 and r["child_region"] == "安居区"]
        assert _pick(coverage, "status", "clauses_carried") == [("partial", 1)]


def test_orphans(store):
    rows = run_query(store, "orphans")
    # A#3 has only a rejected link; M has no orphan; P answers to nothing, so its items are not asked
    assert _pick(rows, "region", "doc", "seq", "units", "parents") == [("安居区", A_REF, 3, "安居区卫生健康局", [P_REF])]
    assert run_query(store, "orphans", child="眉山市") == []


def test_coverage(store):
    rows = run_query(store, "coverage")
    assert _pick(rows, "parent_seq", "child_region", "status", "implemented_by", "clauses_carried", "clauses") == [
        (1, "安居区", "covered", [1], 2, 2),
        (1, "眉山市", "covered", [1], 2, 2),
        (2, "安居区", "partial", [2], 1, 2),
        (2, "眉山市", "accepted", [], 0, 2),
        (3, "安居区", "gap", [], 0, 2),
        (3, "眉山市", "gap", [], 0, 2),
    ]


def test_responsible(store):
    rows = run_query(store, "responsible", unit="财政")
    assert _pick(rows, "unit", "role", "doc", "seq", "implements") == [
        ("四川省财政厅", "lead", P_REF, 1, []),
        ("安居区财政局", "lead", A_REF, 1, [f"{P_REF}#1"]),
        ("眉山市财政局", "lead", M_REF, 1, [f"{P_REF}#1"]),
    ]
    collective = run_query(store, "responsible", unit="各镇")
    assert _pick(collective, "unit", "collective", "role") == [("各镇、街道", True, "responsible")]
    assert len(run_query(store, "responsible", doc="眉山市")) == 1


def test_summary(store):
    counts = {r["what"]: r["n"] for r in run_query(store, "summary")}
    assert counts == {
        "documents": 3,
        "cited documents not ingested": 1,
        "documents inferred from peers": 0,
        "items": 7,
        "clauses": 6,
        "agencies": 11,
        "regions": 4,
        "ANSWERS_TO": 2,
        "CITES": 2,
        "IMPLEMENTS": 3,
        "IMPLEMENTS rejected": 1,
        "SIBLING_OF": 1,
        "EVOLVES_FROM": 0,
        "CANDIDATE": 3,
        "CARRIES": 5,
        "GAP_ACCEPTED": 1,
    }


def test_trace_down_skips_rejected_links(store):
    rows = run_query(store, "trace_down", item=f"{P_REF}#3")
    assert _pick(rows, "depth", "ref") == [(0, f"{P_REF}#3")]  # A#3's link was rejected


# --------------------------------------------------------------------------- traces over three levels


def test_trace_down_by_ref_and_by_id(chain_store):
    rows = run_query(chain_store, "trace_down", item="川办发〔2021〕16号#1")
    assert _pick(rows, "depth", "region", "doc", "seq") == [
        (0, "四川省", "川办发〔2021〕16号", 1),
        (1, "遂宁市", "遂府办发〔2021〕3号", 1),
        (2, "安居区", "区方案", 2),
    ]
    assert run_query(chain_store, "trace_down", item="doc:川办发〔2021〕16号#1") == rows


def test_trace_up(chain_store):
    rows = run_query(chain_store, "trace_up", item="区方案#2")
    assert _pick(rows, "depth", "ref") == [(0, "区方案#2"), (1, "遂府办发〔2021〕3号#1"), (2, "川办发〔2021〕16号#1")]
    assert _pick(run_query(chain_store, "trace_up", item="区方案#1"), "depth", "ref") == [(0, "区方案#1")]
    assert run_query(chain_store, "trace_up", item="区方案#9") == []


def test_chain_gaps_are_per_document_pair(chain_store):
    # the county answers to the city only; the city's one duty is implemented, so no gaps, and
    # the county's unlinked item #1 is an orphan
    assert run_query(chain_store, "gaps") == []
    assert _pick(run_query(chain_store, "orphans"), "doc", "seq") == [("区方案", 1)]
