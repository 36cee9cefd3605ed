"""``lineage eval`` and ``lineage gaps`` on the seeds, through click's CliRunner.

``eval`` parses and links the seeds in memory and scores them against tests/gold; ``gaps`` runs
on a store built from the seeds, and is checked against the same annotation: every duty 安居区
dropped is a gap, no duty it merged into another item is, and partial duties list the clauses
they miss (the IPv6 deadline of 川办发〔2021〕16号 (十八) among them) in the duty's order.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from policy_lineage.cli import cli
from policy_lineage.graph.clauses import split_clauses
from policy_lineage.graph.evaluate import read_gold, read_gold_gaps

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "gold" / "implements.csv"
GOLD_GAPS = ROOT / "tests" / "gold" / "gaps.csv"
PROVINCE = "川办发〔2021〕16号"
ANJU = "2021年全区政务公开重点任务分工方案"
MEISHAN = "眉山市深化政务公开促进基层政府治理能力提升重点任务分工"


def run(*args: str, code: int = 0):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


# --------------------------------------------------------------------------- eval


@pytest.mark.slow
def test_eval_on_the_seeds_scores_each_pair_and_the_baseline():
    rows = json.loads(run("eval", "--gold", str(GOLD), str(ROOT / "seeds"), "--format", "json").output)
    by_child = {r["child_doc"]: r for r in rows}
    assert set(by_child) == {ANJU, MEISHAN, "(all)"}
    gold = read_gold(GOLD)
    for child in (ANJU, MEISHAN):
        r = by_child[child]
        assert r["parent_doc"] == PROVINCE
        # every gold link of the pair is a true positive or a false negative, for both methods
        n_gold = sum(1 for c, _, _, _ in gold if c == child)
        assert r["tp"] + r["fn"] == r["baseline_tp"] + r["baseline_fn"] == n_gold
        assert r["f1"] > r["baseline_f1"]
    assert by_child[ANJU]["f1"] >= 0.95
    total = by_child["(all)"]
    assert total["tp"] == by_child[ANJU]["tp"] + by_child[MEISHAN]["tp"]
    assert total["fp"] == by_child[ANJU]["fp"] + by_child[MEISHAN]["fp"]


def test_eval_help_names_the_gold_columns():
    out = run("eval", "--help").output
    assert "parent_seq" in out and "--gold" in out and "Example" in out


@pytest.mark.parametrize(
    "content, message",
    [
        ("child_doc,child_seq,parent_doc\nA,1,P\n", "lacks column(s) parent_seq"),
        ("child_doc,child_seq,parent_doc,parent_seq\nA,一,P,1\n", "gold.csv:2: child_seq and parent_seq must be integers"),
        ("child_doc,child_seq,parent_doc,parent_seq\n", "has no link rows"),
        ("child_doc,child_seq,parent_doc,parent_seq\n某县方案,1,川办发〔2031〕9号,1\n", "names documents not among those read"),
    ],
)
def test_bad_gold_file_is_one_line(tmp_path, content, message):
    gold = tmp_path / "gold.csv"
    gold.write_text(content, encoding="utf-8")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    # one small document, so the unknown-document case parses something and fails after it
    (seeds / "anju.md").write_text((ROOT / "seeds" / "suining-anju-2021-task-division.md").read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", "--gold", str(gold), str(seeds)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0] and str(gold) in lines[0]


def test_missing_gold_file_is_one_line(tmp_path):
    result = CliRunner().invoke(cli, ["eval", "--gold", str(tmp_path / "none.csv")])
    assert result.exit_code == 1 and "cannot read gold file" in result.output
    assert len(result.output.strip().splitlines()) == 1


# --------------------------------------------------------------------------- gaps on the seeds


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("seeds") / "graph.lbdb"
    run("build", str(ROOT / "seeds"), "--db", str(db))
    return db


def _gaps(db: Path, child: str) -> list[dict]:
    rows = json.loads(run("gaps", "--db", str(db), "--child", child, "--format", "json").output)
    return [r for r in rows if r["parent_doc"] == PROVINCE]


def _merged_duties(child: str) -> set[int]:
    """Duties the gold says ``child`` carries inside an item that implements another duty too."""
    parents: dict[int, set[int]] = {}
    for c, cs, _, ps in read_gold(GOLD):
        if c == child:
            parents.setdefault(cs, set()).add(ps)
    return {p for ps in parents.values() if len(ps) > 1 for p in ps}


@pytest.mark.slow
def test_anju_gaps_are_the_dropped_duties_and_no_merged_one(seeds_db):
    rows = _gaps(seeds_db, ANJU)
    gaps = {r["parent_seq"] for r in rows if r["status"] == "gap"}
    dropped = {s for c, _, s, st in read_gold_gaps(GOLD_GAPS) if c == ANJU and st == "gap"}
    assert dropped and gaps == dropped
    merged = _merged_duties(ANJU)
    assert {11, 12, 14, 15} <= merged  # (十)=(十一)+(十二), (十二)=(十四)+(十五)
    assert not gaps & merged


@pytest.mark.slow
def test_anju_partial_duties_list_missing_clauses_in_order_with_ipv6(seeds_db):
    from policy_lineage.ingest.parser import parse_file

    province = parse_file(ROOT / "seeds" / "sichuan-2021-chuanbanfa-16-province.txt")
    clauses = {it.seq: split_clauses(it.text, it.title) for it in province.items}
    partial = {r["parent_seq"]: r for r in _gaps(seeds_db, ANJU) if r["status"] == "partial"}
    assert any("IPv6" in m for m in partial[18]["missing"])
    for seq, row in partial.items():
        positions = [clauses[seq].index(m) for m in row["missing"]]
        assert positions == sorted(positions), (seq, row["missing"])


@pytest.mark.slow
def test_gaps_csv_keeps_the_contract_columns(seeds_db):
    out = run("gaps", "--db", str(seeds_db), "--child", "安居区", "--format", "csv").output
    header = next(csv.reader(io.StringIO(out)))
    assert "missing_idx" not in header and header[8] == "missing"
