"""Documents of the genre written for these tests, in shapes the seeds do not have.

Each text below was written by hand the way such documents are published (other column names,
1. 2. numbering, a forwarding notice, a flattened table with other headers and page furniture);
the expected values are read off the text written here, not off the parser.
"""

from __future__ import annotations

import re

import pytest

from policy_lineage.ingest.parser import parse_text

# 1. A county table exported from Word: other column names (编号 / 工作内容 / 主责单位 / 配合单位 /
#    完成时限), a merged deadline cell spanning two rows, group rows as section headings.
COUNTY_TABLE = """三台县2022年政务公开重点工作任务清单

\t编号\t工作内容\t主责单位\t配合单位\t完成时限
\t一、推进决策公开
\t1\t制定并公布县政府重大行政决策事项目录，及时公开决策草案和解读材料。\t县政府办公室\t县司法局\t2022年6月底前
\t2\t县政府常务会议审议涉及群众切身利益的事项，邀请利益相关方列席。\t县政府办公室\t各乡镇人民政府\t长期坚持
\t二、推进财政信息公开
\t3\t在县政府门户网站集中公开本级部门预决算，做好“三公”经费说明。\t县财政局\t县级各部门\t2022年9月30日前
\t4\t公开县级专项资金管理办法和分配结果，接受社会监督。\t县财政局\t县级有关部门\t
\t5\t按季度公开政府债务限额、余额等信息。\t县财政局\t\t每季度
\t三、加强平台建设
\t6\t完成县政府网站IPv6改造，优化信息公开专栏检索功能。\t县大数据中心\t县政府办公室\t2022年底前

三台县人民政府办公室
2022年3月15日
"""

# 2. A city plan in prose with 1. 2. numbering, a 关于印发 notice header and （牵头单位：…）tails.
CITY_PROSE = """乐山市人民政府办公室
关于印发《乐山市2022年政务公开工作要点》的通知
乐府办发〔2022〕7号

各区、县（市）人民政府，市级各部门：
现将《乐山市2022年政务公开工作要点》印发给你们，请认真贯彻执行。

乐山市人民政府办公室
2022年4月8日

乐山市2022年政务公开工作要点

为贯彻落实川办发〔2022〕12号文件精神，现提出以下工作要点。

一、深化决策公开
1.规范重大行政决策公开。市政府重大行政决策事项在决策前向社会公开征求意见，期限不少于30日。（牵头单位：市司法局；责任单位：市级各部门）
2.加强政策解读。以市政府名义印发的政策性文件，解读形式不少于3种，2022年6月底前建立解读台账。（牵头单位：市政府办公室；责任单位：各区、县（市）人民政府）
二、强化平台建设
3.加强政府网站建设。推进政府网站集约化，2022年底前完成适老化改造。（牵头单位：市大数据中心）
4.规范政务新媒体。开展政务新媒体季度抽查，抽查比例不低于25%。（牵头单位：市政府办公室；责任单位：市级各部门）
"""

# 3. A PDF table flattened cell by cell with other headers (no group column), the header repeated
#    after a page number.
FLAT_TABLE = """巴中市恩阳区2023年政务公开重点任务分解表

序号 工作任务 具体措施 责任单位 完成时限

1

推进决
策公开

区政府常务会议审议的重要事项，会后及时向

社会公开，邀请群众代表列席会议。

区政府办
公室

2023年6
月底前

2

强化政
策解读

以区政府名义印发的政策文件同步发布解读材

料，解读形式不少于3种。

区司法局、
区政府办
公室

长期坚持

- 1 -

序号 工作任务 具体措施 责任单位 完成时限

3

优化依
申请公
开

规范依申请公开办理流程，按时答复申请人。

区政府办
公室

及时办理
"""


@pytest.fixture(scope="module")
def county():
    return parse_text(COUNTY_TABLE, "santai-2022.txt")


@pytest.fixture(scope="module")
def city():
    return parse_text(CITY_PROSE, "leshan-2022.txt")


@pytest.fixture(scope="module")
def flat():
    return parse_text(FLAT_TABLE, "enyang-2023.txt")


class TestCountyTableWithOtherColumns:
    def test_items_and_sections(self, county):
        assert [it.seq for it in county.items] == [1, 2, 3, 4, 5, 6]
        assert county.items[0].section == ["推进决策公开"]
        assert county.items[5].section == ["加强平台建设"]

    def test_units_by_column(self, county):
        first = county.items[0]
        assert [u.name for u in first.lead_units] == ["三台县政府办公室"]
        assert [u.name for u in first.units] == ["三台县司法局"]
        assert [u.original for u in first.units] == ["县司法局"]
        assert county.items[1].units[0].collective

    def test_deadlines(self, county):
        assert county.items[0].deadline.date == "2022-06-30"
        assert county.items[1].deadline.kind == "ongoing"
        assert county.items[2].deadline.date == "2022-09-30"
        assert county.items[4].deadline.kind == "periodic"
        assert county.items[5].deadline.date == "2022-12-31"

    def test_metadata(self, county):
        assert county.issuer == "三台县人民政府办公室"
        assert county.region_path == ["四川省", "绵阳市", "三台县"]
        assert county.level == "county"
        assert (county.date, county.year) == ("2022-03-15", 2022)


class TestCityProseWithArabicNumbers:
    def test_items(self, city):
        assert [it.seq for it in city.items] == [1, 2, 3, 4]
        assert city.items[0].section == ["深化决策公开"]
        assert city.items[0].title == "规范重大行政决策公开"
        assert not re.search("牵头单位|责任单位", city.items[1].text)

    def test_roles_from_tail(self, city):
        second = city.items[1]
        assert [u.name for u in second.lead_units] == ["乐山市政府办公室"]
        assert [u.name for u in second.units] == ["各区、县（市）人民政府"]
        assert second.units[0].collective
        assert [u.name for u in city.items[2].lead_units] == ["乐山市大数据中心"]

    def test_metadata_and_citation(self, city):
        assert city.doc_no == "乐府办发〔2022〕7号"
        assert city.issuer == "乐山市人民政府办公室"
        assert city.title == "乐山市2022年政务公开工作要点"
        assert (city.date, city.year, city.level) == ("2022-04-08", 2022, "city")
        assert "川办发〔2022〕12号" in city.cites

    def test_deadlines_in_prose(self, city):
        assert city.items[1].deadline.date == "2022-06-30"
        assert city.items[2].deadline.date == "2022-12-31"


class TestFlattenedTableWithOtherHeaders:
    def test_rows_rebuilt_across_pages(self, flat):
        assert [it.seq for it in flat.items] == [1, 2, 3]
        assert flat.items[0].text.endswith("邀请群众代表列席会议。")
        assert "- 1 -" not in flat.items[1].text and "序号" not in flat.items[2].text

    def test_units_and_deadlines(self, flat):
        assert [u.name for u in flat.items[1].units] == ["恩阳区司法局", "恩阳区政府办公室"]
        assert flat.items[0].deadline.date == "2023-06-30"
        assert flat.items[2].deadline.kind == "timely"
        assert flat.region_path == ["四川省", "巴中市", "恩阳区"]
