"""CITES: every cited 文号 is one Document node, a stub until the cited document is ingested.

Documents are written here (three small plans of 2023 citing one provincial notice, each with
the 文号 in another bracket form, and the notice itself) or are the seeds; the store tests run
`lineage build` on a real embedded LadybugDB in tmp_path.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from test_cli_graph import csv_rows as rows, run  # noqa: E402  (one CliRunner helper for all CLI tests)

from policy_lineage.graph.lineage import cited_titles, document_parents  # noqa: E402
from policy_lineage.graph.model import Lineage  # noqa: E402
from policy_lineage.graph.nxgraph import build_graph  # noqa: E402
from policy_lineage.ingest.parser import parse_file, parse_text  # noqa: E402

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
NOTICE_NO = "川办函〔2022〕89号"
NOTICE_TITLE = "四川省人民政府办公厅关于创新完善机制加强全省政府系统政务新媒体管理的通知"

LESHAN = """乐山市2023年政务公开工作要点分工方案

一、加强平台载体建设
（一）优化政务新媒体运维。全面落实《四川省人民政府办公厅关于创新完善机制加强全省政府系统政务新媒体管理的通知》（川办函[2022] 89号）要求，加强内容建设和保障。〔牵头单位：市政府办公室；责任单位：市级各部门〕
（二）推进政府网站集约化。建设政策文件库。〔牵头单位：市政府办公室；责任单位：各县（市、区）人民政府〕
（三）做好政策解读。解读形式不少于3种。〔牵头单位：市政府办公室；责任单位：市级各部门〕

乐山市人民政府办公室
2023年4月10日
"""

# the same 文号 with full-width round brackets and spaces, and no title before it
ZIGONG = """自贡市2023年政务公开重点任务分工方案

一、加强平台载体建设
（一）规范政务新媒体管理。按照川办函（2022） 89 号要求，严格落实管办责任。〔牵头单位：市政府办公室；责任单位：市级各部门〕
（二）提升政府公报服务水平。及时发布电子版。〔牵头单位：市政府办公室；责任单位：市级各部门〕
（三）做好政策解读。多元化解读。〔牵头单位：市政府办公室；责任单位：市级各部门〕

自贡市人民政府办公室
2023年3月20日
"""

# and with full-width square brackets
LUZHOU = ZIGONG.replace("自贡市", "泸州市").replace("川办函（2022） 89 号", "川办函［2022］89号")

# the cited notice itself, its own 文号 printed with 〔〕
NOTICE = f"""{NOTICE_TITLE}
川办函〔2022〕89号

一、健全管理机制
（一）落实主管主办责任。各级政府办公厅（室）是本级政府系统政务新媒体的主管单位。〔牵头单位：省政府办公厅；责任单位：各市（州）人民政府〕
（二）加强内容建设。严格内容发布审核。〔牵头单位：省政府办公厅；责任单位：省直各部门（单位）〕
（三）强化监督检查。开展季度抽查。〔牵头单位：省政府办公厅；责任单位：各市（州）人民政府〕

四川省人民政府办公厅
2022年9月1日
"""


def parsed(*texts_and_names):
    return [parse_text(text, name) for text, name in texts_and_names]


def cites_edges(graph):
    return sorted((u, v) for u, v, a in graph.edges(data=True) if a["type"] == "CITES")


def graph_of(docs):
    return build_graph(docs, Lineage(doc_links=document_parents(docs)))


class TestOneNodePerNumber:
    def test_bracket_forms_are_one_stub(self):
        docs = parsed((LESHAN, "leshan.txt"), (ZIGONG, "zigong.txt"), (LUZHOU, "luzhou.txt"))
        g = graph_of(docs)
        stubs = [n for n, a in g.nodes(data=True) if a["label"] == "Document" and a["stub"]]
        assert stubs == ["doc:" + NOTICE_NO]
        assert cites_edges(g) == sorted((d.doc_id, "doc:" + NOTICE_NO) for d in docs)

    def test_stub_keeps_the_title_the_text_gives(self):
        docs = parsed((ZIGONG, "zigong.txt"), (LESHAN, "leshan.txt"))  # the untitled citation first
        node = graph_of(docs).nodes["doc:" + NOTICE_NO]
        assert (node["stub"], node["doc_no"], node["ref"], node["title"]) == (True, NOTICE_NO, NOTICE_NO, NOTICE_TITLE)

    def test_no_title_when_no_text_gives_one(self):
        node = graph_of(parsed((ZIGONG, "zigong.txt"))).nodes["doc:" + NOTICE_NO]
        assert node["title"] is None

    def test_cited_titles_reads_book_title_marks_only_before_the_number(self):
        doc = parse_text(LESHAN.replace("（三）做好政策解读。", "（三）做好政策解读，按《条例》要求，参照川办发〔2021〕16号。"), "x.txt")
        assert cited_titles(doc) == {NOTICE_NO: NOTICE_TITLE}  # 《条例》 is not next to 川办发〔2021〕16号


class TestStubBecomesTheDocument:
    def test_ingesting_the_cited_document_replaces_the_stub(self):
        docs = parsed((LESHAN, "leshan.txt"), (ZIGONG, "zigong.txt"), (NOTICE, "notice.txt"))
        g = graph_of(docs)
        node = g.nodes["doc:" + NOTICE_NO]
        assert (node["stub"], node["region"], node["year"]) == (False, "四川省", 2022)
        assert [n for n, a in g.nodes(data=True) if a["label"] == "Document" and a["stub"]] == []
        assert cites_edges(g) == sorted((d.doc_id, "doc:" + NOTICE_NO) for d in docs[:2])

    def test_a_2022_notice_is_cited_not_answered_to(self):
        # the 2023 plans cite it inside an item: a reference, not a parent of the cycle
        docs = parsed((LESHAN, "leshan.txt"), (NOTICE, "notice.txt"))
        assert [(l.relation, l.parent) for l in document_parents(docs)] == [("CITES", "doc:" + NOTICE_NO)]


class TestStore:
    """On LadybugDB: `lineage citations` and `lineage links --relation CITES`, then a later build."""

    @pytest.fixture
    def corpus(self, tmp_path):
        folder = tmp_path / "docs"
        folder.mkdir()
        (folder / "leshan.txt").write_text(LESHAN, encoding="utf-8")
        (folder / "zigong.txt").write_text(ZIGONG, encoding="utf-8")
        return folder, str(tmp_path / "db" / "graph.lbdb")

    def test_citations_then_the_notice_arrives(self, corpus):
        folder, db = corpus
        run("build", str(folder), "--db", db)
        got = rows(run("citations", "--db", db, "--format", "csv").output)
        assert sorted(r["citing_doc"] for r in got) == ["乐山市2023年政务公开工作要点分工方案", "自贡市2023年政务公开重点任务分工方案"]
        assert {(r["cited_doc"], r["cited_title"], r["stub"]) for r in got} == {(NOTICE_NO, NOTICE_TITLE, "True")}
        # a DOC argument in another bracket form finds the same node
        assert len(rows(run("citations", "川办函(2022)89号", "--db", db, "--format", "csv").output)) == 2
        assert rows(run("citations", "自贡市2023年政务公开重点任务分工方案", "--db", db, "--format", "csv").output)[0]["cited_doc"] == NOTICE_NO

        links = rows(run("links", "--relation", "CITES", "--db", db, "--format", "csv").output)
        assert {(r["relation"], r["parent_doc"], r["child_seq"], r["parent_seq"], r["score"]) for r in links} == {("CITES", NOTICE_NO, "", "", "")}
        assert len({r["link_id"] for r in links}) == 2
        # the default listing stays the item links
        assert all(r["relation"] != "CITES" for r in rows(run("links", "--db", db, "--format", "csv").output))

        (folder / "notice.txt").write_text(NOTICE, encoding="utf-8")
        run("build", str(folder), "--db", db)
        after = rows(run("citations", "--db", db, "--format", "csv").output)
        assert {(r["cited_doc"], r["stub"], r["cited_region"], r["cited_year"]) for r in after} == {(NOTICE_NO, "False", "四川省", "2022")}
        # link ids depend on the two ends only: the same citations keep their ids
        assert sorted(r["link_id"] for r in after) == sorted(r["link_id"] for r in got)


@pytest.mark.parametrize("backend", ["ladybug", "neo4j"])
def test_citations_query_on_both_stores(backend, tmp_path):
    """queries/citations.cypher and links.cypher's CITES part, unchanged on each store."""
    from graph_fixtures import open_test_store

    from policy_lineage.queries.runner import run_query

    docs = parsed((LESHAN, "leshan.txt"), (ZIGONG, "zigong.txt"))
    with open_test_store(backend, tmp_path) as store:
        store.write(graph_of(docs))
        every = run_query(store, "citations")
        one = run_query(store, "citations", doc=docs[1].title)
        links = run_query(store, "links", relation="CITES")
        default = run_query(store, "links")
    assert sorted((r["citing_region"], r["cited_doc"], r["stub"], r["cited_title"]) for r in every) == [
        ("乐山市", NOTICE_NO, True, NOTICE_TITLE), ("自贡市", NOTICE_NO, True, NOTICE_TITLE),
    ]  # fmt: skip
    assert [r["citing_region"] for r in one] == ["自贡市"]
    assert sorted((r["child_region"], r["child_seq"], r["parent_seq"], r["score"], r["status"]) for r in links) == [
        ("乐山市", None, None, None, "auto"), ("自贡市", None, None, None, "auto"),
    ]  # fmt: skip
    assert all(r["relation"] != "CITES" for r in default)


def test_seeds_cite_one_notice_from_both_2023_plans():
    """川办函〔2022〕89号 is one node, cited by 眉山 2023 and 万源 2023 (both in an item)."""
    docs = [parse_file(p) for p in sorted(SEEDS.iterdir())]
    g = graph_of(docs)
    citing = sorted(g.nodes[u]["region"] for u, v in cites_edges(g) if v == "doc:" + NOTICE_NO)
    assert citing == ["万源市", "眉山市"]
    assert [n for n, a in g.nodes(data=True) if a["label"] == "Document" and a["stub"]] == ["doc:" + NOTICE_NO]
    assert g.nodes["doc:" + NOTICE_NO]["title"] == NOTICE_TITLE
