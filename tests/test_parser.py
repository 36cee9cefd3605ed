"""The parser on the five seed documents, against facts checked by hand in the texts.

Every expected value below was read off the seed file (line numbers in comments), not off the
parser's output.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policy_lineage.errors import ParseError
from policy_lineage.ingest.parser import parse_file, parse_text

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
PROVINCE = SEEDS / "sichuan-2021-chuanbanfa-16-province.txt"
ANJU = SEEDS / "suining-anju-2021-task-division.md"
MEISHAN_ANNEX = SEEDS / "meishan-grassroots-annex1-task-division.txt"
MEISHAN_2023 = SEEDS / "meishan-2023-task-breakdown.txt"
WANYUAN = SEEDS / "wanyuan-2023-key-points-division.txt"


@pytest.fixture(scope="module")
def docs():
    return {p.name: parse_file(p) for p in (PROVINCE, ANJU, MEISHAN_ANNEX, MEISHAN_2023, WANYUAN)}


def item(doc, seq):
    return next(it for it in doc.items if it.seq == seq)


# furniture that must never be inside an item's text
LEAKS = re.compile(r"—\s*\d+\s*—|-\s*\d+\s*-|序\s*号|任务名称|具体内容|完成时限|责任单位:|牵头单位|\n")


@pytest.mark.parametrize(
    "path, count",
    [(PROVINCE, 22), (ANJU, 19), (MEISHAN_ANNEX, 24), (MEISHAN_2023, 57), (WANYUAN, 50)],
)
def test_item_counts_and_order(docs, path, count):
    doc = docs[path.name]
    assert [it.seq for it in doc.items] == list(range(1, count + 1))


@pytest.mark.parametrize("path", [PROVINCE, ANJU, MEISHAN_ANNEX, MEISHAN_2023, WANYUAN])
def test_item_text_is_clean(docs, path):
    for it in docs[path.name].items:
        assert it.text and not LEAKS.search(it.text), (it.seq, it.text)
        assert not re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", it.text), (it.seq, it.text)
        assert it.source and it.source.line > 0


@pytest.mark.parametrize(
    "path, doc_no, issuer, region_path, level, date, year",
    [
        (PROVINCE, "川办发〔2021〕16号", "四川省人民政府办公厅", ["四川省"], "province", "2021-03-30", 2021),
        (ANJU, None, "遂宁市安居区人民政府办公室", ["四川省", "遂宁市", "安居区"], "county", "2021-05-26", 2021),
        (MEISHAN_ANNEX, None, None, ["四川省", "眉山市"], "city", None, 2021),
        (MEISHAN_2023, "眉府办函〔2023〕19号", "眉山市人民政府办公室", ["四川省", "眉山市"], "city", "2023-05-23", 2023),
        (WANYUAN, None, "万源市人民政府办公室", ["四川省", "达州市", "万源市"], "county", "2023-06-16", 2023),
    ],
)
def test_metadata_read_from_text(docs, path, doc_no, issuer, region_path, level, date, year):
    doc = docs[path.name]
    assert (doc.doc_no, doc.issuer, doc.region_path, doc.level, doc.date, doc.year) == (
        doc_no, issuer, region_path, level, date, year,
    )


def test_titles(docs):
    assert docs[PROVINCE.name].title == "2021年全省政务公开重点工作安排"
    assert docs[ANJU.name].title == "2021年全区政务公开重点任务分工方案"
    assert docs[MEISHAN_ANNEX.name].title == "眉山市深化政务公开促进基层政府治理能力提升重点任务分工"
    assert docs[MEISHAN_2023.name].title == "2023年眉山市政务公开重点任务分解表"
    assert docs[WANYUAN.name].title == "2023年全市政务公开工作要点分工表"


def test_year_inferred_from_deadlines_is_marked(docs):
    # 眉山 附件1 states no date: its year comes from its deadlines (2021年底前 …) and says so.
    assert docs[MEISHAN_ANNEX.name].metadata_origin["year"] == "inferred:deadlines"
    assert docs[PROVINCE.name].metadata_origin["year"].startswith("text")


class TestProse:
    def test_sections_and_titles(self, docs):
        doc = docs[PROVINCE.name]
        assert item(doc, 1).section == ["深化新时代基层政务公开"]  # line 35
        assert item(doc, 22).section == ["夯实工作基础"]  # line 289
        assert item(doc, 18).title == "加强建设维护"  # line 266
        assert item(doc, 18).text.endswith("县级以上政府门户网站全部支持互联网协议第六版(IPv6)。")  # 273-275

    def test_page_break_inside_item_is_repaired(self, docs):
        # (二) runs over a page break at line 57/58 (" 方标准," starts the new page).
        assert "遵照9项省级政务公开地方标准,优化工作流程" in item(docs[PROVINCE.name], 2).text

    def test_annex_assigns_units_by_number(self, docs):
        doc = docs[PROVINCE.name]
        names = [u.name for u in item(doc, 8).units]  # annex line 367-369
        assert "四川省财政厅" in names
        assert any(u.collective for u in item(doc, 8).units)
        assert [u.name for u in item(doc, 2).units] == ["各市（州）、县（市、区）人民政府"] or all(
            u.collective for u in item(doc, 2).units
        )

    def test_assignment_tail_roles_and_relative_names(self, docs):
        doc = docs[ANJU.name]
        first = item(doc, 1)  # line 15: 〔牵头单位:区委编办、区行政审批局、区司法局;责任单位:…
        assert [u.name for u in first.lead_units] == ["安居区委编办", "安居区行政审批局", "安居区司法局"]
        assert [u.original for u in first.lead_units] == ["区委编办", "区行政审批局", "区司法局"]
        assert all(u.role == "lead" for u in first.lead_units)
        assert first.units and all(u.collective for u in first.units)
        assert "牵头单位" not in first.text and first.text.endswith("实现政务过程和结果全公开。")

    def test_deadlines_inside_prose(self, docs):
        # (二) line 17: "2021年6月30日在…设立…" and "11月30日前完成…": the item ends on 2021-11-30.
        d = item(docs[ANJU.name], 2).deadline
        assert d is not None and d.date == "2021-11-30" and d.kind == "date"

    def test_standard_and_annex_targets(self, docs):
        doc = docs[ANJU.name]
        assert item(doc, 18).standards == ["DB51/T 2658-2019"]  # line 64
        (annex,) = doc.annexes
        counts = {r["单位"]: r["目标任务条数"] for r in annex.rows if "单位" in r}
        assert len(counts) == 49 and counts["政府办公室"] == "280" and counts["经济合作局"] == "230"
        assert {"total": "11110"} in annex.rows


class TestTables:
    def test_merged_cells_apply_to_each_item(self, docs):
        doc = docs[MEISHAN_ANNEX.name]
        six, seven = item(doc, 6), item(doc, 7)  # line 48-51: item 7 has empty 工作进度 and 责任单位
        assert seven.deadline.date == six.deadline.date == "2021-09-30"
        assert [u.name for u in seven.units] == [u.name for u in six.units]

    def test_guide_role(self, docs):
        units = item(docs[MEISHAN_ANNEX.name], 4).units  # line 30: 市政务服务管理局加强指导
        guide = [u for u in units if u.role == "guide"]
        assert [u.name for u in guide] == ["眉山市政务服务管理局"]

    def test_second_extraction_is_not_duplicated(self, docs):
        doc = docs[MEISHAN_ANNEX.name]
        assert len({it.text for it in doc.items}) == 24
        assert item(doc, 2).deadline.date == "2021-12-31"

    def test_group_cells_form_the_section_path(self, docs):
        doc = docs[WANYUAN.name]
        assert item(doc, 1).section == ["加大主动公开力度", "切实推进“四大战略”信息公开"]  # lines 9-11
        assert item(doc, 50).section == ["夯实工作基础", "加强工作宣传"]  # lines 333-357
        assert item(doc, 50).deadline.date == "2023-12-31"  # 12月31日, year from the document

    def test_continuation_row_after_broken_row(self, docs):
        # line 303-304: a row whose 序号 cell lost its tab and has a blank line inside.
        it = next(i for i in docs[WANYUAN.name].items if i.text.startswith("全面梳理法律、法规、规章"))
        assert it.section == ["夯实工作基础", "强化保密和安全管理"]
        assert it.deadline.kind == "ongoing"


class TestFlattenedPdfTable:
    def test_rows_rebuilt(self, docs):
        doc = docs[MEISHAN_2023.name]
        four = item(doc, 4)  # line 62-64: content and units share a line
        assert four.text == "深入推进面向高校毕业生、残疾人、退役军人、零就业家庭等群体的就业帮扶政策公开。"
        assert four.section == ["积极深化主动公开", "推进民生保障信息公开"]
        assert "眉山市人力资源社会保障局" in [u.name for u in four.units]

    def test_glued_row_numbers_and_deadlines(self, docs):
        doc = docs[MEISHAN_2023.name]
        assert item(doc, 13).text.startswith("凡审计机关对外公告")  # "2023年底13" at line 227
        assert item(doc, 50).text.startswith("严格执行公开前审查程序")  # "（区）人民政府 2023年底50"
        assert item(doc, 15).deadline.date == "2023-08-31"  # "2023年 8" / "月底", lines 269-270

    def test_merged_units_and_own_units(self, docs):
        doc = docs[MEISHAN_2023.name]
        assert [u.name for u in item(doc, 5).units] == [u.name for u in item(doc, 4).units]
        assert [u.name for u in item(doc, 51).units] == ["各级保密行政管理部门"]
        assert {u.name for u in item(doc, 39).units} == {"仁寿县人民政府", "东坡区人民政府", "青神县人民政府"} or any(
            "仁寿县" in u.name for u in item(doc, 39).units
        )

    def test_citation(self, docs):
        assert "川办函〔2022〕89号" in item(docs[MEISHAN_2023.name], 44).cites
        assert "川办函〔2022〕89号" in docs[WANYUAN.name].cites
        assert "川办函〔2022〕89号" in docs[MEISHAN_2023.name].cites


class TestBadInput:
    def test_empty(self):
        with pytest.raises(ParseError, match="empty"):
            parse_text("  \n\n", "blank.txt")

    def test_no_items(self):
        with pytest.raises(ParseError, match="^note.txt: no task items"):
            parse_text("这是一段普通的文字，没有任何编号的任务。\n第二段。", "note.txt")

    def test_truncated_table(self):
        text = MEISHAN_ANNEX.read_text(encoding="utf-8").split("\n")
        cut = "\n".join(text[:27])  # stops after 序号 3's task cell
        with pytest.raises(ParseError, match="truncated"):
            parse_text(cut, "cut.txt")
