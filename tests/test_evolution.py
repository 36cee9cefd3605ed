"""EVOLVES_FROM and what changed: targets, deadlines, units; on documents written here and the seeds.

The two plans written here carry three duties from a 2021 provincial plan into a 2023 city plan
with new terms (25% → 全覆盖, 3种 → 90%, 2021 → 2023) and add one duty of their own; expected
values are read off these texts.  Store tests run `lineage build` on a real embedded LadybugDB.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from test_cli_graph import csv_rows, run  # noqa: E402

from policy_lineage.graph.changes import Changes, compare_items, compare_targets, find_targets  # noqa: E402
from policy_lineage.graph.evolution import earlier_documents, evolution_links  # noqa: E402
from policy_lineage.graph.model import Deadline, Item, Unit  # noqa: E402
from policy_lineage.ingest.parser import parse_file, parse_text  # noqa: E402

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

PROVINCE_2021 = """四川省2021年政务公开工作要点
川办发〔2021〕30号

一、加强重点领域信息公开
（一）推进财政预决算公开。全面公开部门预算和决算，细化到功能分类项级科目。〔牵头单位：省财政厅；责任单位：各市（州）人民政府〕
（二）做好重大政策解读。政策性文件与解读材料同步起草、同步审签、同步发布，解读形式不少于3种。〔牵头单位：省政府办公厅；责任单位：省直各部门（单位）〕
二、加强政务新媒体建设管理
（三）强化政务新媒体监管。开展季度抽查和半年检查，政务新媒体季度抽查比例不低于25%，2021年底前完成问题账号清理。〔牵头单位：省政府办公厅；责任单位：省大数据中心、各市（州）人民政府〕

四川省人民政府办公厅
2021年3月1日
"""

CITY_2023 = """乐山市2023年政务公开重点任务分工方案

一、加强重点领域信息公开
（一）深化财政预决算公开。市级各部门全面公开部门预算和决算，细化到功能分类项级科目，2023年6月底前完成。〔牵头单位：市财政局；责任单位：市级各部门〕
（二）提升政策解读质量。政策性文件与解读材料同步发布，多元化解读比例不低于90%。〔牵头单位：市政府办公室；责任单位：市级各部门〕
二、加强政务新媒体建设管理
（三）加强政务新媒体监管。政务新媒体开展季度全覆盖抽查和半年检查，2023年底前完成问题账号清理。〔牵头单位：市政府办公室；责任单位：市委网信办、各县（市、区）人民政府〕
（四）推进安全生产信息公开。及时公开安全生产检查和事故调查报告。〔牵头单位：市应急局；责任单位：各县（市、区）人民政府〕

乐山市人民政府办公室
2023年3月25日
"""


def docs_written():
    return parse_text(PROVINCE_2021, "sichuan-2021.txt"), parse_text(CITY_2023, "leshan-2023.txt")


def by_pair(links):
    return {(l.child.rsplit("#", 1)[1], l.parent.rsplit("#", 1)[1]): l for l in links}


# --------------------------------------------------------------------------- targets


class TestTargets:
    def test_percentage_with_its_subject(self):
        (t,) = find_targets("开展季度抽查和半年检查，政务新媒体季度抽查比例不低于 25% 。")
        assert (t.op, t.value, t.unit) == (">=", 25.0, "%")
        assert "季度抽查比例" in t.subject

    def test_counts_limits_and_chinese_numerals(self):
        got = [(t.op, t.value, t.unit) for t in find_targets("解读形式不少于三种；3个工作日内报备；办结率达到100%以上；每年至少2次，最多5天")]
        assert got == [(">=", 3.0, "种"), ("<=", 3.0, "个工作日"), (">=", 100.0, "%"), (">=", 2.0, "次"), ("<=", 5.0, "天")]

    def test_dates_and_bare_counts_are_not_targets(self):
        assert find_targets("2021年底前完成，8月31日前发布，建成3个平台。") == []

    def test_full_coverage_is_a_target(self):
        (t,) = find_targets("政务新媒体开展月度、季度全覆盖抽查和半年检查。")
        assert t.unit == "全覆盖" and "抽查" in t.text

    def test_a_changed_target_pairs_with_its_predecessor(self):
        old = find_targets("政务新媒体季度抽查比例不低于25%。解读形式不少于3种。")
        new = find_targets("多元化解读比例不低于90%。政务新媒体开展季度全覆盖抽查。")
        pairs = [(c.before, c.after) for c in compare_targets(old, new)]
        assert len(pairs) == 2
        assert any("25%" in b and "全覆盖" in a for b, a in pairs)
        assert any("3种" in b and "90%" in a for b, a in pairs)

    def test_unchanged_target_is_not_a_change_and_unmatched_ones_are_added_or_dropped(self):
        old = find_targets("季度抽查比例不低于25%。")
        assert compare_targets(old, find_targets("季度抽查比例不低于25%。")) == []
        changes = compare_targets(old, find_targets("办结率达到95%。"))
        assert [(c.before is None, c.after is None) for c in changes] == [(False, True), (True, False)]


class TestItemChanges:
    def test_deadline_units_and_json_round_trip(self):
        old = Item(1, "政务新媒体季度抽查比例不低于25%。", deadline=Deadline("2021年底前", "2021-12-31", "date"),
                   units=[Unit("四川省政府办公厅", "省政府办公厅"), Unit("四川省大数据中心", "省大数据中心"),
                          Unit("各市（州）人民政府", "各市（州）人民政府", collective=True)])  # fmt: skip
        new = Item(1, "政务新媒体开展季度全覆盖抽查。", deadline=Deadline("长期坚持", None, "ongoing"),
                   units=[Unit("乐山市政府办公室", "市政府办公室"), Unit("乐山市委网信办", "市委网信办")])  # fmt: skip
        c = compare_items(old, new)
        assert (c.deadline.before.startswith("2021年底前"), c.deadline.after) == (True, "长期坚持")
        # 省政府办公厅 and 市政府办公室 do one job at two levels; collectives are not compared
        assert (c.units_added, c.units_removed) == (["乐山市委网信办"], ["四川省大数据中心"])
        assert Changes.from_json(c.to_json()) == c

    def test_same_duty_same_terms_is_empty(self):
        item = Item(1, "开展季度抽查，抽查比例不低于25%。", units=[Unit("四川省政府办公厅", "省政府办公厅")])
        assert compare_items(item, item).is_empty()


# --------------------------------------------------------------------------- links


class TestEvolutionOnWrittenDocuments:
    def test_each_duty_continues_and_the_new_one_does_not(self):
        prov, city = docs_written()
        links = evolution_links([prov, city])
        assert sorted(by_pair(links)) == [("1", "1"), ("2", "2"), ("3", "3")]
        assert all(l.relation == "EVOLVES_FROM" and 0 < l.score <= 1 and l.evidence for l in links)
        assert all(l.child.startswith(city.doc_id) and l.parent.startswith(prov.doc_id) for l in links)

    def test_what_changed_on_the_new_media_duty(self):
        links = by_pair(evolution_links(list(docs_written())))
        c = Changes.from_json(links[("3", "3")].changes)
        assert any("25%" in t.before and "全覆盖" in t.after for t in c.targets)
        assert "2021-12-31" in c.deadline.before and "2023" in c.deadline.after
        assert "乐山市委网信办" in c.units_added and "四川省大数据中心" in c.units_removed
        interp = Changes.from_json(links[("2", "2")].changes)
        assert [(("3种" in t.before), ("90%" in t.after)) for t in interp.targets] == [(True, True)]

    def test_same_cycle_other_province_and_older_cycles_give_nothing(self):
        prov, city = docs_written()
        same_year = parse_text(CITY_2023.replace("2023", "2021"), "leshan-2021.txt")
        assert evolution_links([prov, same_year]) == []
        chongqing = parse_text(CITY_2023.replace("乐山市", "重庆市万州区").replace("市委网信办", "区委网信办"), "wanzhou.txt")
        assert chongqing.region_path[0] != "四川省"
        assert evolution_links([prov, chongqing]) == []

    def test_only_the_latest_earlier_cycle_of_each_region(self):
        prov, city = docs_written()
        prov22 = parse_text(PROVINCE_2021.replace("2021", "2022").replace("30号", "31号"), "sichuan-2022.txt")
        assert [d.doc_id for d in earlier_documents(city, [prov, prov22, city])] == [prov22.doc_id]
        assert {l.parent.rsplit("#", 1)[0] for l in evolution_links([prov, prov22, city])} == {prov22.doc_id, prov.doc_id}
        # 2023 ← 2022 and 2022 ← 2021: a chain, never 2023 ← 2021 directly
        assert not [l for l in evolution_links([prov, prov22, city]) if l.child.startswith(city.doc_id) and l.parent.startswith(prov.doc_id)]


# --------------------------------------------------------------------------- seeds


@pytest.fixture(scope="module")
def seed_lineage():
    from policy_lineage.pipeline import link

    docs = [parse_file(p) for p in sorted(SEEDS.iterdir())]
    return docs, link(docs)


def _items(docs):
    return {it.item_id(d.doc_id): (d, it) for d in docs for it in d.items}


class TestSeeds:
    def test_no_implements_across_cycles(self, seed_lineage):
        docs, lineage = seed_lineage
        items = _items([*docs, *lineage.inferred_documents])  # duties inferred for missing parents too
        implements = [l for l in lineage.links if l.relation == "IMPLEMENTS"]
        assert implements and all(l.child in items and l.parent in items for l in implements)
        assert all(items[l.child][0].year == items[l.parent][0].year for l in implements)
        assert not [l for l in implements if items[l.child][0].year == 2023 and items[l.parent][0].year == 2021]

    def test_evolution_goes_back_in_time_to_the_same_or_an_ancestor_region(self, seed_lineage):
        docs, lineage = seed_lineage
        items = _items(docs)
        evolves = [l for l in lineage.links if l.relation == "EVOLVES_FROM"]
        assert evolves
        for l in evolves:
            (later, _), (earlier, _) = items[l.child], items[l.parent]
            assert earlier.year < later.year
            assert later.region_path[: len(earlier.region_path)] == earlier.region_path

    @pytest.mark.parametrize("region", ["眉山市", "万源市"])
    def test_new_media_rows_of_2023_continue_the_provinces_new_media_duties(self, seed_lineage, region):
        """A 2023 政务新媒体 task ← a 2021 duty of the province's 政务新媒体 section ((十七)–(十九))."""
        docs, lineage = seed_lineage
        items = _items(docs)
        found = set()
        for l in lineage.links:
            if l.relation != "EVOLVES_FROM":
                continue
            (later, new), (earlier, old) = items[l.child], items[l.parent]
            if later.region == region and "政务新媒体" in (new.title or "") and earlier.level == "province":
                assert any("政务新媒体" in s for s in old.section)
                found.add(old.label)
        assert found and found <= {"(十七)", "(十八)", "(十九)"}


@pytest.mark.parametrize("backend", ["ladybug", "neo4j"])
def test_evolution_query_on_both_stores(backend, tmp_path):
    """queries/evolution.cypher unchanged on each store: both directions, changes kept as JSON."""
    from graph_fixtures import open_test_store

    from policy_lineage.graph.nxgraph import build_graph
    from policy_lineage.pipeline import link
    from policy_lineage.queries.runner import run_query

    docs = list(docs_written())
    with open_test_store(backend, tmp_path) as store:
        store.write(build_graph(docs, link(docs)))
        later = run_query(store, "evolution", item="乐山市2023年政务公开重点任务分工方案#3")
        earlier = run_query(store, "evolution", item="川办发〔2021〕30号#3")
        assert run_query(store, "evolution", item="乐山市2023年政务公开重点任务分工方案#4") == []
    assert [(r["direction"], r["later_seq"], r["earlier_seq"], r["earlier_year"]) for r in later] == [("earlier", 3, 3, 2021)]
    assert [(r["direction"], r["later_seq"], r["later_year"]) for r in earlier] == [("later", 3, 2023)]
    assert Changes.from_json(later[0]["changes"]) == Changes.from_json(earlier[0]["changes"])
    assert any("全覆盖" in (t.after or "") for t in Changes.from_json(later[0]["changes"]).targets)


class TestStore:
    def test_cli_evolution_and_links(self, tmp_path):
        folder = tmp_path / "docs"
        folder.mkdir()
        (folder / "sichuan-2021.txt").write_text(PROVINCE_2021, encoding="utf-8")
        (folder / "leshan-2023.txt").write_text(CITY_2023, encoding="utf-8")
        db = str(tmp_path / "db" / "graph.lbdb")
        run("build", str(folder), "--db", db)

        links = csv_rows(run("links", "--relation", "EVOLVES_FROM", "--db", db, "--format", "csv").output)
        assert sorted((r["child_seq"], r["parent_seq"], r["child_year"], r["parent_year"]) for r in links) == [
            ("1", "1", "2023", "2021"), ("2", "2", "2023", "2021"), ("3", "3", "2023", "2021"),
        ]  # fmt: skip

        rows = json.loads(run("evolution", "川办发[2021]30号#3", "--db", db, "--format", "json").output)
        assert [(r["direction"], r["later_seq"], r["earlier_seq"]) for r in rows] == [("later", 3, 3)]
        assert any("25%" in t["before"] and "全覆盖" in t["after"] for t in rows[0]["changes"]["targets"])
        table = run("evolution", "乐山市2023年政务公开重点任务分工方案#3", "--db", db).output
        assert "全覆盖" in table and "earlier" in table
        alone = run("evolution", "乐山市2023年政务公开重点任务分工方案#4", "--db", db).output
        assert "no EVOLVES_FROM link" in alone
        assert "no item" in run("evolution", "乐山市2023年政务公开重点任务分工方案#9", "--db", db, code=1).output

        # a reviewer rejects one step: gone from the line of duty now and after a rebuild
        link_id = next(r["link_id"] for r in links if r["child_seq"] == "2")
        run("reject", link_id, "--reason", "只是措辞相近", "--db", db)
        for _ in range(2):
            assert "no EVOLVES_FROM link" in run("evolution", "乐山市2023年政务公开重点任务分工方案#2", "--db", db).output
            statuses = {r["link_id"]: r["status"] for r in csv_rows(run("links", "--relation", "EVOLVES_FROM", "--db", db, "--format", "csv").output)}
            assert statuses[link_id] == "rejected" and list(statuses.values()).count("auto") == 2
            run("build", str(folder), "--db", db)
