"""List columns keep the order that means something: a duty's missing clauses in the duty's order.

The runner sorts lists the stores return in no fixed order (``collect``); clauses are sorted by
their position in the duty (``sort: missing by missing_idx``), not by their text.  The clauses
added here sort differently by text (``IPv6…`` first) than by position (last, as in
川办发〔2021〕16号 (十八)), so a runner that sorted by text fails.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from graph_fixtures import A_REF, P_REF, corpus, item_id, open_test_store  # noqa: E402

from policy_lineage.graph.model import Clause  # noqa: E402
from policy_lineage.graph.nxgraph import build_graph  # noqa: E402
from policy_lineage.queries.runner import parse_header, run_query  # noqa: E402

#: P#2's clauses after the fixture's two, in document order; none is carried by 安居区's A#2
EXTRA = ["编制政策问答并动态更新", "2021年底前完成网站IPv6改造"]


@pytest.fixture(params=["ladybug", "neo4j"])
def store(request, tmp_path):
    docs, lineage = corpus()
    p2 = item_id(docs[0], 2)
    lineage.clauses.extend(Clause(p2, k, t) for k, t in enumerate(EXTRA, start=2))
    with open_test_store(request.param, tmp_path) as s:
        s.write(build_graph(docs, lineage))
    with open_test_store(request.param, tmp_path, read_only=True) as s:
        yield s


def _row(rows, child_doc=A_REF, parent_seq=2):
    return next(r for r in rows if r["child_doc"] == child_doc and r["parent_seq"] == parent_seq)


def test_gaps_lists_missing_clauses_in_the_duty_order(store):
    row = _row(run_query(store, "gaps", parent=P_REF))
    assert row["status"] == "partial"
    assert row["missing"] == ["开展政策吹风会", *EXTRA]
    assert "missing_idx" not in row  # the sort key is the runner's, not an output column


def test_partial_lists_carried_and_missing_in_the_duty_order(store):
    row = _row(run_query(store, "partial", parent=P_REF))
    assert row["carried"] == ["加强政策解读"]
    assert row["missing"] == ["开展政策吹风会", *EXTRA]
    assert not {"carried_idx", "missing_idx"} & set(row)


def test_sort_header_names_the_key_column():
    q = parse_header("// x: y\n// sort: implemented_by, missing by missing_idx\nRETURN 1", "x")
    assert q.sort == ["implemented_by", "missing"]
    assert q.sort_by == {"missing": "missing_idx"}
