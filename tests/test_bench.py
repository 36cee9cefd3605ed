"""The benchmark harness: a tiny corpus built end to end writes every contract key, honestly.

Only the shape and the internal consistency of the result are tested (counts match the
generated truth, scores lie in [0, 1], the markdown table names the figures); never a time.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from policy_lineage.bench import CONTRACT_KEYS, prf, run_bench
from policy_lineage.cli import cli
from policy_lineage.synthetic import Truth


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    root = tmp_path_factory.mktemp("bench")
    out = root / "bench.json"
    result = run_bench(3, out, seed=1, workdir=root / "work", n_items=12)
    return root, out, result


def test_json_has_every_contract_key(tiny):
    _, out, _ = tiny
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(CONTRACT_KEYS) <= set(data)
    for key in CONTRACT_KEYS:
        assert isinstance(data[key], (int, float)), key


def test_counts_are_the_generated_corpus(tiny):
    root, _, result = tiny
    truth = Truth.read(root / "work")
    assert result.docs == len(truth.documents) == 3
    assert result.items == truth.items
    assert result.links_true == len(truth.links)
    assert result.gaps_true == len(truth.gaps)
    assert result.levels == {"national": 1, "province": 1, "city": 1, "county": 0}


def test_scores_are_fractions_and_times_positive(tiny):
    _, _, result = tiny
    for key in ("link_f1", "link_precision", "link_recall", "gap_recall", "gap_precision", "baseline_f1"):
        assert 0.0 <= getattr(result, key) <= 1.0, key
    assert result.build_s >= result.link_s > 0
    assert result.baseline_link_s > 0
    assert result.peak_rss_mb > 0


def test_corpus_baseline_scored_the_same_way(tiny):
    _, _, result = tiny
    for key in ("corpus_baseline_f1", "corpus_baseline_precision", "corpus_baseline_recall", "corpus_baseline_gap_recall"):
        assert 0.0 <= getattr(result, key) <= 1.0, key
    assert result.corpus_baseline_link_s > 0


def test_queries_ran_on_the_store(tiny):
    root, _, result = tiny
    truth = Truth.read(root / "work")
    items = {d.file: d.items for d in truth.documents}
    assert set(result.query_s) == {"gaps", "coverage", "trace_down"}
    # coverage has one row per duty × answering document: the province answers the national
    # plan, the city the province's plan
    assert result.query_rows["coverage"] == sum(items[d.parent_file] for d in truth.documents[1:])
    assert result.query_rows["trace_down"] >= 1


def test_markdown_table_beside_json(tiny):
    _, out, result = tiny
    md = out.with_suffix(".md").read_text(encoding="utf-8")
    assert md.startswith("# lineage bench: 3 documents")
    assert f"| link F1 | {result.link_f1} | {result.baseline_f1} |" in md


def test_prf_counts_by_hand():
    assert prf({("a", 1), ("a", 2)}, {("a", 1), ("b", 1)}) == (0.5, 0.5, 0.5)
    assert prf(set(), {1}) == (0.0, 0.0, 0.0)


def test_cli_help_names_the_contract():
    result = CliRunner().invoke(cli, ["bench", "--help"])
    assert result.exit_code == 0
    assert "--docs" in result.output and "--out" in result.output and "--seed" in result.output


@pytest.mark.slow
def test_cli_bench_twelve_documents(tmp_path):
    out = tmp_path / "b.json"
    result = CliRunner().invoke(cli, ["bench", "--docs", "12", "--out", str(out), "--seed", "2"], catch_exceptions=False)
    assert result.exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["docs"] == 12 and set(CONTRACT_KEYS) <= set(data)


def test_corpus_baseline_ignores_lineage():
    """A county's duty worded like a neighbouring city's: only the lineage keeps it home."""
    from policy_lineage.bench_baseline import corpus_baseline_links
    from policy_lineage.graph.baseline import baseline_links
    from policy_lineage.graph.lineage import document_parents
    from policy_lineage.graph.model import Document, Item

    def plan(no, level, path, text):
        return Document(no, doc_no=no, level=level, region=path[-1], region_path=path, year=2022, items=[Item(1, text)])

    home = plan("遂府办发〔2022〕1号", "city", ["四川省", "遂宁市"], "推进财政预决算信息公开，每季度公开一次执行情况。")
    away = plan("眉府办发〔2022〕2号", "city", ["四川省", "眉山市"], "推进财政预决算信息公开，每月公开一次执行情况。")
    county = plan("安居府办发〔2022〕3号", "county", ["四川省", "遂宁市", "安居区"], "推进财政预决算信息公开，每月公开一次执行情况。")
    docs = [home, away, county]
    corpus = {(l.child, l.parent) for l in corpus_baseline_links(docs).links}
    paired = {(l.child, l.parent) for l in baseline_links(docs, document_parents(docs)).links}
    assert ("doc:安居府办发〔2022〕3号#1", "doc:眉府办发〔2022〕2号#1") in corpus
    assert paired == {("doc:安居府办发〔2022〕3号#1", "doc:遂府办发〔2022〕1号#1")}
