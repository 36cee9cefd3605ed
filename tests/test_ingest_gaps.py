"""Known gaps of the parser on real documents (issue 2 follow-up), one class per gap.

Each test failed before its fix.  Expected values are read off the seed files or off the small
texts written here by hand, never off the parser's output.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from policy_lineage.ingest.parser import parse_text

sys.path.insert(0, str(Path(__file__).resolve().parent))

from test_new_shapes import FLAT_TABLE  # noqa: E402  (a flattened table written by hand; row 3 ends 及时办理)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
ANJU = SEEDS / "suining-anju-2021-task-division.md"


class TestNumberingGaps:
    """A plan that skips or repeats a number keeps every item after it."""

    def test_seed_with_item_two_deleted(self):
        # the seed's line 17 is the whole of item (二); without it the other 18 duties remain,
        # printed (一), (三) … (十九), under the six headings 一、… 六、
        text = ANJU.read_text(encoding="utf-8")
        lines = text.split("\n")
        assert lines[16].startswith("- (二)不断规范工作流程和平台")
        doc = parse_text("\n".join(lines[:16] + lines[17:]), "anju-without-2.md")
        assert [it.seq for it in doc.items] == [1] + list(range(3, 20))
        assert doc.items[1].text.startswith("扩大基层行政决策群众参与度")
        assert doc.items[-1].section == ["夯实工作基础"]
        assert not any(it.text.startswith(("深化新时代基层政务公开", "夯实工作基础")) for it in doc.items)

    def test_seed_with_a_number_repeated_by_a_typo(self):
        # (十二) printed as a second (十一): 19 duties still, the typo's label kept as printed
        text = ANJU.read_text(encoding="utf-8").replace("(十二)规范完善政府政策信息资源", "(十一)规范完善政府政策信息资源")
        doc = parse_text(text, "anju-typo.md")
        assert len(doc.items) == 19
        typo = next(it for it in doc.items if it.text.startswith("规范完善政府政策信息资源"))
        assert typo.label == "(十一)" and typo.seq == 12
        assert [it.seq for it in doc.items] == list(range(1, 20))

    PROSE = (
        "某某县2022年政务公开工作要点\n\n"
        "一、深化决策公开\n"
        "1.公开重大行政决策事项目录。（牵头单位：县司法局）\n"
        "2.加强政策解读，解读材料与文件同步发布。（牵头单位：县政府办公室）\n"
        "二、强化平台建设\n"
        "4.推进政府网站集约化，完成适老化改造。（牵头单位：县大数据中心）\n"
        "5.开展政务新媒体季度抽查，于每年\n"
        "7、8月开展集中检查。（牵头单位：县政府办公室）\n"
    )

    def test_skipped_number_kept_as_printed_and_stray_number_stays_text(self):
        # item 3 is missing from the print; "7、8月…" is the wrap of item 5's sentence
        doc = parse_text(self.PROSE, "skip.txt")
        assert [it.seq for it in doc.items] == [1, 2, 4, 5]
        assert [it.section for it in doc.items] == [["深化决策公开"]] * 2 + [["强化平台建设"]] * 2
        assert doc.items[-1].text == "开展政务新媒体季度抽查，于每年7、8月开展集中检查。"

    TABLE = (
        "某某县2022年政务公开重点任务清单\n\n"
        "\t序号\t工作内容\t责任单位\t完成时限\n"
        "\t1\t公开县政府常务会议议题和决定事项。\t县政府办公室\t长期坚持\n"
        "\t2\t公开本级部门预决算和“三公”经费。\t县财政局\t2022年9月底前\n"
        "\t2\t公开政府债务限额、余额等信息。\t县财政局\t每季度\n"
        "\t4\t完成县政府网站IPv6改造。\t县大数据中心\t2022年底前\n"
        "\t5\t开展政务新媒体季度抽查。\t县政府办公室\t每季度\n"
    )

    def test_table_row_number_repeated(self):
        # the third row's 序号 repeats 2 (a typo for the missing 3): printed labels kept,
        # every row its own number
        doc = parse_text(self.TABLE, "table.txt")
        assert [(it.seq, it.label) for it in doc.items] == [(1, "1"), (2, "2"), (3, "2"), (4, "4"), (5, "5")]


class TestSignatureAfterTheLastItem:
    """The issuer and date printed right under the last item, no blank line between, are
    metadata, not part of the last item's text, units or deadline."""

    SIGNATURES = [
        "三台县人民政府办公室  2022年3月15日",
        "三台县人民政府办公室 2022年3月15日",
        "中共三台县委办公室  三台县人民政府办公室\n2022年3月15日",
        "三台县人民政府办公室\n二〇二二年三月十五日",
    ]
    PROSE = (
        "三台县2022年政务公开工作要点\n\n一、深化决策公开\n"
        "（一）公开重大行政决策事项目录。（牵头单位：县司法局）\n"
        "（二）加强政策解读。（牵头单位：县政府办公室）\n"
        "（三）推进政府网站集约化，提升\n服务水平。（牵头单位：县大数据中心）\n{tail}\n"
    )
    TAB_CELLS = (
        "三台县2022年政务公开重点任务清单\n\n\t序号\n\t工作内容\n\t责任单位\n\t完成时限\n\n"
        "\t1\n\t公开县政府常务会议议题和决定事项。\n\t县政府办公室\n\t长期坚持\n\n"
        "\t2\n\t公开本级部门预决算。\n\t县财政局\n\t2022年9月底前\n\n"
        "\t3\n\t公开政府债务信息。\n\t县财政局、\n县审计局\n\t每季度\n{tail}\n"
    )

    @pytest.mark.parametrize("tail", SIGNATURES + ["2022年3月15日"])
    def test_prose(self, tail):
        doc = parse_text(self.PROSE.format(tail=tail), "prose.txt")
        assert doc.items[-1].text == "推进政府网站集约化，提升服务水平。"
        assert [u.name for u in doc.items[-1].lead_units] == ["三台县大数据中心"]
        assert doc.date == "2022-03-15"

    @pytest.mark.parametrize("tail", SIGNATURES + ["2022年3月15日"])
    def test_tab_cells(self, tail):
        doc = parse_text(self.TAB_CELLS.format(tail=tail), "table.txt")
        last = doc.items[-1]
        assert (last.seq, last.text, last.deadline.text) == (3, "公开政府债务信息。", "每季度")
        assert [u.name for u in last.units] == ["三台县财政局", "三台县审计局"]
        assert doc.date == "2022-03-15"

    def test_issuer_read_from_a_one_line_signature(self):
        doc = parse_text(self.PROSE.format(tail=self.SIGNATURES[0]), "prose.txt")
        assert (doc.issuer, doc.region, doc.level) == ("三台县人民政府办公室", "三台县", "county")

    @pytest.mark.parametrize("tail", ["巴中市恩阳区人民政府办公室  2023年3月20日", "2023年3月20日"])
    def test_flattened_table(self, tail):
        doc = parse_text(FLAT_TABLE.rstrip("\n") + "\n" + tail + "\n", "flat.txt")
        last = doc.items[-1]
        assert (last.seq, last.text, last.deadline.text) == (3, "规范依申请公开办理流程，按时答复申请人。", "及时办理")
        assert doc.date == "2023-03-20"


class TestCitedTitles:
    """The title a preamble gives a cited 文号 is kept for it (it titles the cited document's stub)."""

    PLAN = (
        "阆中市2023年政务公开重点任务分工方案\n\n"
        "根据《四川省人民政府办公厅关于创新完善机制加强全省政府系统\n政务新媒体管理的通知》（川办函〔2022〕89号）"
        "和《南充市2023年政务公开工作要点》（南府办函〔2023〕 12号）要求，结合我市实际，制定本方案。\n\n"
        "一、深化主动公开\n"
        "（一）公开重大行政决策事项目录。（牵头单位：市司法局）\n"
        "（二）加强政策解读，落实川办发〔2021〕16号要求。（牵头单位：市政府办公室）\n"
        "（三）推进政府网站集约化。（牵头单位：市大数据中心）\n"
    )
    TITLES = {
        "川办函〔2022〕89号": "四川省人民政府办公厅关于创新完善机制加强全省政府系统政务新媒体管理的通知",
        "南府办函〔2023〕12号": "南充市2023年政务公开工作要点",
    }

    def test_titles_per_cited_number(self):
        doc = parse_text(self.PLAN, "langzhong.txt")
        assert doc.cited_titles == self.TITLES  # 川办发〔2021〕16号 is cited with no title beside it
        assert set(doc.cites) == {*self.TITLES, "川办发〔2021〕16号"}

    def test_parse_json_has_the_key(self, tmp_path):
        import json

        from click.testing import CliRunner

        from policy_lineage.cli import cli

        path = tmp_path / "langzhong.txt"
        path.write_text(self.PLAN, encoding="utf-8")
        result = CliRunner().invoke(cli, ["parse", str(path), "--format", "json"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)["cited_titles"] == self.TITLES

    def test_stub_documents_take_the_title(self):
        from policy_lineage.graph.lineage import document_parents

        doc = parse_text(self.PLAN, "langzhong.txt")
        cites = {l.parent: l.title for l in document_parents([doc]) if l.relation == "CITES"}
        assert cites == {"doc:" + no: title for no, title in self.TITLES.items()} | {"doc:川办发〔2021〕16号": None}


class TestMunicipalities:
    """A municipality is province-level; its districts and counties, right under it, are county-level."""

    PLAN = (
        "重庆市渝中区人民政府办公室关于印发渝中区2023年政务公开工作要点的通知\n\n"
        "一、深化主动公开\n"
        "（一）公开重大行政决策事项目录。（牵头单位：区司法局）\n"
        "（二）加强政策解读。（牵头单位：区政府办公室）\n"
        "（三）推进政府网站集约化。（牵头单位：区大数据发展局）\n\n"
        "重庆市渝中区人民政府办公室\n2023年4月10日\n"
    )

    def test_district_of_a_municipality(self):
        doc = parse_text(self.PLAN, "yuzhong.txt")
        assert (doc.region, doc.level, doc.region_path) == ("渝中区", "county", ["重庆市", "渝中区"])
        assert [u.name for u in doc.items[0].lead_units] == ["渝中区司法局"]

    def test_the_municipality_itself(self):
        text = self.PLAN.replace("重庆市渝中区人民政府办公室", "重庆市人民政府办公厅").replace("渝中区2023年", "2023年全市")
        doc = parse_text(text, "chongqing.txt")
        assert (doc.region, doc.level, doc.region_path) == ("重庆市", "province", ["重庆市"])


class TestFlattenedPageNumbers:
    """A bare page number inside a flattened PDF table is not the next row's number."""

    # FLAT_TABLE (tests/test_new_shapes.py) prints "- 1 -" after row 2; here the page number is
    # bare, and rows cross the page break in the ways a PDF prints them
    ROW2_END = "长期坚持\n\n- 1 -\n\n序号 工作任务 具体措施 责任单位 完成时限\n\n3\n"

    def _rows(self, text):
        doc = parse_text(text, "flat.txt")
        return [(it.seq, it.section, it.text, it.deadline.text if it.deadline else None) for it in doc.items]

    EXPECTED = [
        (1, ["推进决策公开"], "区政府常务会议审议的重要事项，会后及时向社会公开，邀请群众代表列席会议。", "2023年6月底前"),
        (2, ["强化政策解读"], "以区政府名义印发的政策文件同步发布解读材料，解读形式不少于3种。", "长期坚持"),
        (3, ["优化依申请公开"], "规范依申请公开办理流程，按时答复申请人。", "及时办理"),
    ]

    def test_written_table_as_printed(self):
        assert FLAT_TABLE.count(self.ROW2_END) == 1
        assert self._rows(FLAT_TABLE) == self.EXPECTED

    def test_bare_page_number_before_the_repeated_header(self):
        # page 3 ends after row 2: "3" then the header, then row 3
        text = FLAT_TABLE.replace(self.ROW2_END, "长期坚持\n\n3\n\n序号 工作任务 具体措施 责任单位 完成时限\n\n3\n")
        assert self._rows(text) == self.EXPECTED

    def test_bare_page_number_before_the_next_row(self):
        # no header repeated: page number 3, then row 3's number
        text = FLAT_TABLE.replace(self.ROW2_END, "长期坚持\n\n3\n\n3\n")
        assert self._rows(text) == self.EXPECTED

    def test_page_break_inside_a_row(self):
        # row 2's content crosses the page: "…解读材" / 3 / header / "料，…" — the 3 is no row
        text = FLAT_TABLE.replace(self.ROW2_END, "长期坚持\n\n3\n").replace(
            "以区政府名义印发的政策文件同步发布解读材\n\n料，",
            "以区政府名义印发的政策文件同步发布解读材\n\n3\n\n序号 工作任务 具体措施 责任单位 完成时限\n\n料，",
        )
        assert self._rows(text) == self.EXPECTED

    def test_row_number_skipped(self):
        # row 2 deleted from the print: rows 1 and 3 remain, numbered as printed
        start = FLAT_TABLE.index("\n2\n")
        end = FLAT_TABLE.index(self.ROW2_END) + len("长期坚持\n")
        text = FLAT_TABLE[:start] + "\n" + FLAT_TABLE[end:]
        assert self._rows(text) == [self.EXPECTED[0], self.EXPECTED[2]]

    def test_row_number_repeated(self):
        # row 3 printed as a second 2 after row 2's deadline: a row of its own, labelled as printed
        text = FLAT_TABLE.replace(self.ROW2_END, "长期坚持\n\n2\n")
        doc = parse_text(text, "flat.txt")
        assert [(it.seq, it.label) for it in doc.items] == [(1, "1"), (2, "2"), (3, "2")]
        assert [r[1:] for r in self._rows(text)] == [r[1:] for r in self.EXPECTED]
