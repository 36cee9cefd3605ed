"""Document lineage: nearest ancestor of the same cycle, stated and manifest parents, citations."""

from __future__ import annotations

from pathlib import Path

import pytest

from policy_lineage.graph.lineage import document_parents, is_ancestor
from policy_lineage.graph.model import Document, Item

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def doc(title, level, path, year, doc_no=None, cites=(), item_cites=()):
    return Document(
        title,
        doc_no=doc_no,
        level=level,
        region=path[-1] if path else None,
        region_path=list(path),
        year=year,
        cites=list(cites),
        items=[Item(1, "推进政务公开", cites=list(item_cites))],
    )


NATION = doc("全国要点", "national", [], 2021, "国办发〔2021〕12号")
PROVINCE = doc("全省安排", "province", ["四川省"], 2021, "川办发〔2021〕16号")
CITY = doc("全市分工", "city", ["四川省", "遂宁市"], 2021, "遂府办函〔2021〕5号")
COUNTY = doc("全区方案", "county", ["四川省", "遂宁市", "安居区"], 2021)
OTHER_PROVINCE = doc("重庆安排", "province", ["重庆市"], 2021, "渝府办发〔2021〕1号")


def answers(links, child=None):
    return {
        (l.child, l.parent, l.basis, l.skipped_levels)
        for l in links
        if l.relation == "ANSWERS_TO" and (child is None or l.child == child.doc_id)
    }


class TestInferred:
    def test_county_answers_to_its_city_when_present(self):
        got = answers(document_parents([PROVINCE, CITY, COUNTY]))
        assert (COUNTY.doc_id, CITY.doc_id, "inferred", 0) in got
        assert not any(c == COUNTY.doc_id and p == PROVINCE.doc_id for c, p, _, _ in got)

    def test_county_skips_to_province_when_city_missing(self):
        got = answers(document_parents([PROVINCE, COUNTY]))
        assert got == {(COUNTY.doc_id, PROVINCE.doc_id, "inferred", 1)}

    def test_province_answers_to_national(self):
        got = answers(document_parents([NATION, PROVINCE]))
        assert got == {(PROVINCE.doc_id, NATION.doc_id, "inferred", 0)}

    def test_other_cycle_and_other_province_are_not_parents(self):
        later = doc("全区要点", "county", ["四川省", "遂宁市", "安居区"], 2023)
        got = answers(document_parents([PROVINCE, OTHER_PROVINCE, later]))
        assert got == set()

    def test_peer_is_not_an_ancestor(self):
        assert not is_ancestor(CITY, doc("眉山", "city", ["四川省", "眉山市"], 2021))


class TestStatedAndManifest:
    def test_stated_parent_wins_over_the_nearer_inferred_one(self):
        county = doc("全区方案", "county", ["四川省", "遂宁市", "安居区"], 2021, cites=["川办发〔2021〕16号"])
        got = answers(document_parents([PROVINCE, CITY, county]), county)
        assert got == {(county.doc_id, PROVINCE.doc_id, "stated", 1)}

    def test_item_citation_of_an_older_cycle_is_not_parenthood(self):
        county = doc("全区要点", "county", ["四川省", "遂宁市", "安居区"], 2023, item_cites=["川办发〔2021〕16号"])
        links = document_parents([PROVINCE, county])
        assert answers(links) == set()
        assert [(l.child, l.parent, l.relation) for l in links] == [(county.doc_id, PROVINCE.doc_id, "CITES")]

    def test_manifest_overrides_everything(self):
        county = doc("全区方案", "county", ["四川省", "遂宁市", "安居区"], 2021, cites=["川办发〔2021〕16号"])
        got = answers(document_parents([PROVINCE, CITY, county], {county.ref: [CITY.ref, "某未收录文件"]}), county)
        assert got == {
            (county.doc_id, CITY.doc_id, "manifest", 0),
            (county.doc_id, "doc:某未收录文件", "manifest", 0),
        }

    def test_cited_document_not_in_corpus_is_a_stub(self):
        county = doc("全区要点", "county", ["四川省", "达州市", "万源市"], 2023, item_cites=["川办函〔2022〕89号"])
        links = document_parents([county])
        assert [(l.parent, l.relation, l.basis) for l in links] == [("doc:川办函〔2022〕89号", "CITES", "citation")]

    def test_result_is_sorted_and_deduplicated(self):
        links = document_parents([COUNTY, CITY, PROVINCE, NATION])
        keys = [(l.child, l.relation, l.parent) for l in links]
        assert keys == sorted(set(keys))


def test_seed_lineage():
    """The five seeds: two 2021 documents answer to the province, the 2023 ones to nothing."""
    from policy_lineage.ingest.parser import parse_file

    docs = {d.ref: d for d in (parse_file(p) for p in sorted(SEEDS.iterdir()))}
    got = {(docs_ref(docs, l.child), docs_ref(docs, l.parent), l.relation, l.basis, l.skipped_levels) for l in document_parents(list(docs.values()))}
    assert got == {
        ("2021年全区政务公开重点任务分工方案", "川办发〔2021〕16号", "ANSWERS_TO", "inferred", 1),
        ("眉山市深化政务公开促进基层政府治理能力提升重点任务分工", "川办发〔2021〕16号", "ANSWERS_TO", "inferred", 0),
        ("眉府办函〔2023〕19号", "doc:川办函〔2022〕89号", "CITES", "citation", 0),
        ("2023年全市政务公开工作要点分工表", "doc:川办函〔2022〕89号", "CITES", "citation", 0),
    }


# --------------------------------------------------------------------------- skipped levels, written plans

SKIP_PROVINCE = """四川省2022年政务公开工作要点
川办发〔2022〕9号

一、加强重点领域信息公开
（一）推进财政预决算公开。全面公开部门预算和决算，细化到功能分类项级科目。〔牵头单位：省财政厅；责任单位：各市（州）人民政府〕
（二）做好重大政策解读。政策性文件与解读材料同步起草、同步审签、同步发布。〔牵头单位：省政府办公厅；责任单位：省直各部门（单位）〕
（三）强化政务新媒体监管。开展季度抽查，政务新媒体季度抽查比例不低于25%。〔牵头单位：省政府办公厅；责任单位：各市（州）人民政府〕

四川省人民政府办公厅
2022年3月1日
"""

SKIP_COUNTY = """犍为县2022年政务公开重点任务分工方案

一、加强重点领域信息公开
（一）推进财政预决算公开。全县各部门全面公开部门预算和决算，细化到功能分类项级科目。〔牵头单位：县财政局；责任单位：县级各部门〕
（二）做好重大政策解读。县政府政策性文件与解读材料同步起草、同步审签、同步发布。〔牵头单位：县政府办公室；责任单位：县级各部门〕
（三）强化政务新媒体监管。政务新媒体开展月度、季度全覆盖抽查。〔牵头单位：县政府办公室；责任单位：各乡镇人民政府〕

犍为县人民政府办公室
2022年4月20日
"""

SKIP_CITY = """乐山市2022年政务公开重点任务分工方案

一、加强重点领域信息公开
（一）推进财政预决算公开。市级各部门全面公开部门预算和决算，细化到功能分类项级科目。〔牵头单位：市财政局；责任单位：各县（市、区）人民政府〕
（二）做好重大政策解读。市政府政策性文件与解读材料同步起草、同步审签、同步发布。〔牵头单位：市政府办公室；责任单位：市级各部门〕
（三）强化政务新媒体监管。政务新媒体季度抽查比例不低于40%。〔牵头单位：市政府办公室；责任单位：各县（市、区）人民政府〕

乐山市人民政府办公室
2022年3月25日
"""


class TestSkippedLevelOnWrittenPlans:
    """犍为县 (乐山市) without 乐山市's plan answers to 四川省 and says it skipped a level; with it, to 乐山市."""

    @staticmethod
    def plans(*names):
        from policy_lineage.ingest.parser import parse_text

        texts = {"province": SKIP_PROVINCE, "county": SKIP_COUNTY, "city": SKIP_CITY}
        return [parse_text(texts[n], f"{n}.txt") for n in names]

    @staticmethod
    def implements(lineage, child, parent):
        """(child seq, parent seq) of IMPLEMENTS links from ``child``'s items to ``parent``'s."""
        return sorted(
            (int(l.child.rsplit("#", 1)[1]), int(l.parent.rsplit("#", 1)[1]))
            for l in lineage.links
            if l.relation == "IMPLEMENTS" and l.child.startswith(child.doc_id + "#") and l.parent.startswith(parent.doc_id + "#")
        )

    def test_city_missing_links_county_items_to_the_province(self):
        from policy_lineage.pipeline import link

        province, county = self.plans("province", "county")
        assert county.region_path == ["四川省", "乐山市", "犍为县"]
        lineage = link([province, county])
        assert answers(lineage.doc_links) == {(county.doc_id, province.doc_id, "inferred", 1)}
        assert self.implements(lineage, county, province) == [(1, 1), (2, 2), (3, 3)]

    def test_city_arrives_and_the_county_links_to_it_instead(self):
        from policy_lineage.pipeline import link

        province, county, city = self.plans("province", "county", "city")
        lineage = link([province, county, city])
        assert answers(lineage.doc_links) == {
            (county.doc_id, city.doc_id, "inferred", 0),
            (city.doc_id, province.doc_id, "inferred", 0),
        }
        assert self.implements(lineage, county, city) == [(1, 1), (2, 2), (3, 3)]
        assert self.implements(lineage, county, province) == []
        assert self.implements(lineage, city, province) == [(1, 1), (2, 2), (3, 3)]

    def test_on_the_store_a_rebuild_moves_the_links(self, tmp_path):
        """`lineage build` twice on LadybugDB: before and after the city plan is added to the folder."""
        import sys

        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from test_cli_graph import csv_rows, run

        folder, db = tmp_path / "docs", str(tmp_path / "db" / "graph.lbdb")
        folder.mkdir()
        (folder / "province.txt").write_text(SKIP_PROVINCE, encoding="utf-8")
        (folder / "county.txt").write_text(SKIP_COUNTY, encoding="utf-8")
        skipped = "MATCH (c:Document)-[a:ANSWERS_TO]->(p:Document) RETURN c.region AS child, p.region AS parent, a.skipped_levels AS skipped"

        def state():
            docs = {(r["child"], r["parent"], r["skipped"]) for r in csv_rows(run("query", "-c", skipped, "--db", db, "--format", "csv").output)}
            links = {(r["child_region"], r["parent_region"]) for r in csv_rows(run("links", "--relation", "IMPLEMENTS", "--db", db, "--format", "csv").output)}
            return docs, links

        run("build", str(folder), "--db", db)
        assert state() == ({("犍为县", "四川省", "1")}, {("犍为县", "四川省")})
        (folder / "city.txt").write_text(SKIP_CITY, encoding="utf-8")
        run("build", str(folder), "--db", db)
        assert state() == ({("犍为县", "乐山市", "0"), ("乐山市", "四川省", "0")}, {("犍为县", "乐山市"), ("乐山市", "四川省")})


def docs_ref(docs, doc_id):
    return next((ref for ref, d in docs.items() if d.doc_id == doc_id), doc_id)


if __name__ == "__main__":  # pragma: no cover
    pytest.main([__file__])
