"""Incremental ingest and the workspace caches, on the seeds and a synthetic corpus, in real stores.

Every comparison is between graphs read back from real LadybugDB files: what ``add``/``remove``
or a warm rebuild stored against what a fresh build of the same files stores.  Cache behaviour
is observed through what a build *does* (the workspace's counters, and a tampered cache entry
showing up in the store only when the cache is trusted), never by replacing code.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent))

from graph_fixtures import same_graph  # noqa: E402

from policy_lineage.cli import cli  # noqa: E402
from policy_lineage.errors import LineageError, ParseError  # noqa: E402
from policy_lineage.graph.curation import Decision, append_decision, item_ref  # noqa: E402
from policy_lineage.graph.store import open_store  # noqa: E402
from policy_lineage.pipeline import add, build, curation_path, remove  # noqa: E402
from policy_lineage.workspace import Workspace  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

pytestmark = pytest.mark.slow


def stored(db: Path):
    with open_store("ladybug", db, read_only=True) as store:
        return store.to_networkx()


def link_keys(report) -> set[tuple[str, str, str, float, str]]:
    return {(l.child, l.parent, l.relation, l.score, l.status) for l in report.lineage.links}


@pytest.fixture
def seeds(tmp_path) -> Path:
    """The seeds copied into a folder of the test's own, so files can be added and changed."""
    folder = tmp_path / "in"
    shutil.copytree(SEEDS, folder)
    return folder


def split_last(folder: Path) -> tuple[list[Path], Path]:
    """All files but the one that answers to another seed (it is the one to add later)."""
    files = sorted(folder.iterdir())
    full = build(files, folder.parent / "probe.lbdb")
    answering = {l.child for l in full.lineage.doc_links if l.relation == "ANSWERS_TO"}
    late = next(f for f, d in zip(files, full.documents) if d.doc_id in answering)
    return [f for f in files if f != late], late


def test_warm_rebuild_reuses_every_parse_and_pair_and_stores_the_same_graph(seeds, tmp_path):
    fresh_db, warm_db = tmp_path / "fresh.lbdb", tmp_path / "warm.lbdb"
    cold = build([seeds], warm_db, workspace=Workspace.for_db(warm_db))
    ws = Workspace.for_db(warm_db)
    warm = build([seeds], warm_db, workspace=ws)
    build([seeds], fresh_db)
    assert ws.stats.parse_hits == len(cold.documents) and ws.stats.parse_misses == 0
    assert ws.stats.pair_hits > 0 and ws.stats.pair_misses == 0 and not ws.warnings
    assert link_keys(warm) == link_keys(cold)
    assert same_graph(stored(warm_db), stored(fresh_db))


def test_add_equals_a_fresh_build_and_parses_only_the_new_file(seeds, tmp_path):
    first, late = split_last(seeds)
    db, fresh_db = tmp_path / "inc.lbdb", tmp_path / "fresh.lbdb"
    build(first, db, workspace=Workspace.for_db(db))
    ws = Workspace.for_db(db)
    report = add([late], db, workspace=ws)
    full = build(sorted(seeds.iterdir()), fresh_db)
    assert (ws.stats.parse_misses, ws.stats.parse_hits) == (1, len(first))
    assert link_keys(report) == link_keys(full)
    assert same_graph(stored(db), stored(fresh_db))


def test_add_then_remove_stores_the_graph_of_never_adding(seeds, tmp_path):
    first, late = split_last(seeds)
    db, before_db = tmp_path / "inc.lbdb", tmp_path / "before.lbdb"
    build(first, db, workspace=Workspace.for_db(db))
    shutil.copyfile(db, before_db)
    added = add([late], db, workspace=Workspace.for_db(db))
    assert not same_graph(stored(db), stored(before_db))
    late_doc = next(d for d in added.documents if d.source_file == str(late))
    remove(late_doc.ref, db, workspace=Workspace.for_db(db))
    assert same_graph(stored(db), stored(before_db))
    assert [Path(s.file) for s in Workspace.for_db(db).sources()] == sorted(first)


def test_add_to_a_large_corpus_links_only_the_pairs_it_touches(tmp_path):
    """Below the drift limit the other pairs are reused; the new document's pairs are exact."""
    from policy_lineage.synthetic import CORPUS_DIR, generate_corpus

    generate_corpus(24, 3, tmp_path)
    corpus = tmp_path / CORPUS_DIR
    files = sorted(f for f in corpus.iterdir() if f.suffix == ".txt" or f.suffix == ".md")
    late = next(f for f in reversed(files) if f.name.startswith("county"))
    db, fresh_db = tmp_path / "inc.lbdb", tmp_path / "fresh.lbdb"
    before = build([f for f in files if f != late], db, workspace=Workspace.for_db(db, drift=0.1))
    ws = Workspace.for_db(db, drift=0.1)
    after = add([late], db, workspace=ws)
    full = build([corpus], fresh_db)
    late_id = next(d.doc_id for d in after.documents if d.source_file == str(late))
    assert ws.stats.pair_misses == 1 and ws.stats.pair_drifted == ws.stats.pair_hits > 0

    def touching(report, inside: bool):
        return {k for k in link_keys(report) if k[0].startswith(late_id + "#") == inside}

    assert touching(after, True) and touching(after, True) == touching(full, True)
    assert touching(after, False) == touching(before, False)


def test_changed_file_replaces_its_items_and_keeps_decisions_that_still_apply(seeds, tmp_path):
    db = tmp_path / "graph.lbdb"
    first = build([seeds], db, workspace=Workspace.for_db(db))
    by_id = {it.item_id(d.doc_id): (d, it) for d in first.documents for it in d.items}
    docs = {d.doc_id: d for d in first.documents}
    implements = [l for l in first.lineage.links if l.relation == "IMPLEMENTS" and l.child in by_id and l.parent in by_id]
    child_doc = docs[Counter(by_id[l.child][0].doc_id for l in implements).most_common(1)[0][0]]
    text = Path(child_doc.source_file).read_text(encoding="utf-8")
    linked = [l for l in implements if by_id[l.child][0] is child_doc]
    kept = linked[0]
    changed = next(l for l in reversed(linked) if l.child != kept.child and by_id[l.child][1].text[:24] in text)
    kept_ref = (item_ref(*by_id[kept.child]), item_ref(*by_id[kept.parent]))
    append_decision(curation_path(db), Decision("reject", parent=kept_ref[1], child=kept_ref[0]))
    path, head = Path(child_doc.source_file), by_id[changed.child][1].text[:24]
    path.write_text(text.replace(head, "建立健全候鸟迁徙观测站点名录并按月通报观测数据", 1), encoding="utf-8")

    ws = Workspace.for_db(db)
    second = add([path], db, workspace=ws)
    assert (ws.stats.parse_misses, ws.stats.parse_hits) == (1, len(first.documents) - 1)
    graph = stored(db)
    item = graph.nodes[changed.child]
    assert "候鸟迁徙" in item["text"] and head not in item["text"]
    new_doc = next(d for d in second.documents if d.doc_id == child_doc.doc_id)
    stored_items = {n for n, a in graph.nodes(data=True) if a.get("label") == "Item" and n.startswith(child_doc.doc_id + "#")}
    assert stored_items == {it.item_id(new_doc.doc_id) for it in new_doc.items}
    status = {(l.child, l.parent): l.status for l in second.lineage.links}
    assert status[(kept.child, kept.parent)] == "rejected"
    assert second.curation.applied == 1 and not second.curation.stale


def test_a_cache_from_another_parser_version_is_ignored(seeds, tmp_path):
    db = tmp_path / "graph.lbdb"
    build([seeds], db, workspace=Workspace.for_db(db, parser="v1"))
    # the province's parse: its pairs' cached links and carries name clauses of the old text,
    # so they must be relinked, not loaded dangling (which cached parse this took once depended on
    # the temporary folder's name, and the build failed when it was the province's)
    entries = sorted((Workspace.for_db(db).root / "parsed").glob("*.json"))
    entry = next(e for e in entries if "川办发〔2021〕16号" in e.read_text(encoding="utf-8").split('"items"')[0])
    data = json.loads(entry.read_text(encoding="utf-8"))
    first_item = data["document"]["items"][0]
    first_item["text"] = "缓存里被改过的条目"
    entry.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    same = Workspace.for_db(db, parser="v1")
    build([seeds], db, workspace=same)  # the cache is trusted under its own version …
    texts = {a.get("text") for _, a in stored(db).nodes(data=True)}
    assert "缓存里被改过的条目" in texts and same.stats.parse_misses == 0
    assert same.stats.pair_hits == 0 and same.stats.ignored == 2  # both pairs with the province relinked

    other = Workspace.for_db(db, parser="v2")
    build([seeds], db, workspace=other)  # … and not found under another
    texts = {a.get("text") for _, a in stored(db).nodes(data=True)}
    assert "缓存里被改过的条目" not in texts and other.stats.parse_hits == 0


def test_corrupted_cache_files_are_ignored_with_a_warning(seeds, tmp_path):
    db, fresh_db = tmp_path / "graph.lbdb", tmp_path / "fresh.lbdb"
    runner = CliRunner()
    assert runner.invoke(cli, ["build", str(seeds), "--db", str(db)]).exit_code == 0
    root = Workspace.for_db(db).root
    parsed = sorted((root / "parsed").glob("*.json"))[0]
    parsed.write_bytes(parsed.read_bytes()[:100])  # truncated
    pair = sorted((root / "pairs").glob("*.json"))[0]
    pair.write_text('{"key": "x", "links": 3}', encoding="utf-8")  # valid JSON, wrong content
    epoch = sorted((root / "epochs").glob("*.json"))[0]
    epoch.write_bytes(b"\xff\xfe not json")

    result = runner.invoke(cli, ["build", str(seeds), "--db", str(db)])
    assert result.exit_code == 0, result.output
    warned = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert any(parsed.name in w for w in warned) and any(pair.name in w for w in warned)
    build([seeds], fresh_db)
    assert same_graph(stored(db), stored(fresh_db))


def test_a_bad_file_in_add_leaves_store_and_corpus_unchanged(seeds, tmp_path):
    db = tmp_path / "graph.lbdb"
    build([seeds], db, workspace=Workspace.for_db(db))
    before, sources = stored(db), Workspace.for_db(db).sources()
    bad = tmp_path / "empty.txt"
    bad.write_text("", encoding="utf-8")
    with pytest.raises(ParseError, match="empty.txt"):
        add([bad], db, workspace=Workspace.for_db(db))
    with pytest.raises(LineageError, match="no document"):
        remove("不存在的文件", db, workspace=Workspace.for_db(db))
    assert same_graph(stored(db), before) and Workspace.for_db(db).sources() == sources


def test_add_without_a_build_says_what_to_do(tmp_path):
    result = CliRunner().invoke(cli, ["add", str(SEEDS), "--db", str(tmp_path / "graph.lbdb")])
    assert result.exit_code == 1 and "lineage build" in result.output


def test_fresh_build_recomputes_everything_and_prunes_the_caches(seeds, tmp_path):
    db = tmp_path / "graph.lbdb"
    runner = CliRunner()
    assert runner.invoke(cli, ["build", str(seeds), "--db", str(db)]).exit_code == 0
    subset = [str(f) for f in sorted(seeds.iterdir())[:3]]
    result = runner.invoke(cli, ["build", *subset, "--db", str(db), "--fresh"])
    assert result.exit_code == 0, result.output
    assert "parsed 3, reused 0" in result.output
    assert len(list((Workspace.for_db(db).root / "parsed").glob("*.json"))) == 3
