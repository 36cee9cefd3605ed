"""Regression tests for parser bugs found after the first release (issue 2), one class per bug.

Each test failed before its fix.  Expected values are read off the seed files (line numbers in
comments) or off the small texts written here, never off the parser's output.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policy_lineage.ingest.docno import find_doc_nos
from policy_lineage.ingest.parser import parse_file, parse_text

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
MEISHAN_ANNEX = SEEDS / "meishan-grassroots-annex1-task-division.txt"


class TestTableEndsBeforeTheNextBlock:
    """A line after a tab-cell table that starts a heading or another extraction is not a cell."""

    def test_seed_last_item_units(self):
        # lines 141-144: item 24's units cell is "天府新区眉山管委会、各县（区）人民政府"; line 145
        # " 附件 1   眉山市 深化政务公开…" starts the second extraction, without a blank line.
        doc = parse_file(MEISHAN_ANNEX)
        last = doc.items[-1]
        assert last.seq == 24
        assert [u.name for u in last.units] == ["天府新区眉山管委会", "各县（区）人民政府"]
        assert all("附件" not in u.name and "分工" not in u.name for it in doc.items for u in it.units)

    TABLE = (
        "某某县2022年政务公开重点任务分工\n"
        "\t序号\n\t重点任务\n\t完成时限\n\t责任单位\n\n"
        "\t1\n\t公开县政府常务会议议题和决定事项。\n\t长期坚持\n\t县政府办公室\n\n"
        "\t2\n\t公开本级部门预决算和“三公”经费。\n\t2022年9月底前\n\t县财政局、\n县审计局\n"
        "{after}\n"
        "说明：本表由县政府办公室负责解释。\n"
    )

    @pytest.mark.parametrize(
        "after",
        ["附件2 某某县政务公开示范点名单", "梓潼县2022年政务公开工作要点", "序号  重点任务  完成时限  责任单位", "- 3 -"],
    )
    def test_heading_after_table_is_not_glued(self, after):
        doc = parse_text(self.TABLE.replace("某某县", "梓潼县").format(after=after), "zitong.txt")
        assert [it.seq for it in doc.items] == [1, 2]
        # the cell's own second line (县审计局) still belongs to it
        assert [u.name for u in doc.items[1].units] == ["梓潼县财政局", "梓潼县审计局"]


def write_portal_page(path: Path, body: str, block: dict[str, str]) -> None:
    rows = "".join(f"<tr><th>{k}：</th><td>{v}</td></tr>" for k, v in block.items())
    path.write_text(
        "<!DOCTYPE html><html><head><title>政务公开</title></head><body>"
        "<div class='nav'><a href='/'>首页</a> &gt; <a href='/zwgk'>政务公开</a></div>"
        f"<table class='xxgk'>{rows}</table>"
        f"<div class='article-content'>{body}</div>"
        "<div class='footer'>主办：某市人民政府办公室 访问量：12345</div>"
        "</body></html>",
        encoding="utf-8",
    )


class TestPortalIssueDate:
    BODY = (
        "<h1>2022年全县政务公开工作要点</h1>"
        "<p>一、推进决策公开</p>"
        "<p>（一）公开重大行政决策事项目录。（牵头单位：县司法局）</p>"
        "<p>（二）做好政策解读。（牵头单位：县政府办公室）</p>"
        "<p>（三）办好政府开放日活动。（牵头单位：县政府办公室）</p>"
    )

    def test_date_from_the_block_when_the_body_has_none(self, tmp_path):
        page = tmp_path / "page.html"
        write_portal_page(page, self.BODY, {
            "索引号": "11511025MB1526/2022-00031", "发布机构": "资中县人民政府办公室",
            "文号": "资府办发〔2022〕9号", "成文日期": "2022年04月18日",
        })
        doc = parse_file(page)
        assert (doc.date, doc.doc_no, doc.issuer) == ("2022-04-18", "资府办发〔2022〕9号", "资中县人民政府办公室")
        assert doc.region_path == ["四川省", "内江市", "资中县"] and doc.level == "county"
        assert doc.metadata_origin["date"] == "container"
        assert doc.year == 2022 and doc.title == "2022年全县政务公开工作要点"

    def test_iso_date_in_the_block(self, tmp_path):
        page = tmp_path / "page.html"
        write_portal_page(page, self.BODY, {"索引号": "x/2022-1", "发布机构": "资中县人民政府办公室", "成文日期": "2022-4-8"})
        assert parse_file(page).date == "2022-04-08"


NATIONAL = """国务院办公厅关于印发2023年政务公开工作要点的通知
国办发〔2023〕10号

各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
《2023年政务公开工作要点》已经国务院同意，现印发给你们，请认真贯彻落实。

国务院办公厅
2023年4月3日

2023年政务公开工作要点

一、围绕稳经济促发展加强政策发布解读
（一）做好经济政策发布解读。国家发展改革委、财政部等部门要及时发布宏观政策。
（二）加强就业政策公开。人力资源社会保障部要做好稳就业政策宣传。
（三）推进财政信息公开。财政部要指导地方做好预决算公开。
"""


class TestNationalIssuer:
    def test_state_council_office_is_national(self):
        doc = parse_text(NATIONAL, "guobanfa-2023-10.txt")
        assert doc.issuer == "国务院办公厅"
        assert (doc.level, doc.region, doc.region_path) == ("national", "全国", [])
        assert (doc.doc_no, doc.date, doc.year) == ("国办发〔2023〕10号", "2023-04-03", 2023)
        assert [it.seq for it in doc.items] == [1, 2, 3]

    def test_signature_alone_names_the_state_council(self):
        text = NATIONAL.split("\n\n", 2)[2].replace("国务院办公厅\n2023年4月3日", "国务院\n2023年4月3日")
        doc = parse_text(text, "guofa.txt")
        assert (doc.issuer, doc.level) == ("国务院", "national")


PREAMBLE_CITES = """绵竹市2021年政务公开重点任务分工方案

根据《四川省人民政府办公厅关于印发2021年全省政务公开重点工作安排的通知》（川办发〔2021〕16号）要求，结合我市实际，制定本方案。

一、深化基层政务公开
（一）调整完善政务公开事项标准目录。〔牵头单位：市政府办公室；责任单位：各镇（街道）〕
（二）规范政务公开工作流程。〔牵头单位：市政府办公室；责任单位：市级各部门〕
（三）扩大行政决策公众参与。〔牵头单位：市司法局；责任单位：市级各部门〕

绵竹市人民政府办公室
2021年5月10日
"""


class TestCitedDocNoIsNotOwn:
    def test_preamble_citation(self):
        doc = parse_text(PREAMBLE_CITES, "mianzhu-2021.txt")
        assert doc.doc_no is None
        assert doc.cites == ["川办发〔2021〕16号"]
        assert (doc.issuer, doc.date, doc.level) == ("绵竹市人民政府办公室", "2021-05-10", "county")

    def test_own_number_alone_on_its_line_still_read(self):
        text = PREAMBLE_CITES.replace("绵竹市2021年政务公开重点任务分工方案\n", "绵竹市2021年政务公开重点任务分工方案\n竹府办发〔2021〕22号\n")
        doc = parse_text(text, "mianzhu-2021.txt")
        assert doc.doc_no == "竹府办发〔2021〕22号"
        assert doc.cites == ["川办发〔2021〕16号"]

    def test_own_number_beside_the_signature(self):
        text = PREAMBLE_CITES.replace("2021年5月10日\n", "2021年5月10日\n（竹府办发〔2021〕22号）\n")
        assert parse_text(text, "mianzhu-2021.txt").doc_no == "竹府办发〔2021〕22号"


class TestRegionNamesWithFunctionWords:
    @pytest.mark.parametrize(
        "text, expected",
        [
            ("仁和府办函〔2023〕1号", ["仁和府办函〔2023〕1号"]),
            ("根据仁和府办函［2023］1号", ["仁和府办函〔2023〕1号"]),
            ("和平府办发〔2022〕3号", ["和平府办发〔2022〕3号"]),
            # a real conjunction still goes
            ("川办函〔2022〕89号和川办发〔2021〕16号", ["川办函〔2022〕89号", "川办发〔2021〕16号"]),
            ("以及遂府办发〔2022〕3号", ["遂府办发〔2022〕3号"]),
        ],
    )
    def test_prefix_kept(self, text, expected):
        assert find_doc_nos(text) == expected

    def test_document_number(self):
        text = PREAMBLE_CITES.replace("绵竹市", "攀枝花市仁和区").replace("我市", "我区").replace("市政府", "区政府")
        text = text.replace("方案\n", "方案\n仁和府办函〔2021〕8号\n", 1)
        doc = parse_text(text, "renhe-2021.txt")
        assert doc.doc_no == "仁和府办函〔2021〕8号"
        assert doc.region_path == ["四川省", "攀枝花市", "仁和区"]
        assert [u.name for u in doc.items[0].lead_units] == ["仁和区政府办公室"]
