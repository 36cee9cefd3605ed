"""The report: page, workbook and plots from rows written by hand, and the ``report`` command.

The rows follow the contracts of DESIGN.md and the seeds: 安居区's plan dropped 川办发〔2021〕16号
(三) (a gap, per tests/gold/gaps.csv), carried (十八) without its IPv6 clause (partial), and carried
(一) as its own item 1 (covered); 眉山 附件1 has no counterpart of (五).  The browser test loads
:func:`sample` from this file, so both tests see the same rows.
"""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

import pytest

from policy_lineage.report import ReportData, render_html, write_report
from policy_lineage.report.data import GAP_COLUMNS, LINK_COLUMNS, derive_coverage
from policy_lineage.report.xlsx import SUMMARY_SHEET, XLSX_COLUMNS, write_xlsx

PROVINCE = "川办发〔2021〕16号"
ANJU = "2021年全区政务公开重点任务分工方案"
MEISHAN = "眉山市深化政务公开促进基层政府治理能力提升重点任务分工"
DONGPO = "东坡区政务公开重点任务分工"  # a made-up third level under 眉山, to draw three levels
IPV6 = "2021年底前，县级以上政府门户网站全部支持互联网协议第六版（IPv6）。"


def _gap(child_region, child_doc, seq, title, status, missing, best, score, responsible, deadline=None):
    row = dict(
        parent_region="四川省",
        parent_year=2021,
        parent_doc=PROVINCE,
        parent_seq=seq,
        parent_title=title,
        child_region=child_region,
        child_doc=child_doc,
        status=status,
        missing=missing,
        best_candidate_seq=best,
        best_score=score,
        responsible=responsible,
    )
    assert tuple(row) == GAP_COLUMNS
    return {**row, "deadline": deadline}


def _link(child_region, child_doc, child_seq, parent_region, parent_doc, parent_seq, score, level_year=2021):
    row = dict(
        link_id=f"L{child_seq}-{parent_seq}-{child_region}",
        child_region=child_region,
        child_year=level_year,
        child_doc=child_doc,
        child_seq=child_seq,
        parent_region=parent_region,
        parent_year=level_year,
        parent_doc=parent_doc,
        parent_seq=parent_seq,
        relation="IMPLEMENTS",
        score=score,
        status="auto",
        evidence="政务公开事项标准目录；行政权力清单",
    )
    assert tuple(row) == LINK_COLUMNS
    return row


def _item(region, level, doc, seq, label, title, text, units="", deadline=None):
    return {"region": region, "level": level, "doc": doc, "seq": seq, "label": label, "title": title, "text": text,
            "units": units, "deadline": deadline}


def sample() -> ReportData:
    """Hand-written rows: 安居区 gap (三), partial (十八) missing IPv6, covered (一); 眉山 gap (五)."""
    gaps = [
        _gap("安居区", ANJU, 3, "推进办事服务公开标准化", "gap", [], 2, 0.21,
             ["区行政审批局", "区政务服务中心"]),
        _gap("安居区", ANJU, 18, "加强建设维护", "partial", [IPV6], 15, 0.74,
             ["区政府办公室", "区电子政务管理中心"], deadline="2021年底前"),
        _gap("眉山市", MEISHAN, 5, "深化基层政务公开工作", "gap", "", None, None, "各县（区）人民政府"),
    ]
    edges = [
        _link("安居区", ANJU, 1, "四川省", PROVINCE, 1, 0.81),
        _link("安居区", ANJU, 15, "四川省", PROVINCE, 18, 0.74),
        _link("眉山市", MEISHAN, 5, "四川省", PROVINCE, 1, 0.55),
        _link("东坡区", DONGPO, 2, "眉山市", MEISHAN, 5, 0.66),
    ]
    items = {
        f"{PROVINCE}#1": _item("四川省", "province", PROVINCE, 1, "（一）", "调整完善政务公开事项标准目录",
                              "基层政府要编制发布本地行政权力清单、公共服务事项清单并动态调整。"),
        f"{PROVINCE}#3": _item("四川省", "province", PROVINCE, 3, "（三）", "推进办事服务公开标准化",
                              "全面梳理办事指南、流程、机构等服务事项。"),
        f"{PROVINCE}#18": _item("四川省", "province", PROVINCE, 18, "（十八）", "加强建设维护",
                               "推动省市集约化平台互联互通和协同联动。" + IPV6, deadline="2021年底前"),
        f"{ANJU}#1": _item("安居区", "county", ANJU, 1, "（一）", "调整完善政务公开事项标准目录",
                          "动态调整安居区行政权力清单、公共服务事项清单。", "区委编办、区行政审批局、区司法局"),
        f"{ANJU}#15": _item("安居区", "county", ANJU, 15, "（十五）", "加强建设维护",
                           "配合做好省市集约化平台互联互通和协同联动推动工作。", "区政府办公室、区电子政务管理中心"),
        f"{MEISHAN}#5": _item("眉山市", "city", MEISHAN, 5, "5", None, "编制发布本地行政权力清单。", "各县（区）人民政府"),
        f"{DONGPO}#2": _item("东坡区", "county", DONGPO, 2, "2", None, "编制发布东坡区行政权力清单。", "区司法局"),
    }
    return ReportData(summary={"documents": 4, "items": 120, "IMPLEMENTS": 4, "CARRIES": 9}, gaps=gaps, coverage=[], edges=edges, items=items)


# --------------------------------------------------------------------------- coverage from rows


def test_derived_coverage_matches_the_hand_rows():
    data = sample()
    cells = {(r["parent_seq"], r["child_region"]): r["status"] for r in derive_coverage(data.gaps, data.edges)}
    assert cells[(3, "安居区")] == "gap"
    assert cells[(18, "安居区")] == "partial"
    assert cells[(1, "安居区")] == "covered"
    assert cells[(5, "眉山市")] == "gap"
    assert cells[(1, "眉山市")] == "covered"
    # 眉山 has no row for (三): it answers to the province but has neither a link nor a gap row
    assert cells[(3, "眉山市")] == "no data"
    # 东坡区 answers to 眉山's plan, not to the province: no cell under the province's duties
    assert (1, "东坡区") not in cells


# --------------------------------------------------------------------------- HTML


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report")
    write_report(sample(), out, source="hand-written rows")
    return out


def _text(fragment: str) -> str:
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", fragment))


def test_writes_the_four_files(report_dir):
    names = sorted(p.name for p in report_dir.iterdir())
    assert names == ["coverage.png", "gaps.xlsx", "gaps_by_government.png", "index.html"]
    for png in ("coverage.png", "gaps_by_government.png"):
        assert (report_dir / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_page_is_self_contained(report_dir):
    page = (report_dir / "index.html").read_text(encoding="utf-8")
    # nothing that would make the browser fetch: no src=, no stylesheet links, no url(), no @import
    assert not re.search(r"""\bsrc\s*=|<link\b|url\(|@import""", page)
    assert "default-src 'none'" in page
    # the only hrefs are in-page anchors and the companion files
    hrefs = set(re.findall(r'href="([^"]+)"', page))
    assert hrefs == {"#summary", "#gaps", "#coverage", "#lineage", "#files", "gaps.xlsx", "coverage.png", "gaps_by_government.png"}
    assert '"Noto Sans CJK SC"' in page and '"WenQuanYi Zen Hei"' in page


def test_gap_table_per_government(report_dir):
    page = (report_dir / "index.html").read_text(encoding="utf-8")
    blocks = re.findall(r'<div class="gov-block" data-region="([^"]+)">(.*?)</table></div>', page, re.S)
    assert [name for name, _ in blocks] == ["安居区", "眉山市"]
    anju = dict(blocks)["安居区"]
    rows = re.findall(r'<tr class="gap-row[^"]*"(.*?)</tr>', anju, re.S)
    assert len(rows) == 2
    dropped, partial = (_text(r) for r in rows)
    assert 'data-status="gap"' in rows[0] and "推进办事服务公开标准化" in dropped and "整项未承接" in dropped
    assert "区行政审批局" in dropped and "区政务服务中心" in dropped
    assert 'data-units="区行政审批局|区政务服务中心"' in rows[0]
    assert 'data-status="partial"' in rows[1] and "IPv6" in partial and "2021年底前" in partial
    assert "第15项" in partial and "0.74" in partial
    meishan = _text(dict(blocks)["眉山市"])
    assert "各县（区）人民政府" in meishan


def test_filters_list_governments_statuses_and_units(report_dir):
    page = (report_dir / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'data-region="([^"]*)" aria-pressed', page) == ["", "安居区", "眉山市"]
    assert re.findall(r'data-status="([^"]*)" aria-pressed', page) == ["gap", "partial"]
    units = re.findall(r'<option value="([^"]+)">', page.split('id="filter-unit"')[1].split("</select>")[0])
    assert sorted(units) == sorted(["区行政审批局", "区政务服务中心", "区政府办公室", "区电子政务管理中心", "各县（区）人民政府"])
    assert 'id="search"' in page


def test_heatmap_cells(report_dir):
    page = (report_dir / "index.html").read_text(encoding="utf-8")
    heat = page.split('<table class="heat">')[1].split("</table>")[0]
    row3 = re.search(rf'<tr data-duty="{re.escape(PROVINCE)}#3">(.*?)</tr>', heat).group(1)
    assert re.findall(r'data-region="([^"]+)" data-status="([^"]+)"', row3) == [("安居区", "gap"), ("眉山市", "no data"), ("东坡区", "no data")]
    row1 = re.search(rf'<tr data-duty="{re.escape(PROVINCE)}#1">(.*?)</tr>', heat).group(1)
    assert re.findall(r'data-status="([^"]+)"', row1) == ["covered", "covered", "no data"]
    row5 = re.search(rf'<tr data-duty="{re.escape(MEISHAN)}#5">(.*?)</tr>', heat).group(1)
    assert re.findall(r'data-status="([^"]+)"', row5) == ["no data", "no data", "covered"]


def test_duty_select_starts_on_a_duty_with_a_gap(report_dir):
    page = (report_dir / "index.html").read_text(encoding="utf-8")
    select = page.split('id="duty-select">')[1].split("</select>")[0]
    assert re.search(r'<option value="([^"]+)" selected>', select).group(1) == f"{PROVINCE}#3"
    # 眉山's own duty (5) is traceable too, under its own document
    assert f'<optgroup label="{MEISHAN}">' in select


def test_script_data_cannot_close_the_script(tmp_path):
    data = sample()
    data.gaps[0]["parent_title"] = "</script><b>x"
    path = render_html(data.summary, data.gaps, None, data.edges, tmp_path, items=data.items)
    page = path.read_text(encoding="utf-8")
    assert page.count("</script>") == 2  # the JSON blob's and the script's own


def test_empty_report_still_renders(tmp_path):
    path = render_html({}, [], [], [], tmp_path)
    page = path.read_text(encoding="utf-8")
    assert "未发现缺项" in page and "没有覆盖数据" in page


# --------------------------------------------------------------------------- workbook


def test_xlsx_one_sheet_per_government(report_dir):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(report_dir / "gaps.xlsx")
    assert wb.sheetnames == [SUMMARY_SHEET, "安居区", "眉山市"]
    ws = wb["安居区"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:L3"
    header = [c.value for c in ws[1]]
    assert header[0] == "状态\nstatus" and header[6] == "未承接内容\nmissing clauses"
    assert len(header) == len(XLSX_COLUMNS)
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert len(rows) == 2
    col = {key: i for i, (key, *_rest) in enumerate(XLSX_COLUMNS)}
    dropped, partial = rows
    assert dropped[col["status"]] == "缺项" and dropped[col["parent_seq"]] == 3
    assert dropped[col["parent_title"]] == "推进办事服务公开标准化"
    assert dropped[col["responsible"]] == "区行政审批局、区政务服务中心"
    assert partial[col["status"]] == "部分承接" and partial[col["missing"]] == IPV6
    assert partial[col["deadline"]] == "2021年底前" and partial[col["best_candidate_seq"]] == 15
    assert ws.column_dimensions["F"].width == 40
    summary = [[c.value for c in r] for r in wb[SUMMARY_SHEET].iter_rows(min_row=2)]
    assert [r[:5] for r in summary] == [["安居区", "安居区", 1, 1, 0], ["眉山市", "眉山市", 1, 0, 0]]


def test_xlsx_sheet_names_are_cleaned(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    long = "四川省/遂宁市:安居区*" + "很长的名字" * 8
    gaps = [{"child_region": long, "status": "gap", "parent_doc": PROVINCE, "parent_seq": 3},
            {"child_region": long[:31] + "别的", "status": "gap", "parent_doc": PROVINCE, "parent_seq": 3}]
    wb = openpyxl.load_workbook(write_xlsx(gaps, tmp_path / "g.xlsx"))
    names = wb.sheetnames[1:]
    assert len(names) == 2 and len(set(names)) == 2
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)


# --------------------------------------------------------------------------- plots


def test_plots_use_a_cjk_font_when_one_is_installed():
    import shutil
    import subprocess

    from policy_lineage.report.plots import cjk_font

    if not shutil.which("fc-list"):
        pytest.skip("fontconfig's fc-list is not installed")
    installed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    if not installed.strip():
        pytest.skip("no CJK font installed (.ci/run installs fonts-wqy-zenhei)")
    font = cjk_font()
    assert font is not None and font in installed


def test_plot_sizes_follow_the_data(report_dir):
    from PIL import Image

    with Image.open(report_dir / "coverage.png") as im:
        # 5 duties (4 of the province, 1 of 眉山) × 3 governments at 120 dpi
        assert im.size[0] >= 120 * (1.3 * 3 + 5.5) - 2 and im.size[1] == 120 * 3.4


def test_summary_cards(report_dir):
    page = (report_dir / "index.html").read_text(encoding="utf-8")
    cards = re.findall(r'<div class="value">([^<]*)</div><div class="label">([^<]*)<', page)
    # 3 governments (安居区, 眉山市, 东坡区); gaps 安居区 (三) and 眉山 (五); coverage by hand:
    # covered 安居区(一), 眉山(一), 东坡区←眉山5; partial 安居区(十八); gaps 2 → 3 / 6 = 50%
    assert [(label, value) for value, label in cards] == [
        ("下级政府", "3"), ("文件", "4"), ("任务条目", "120"), ("承接关系", "4"),
        ("缺项", "2"), ("部分承接", "1"), ("已认可不适用", "0"), ("承接率", "50%"),
    ]  # fmt: skip
    assert "CARRIES" in page.split('class="store-counts"')[1].split("</details>")[0]


# --------------------------------------------------------------------------- from a real store


def test_report_command_on_an_embedded_store(tmp_path):
    """``lineage report`` on tests/graph_fixtures.corpus() loaded into LadybugDB.

    The expected rows are the ones worked out on paper in that module's docstring.
    """
    import sys

    from click.testing import CliRunner

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from graph_fixtures import P_REF, corpus

    from policy_lineage.cli import cli
    from policy_lineage.graph.nxgraph import build_graph
    from policy_lineage.graph.store import open_store

    openpyxl = pytest.importorskip("openpyxl")
    db = tmp_path / "graph.lbdb"
    with open_store("ladybug", db) as store:
        store.write(build_graph(*corpus()))
    out = tmp_path / "report"
    result = CliRunner().invoke(cli, ["report", "--db", str(db), "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "缺项 gaps 2, 部分承接 partial 1" in result.output

    wb = openpyxl.load_workbook(out / "gaps.xlsx")
    assert wb.sheetnames == [SUMMARY_SHEET, "安居区", "眉山市"]
    col = {key: i for i, (key, *_rest) in enumerate(XLSX_COLUMNS)}

    def rows(sheet):
        return [
            (r[col["parent_seq"]], r[col["status"]], r[col["missing"]], r[col["best_candidate_seq"]], r[col["responsible"]])
            for r in wb[sheet].iter_rows(min_row=2, values_only=True)
        ]

    assert rows("安居区") == [(3, "缺项", "整项未承接", 3, "安居区卫生健康局"), (2, "部分承接", "开展政策吹风会", 2, "安居区司法局")]
    assert rows("眉山市") == [(3, "缺项", "整项未承接", 1, "眉山市财政局"), (2, "已认可不适用", None, None, "眉山市人民政府办公室")]

    page = (out / "index.html").read_text(encoding="utf-8")
    heat = page.split('<table class="heat">')[1].split("</table>")[0]
    cells = dict(re.findall(r'<tr data-duty="([^"]+)">(.*?)</tr>', heat))
    statuses = {ref: re.findall(r'data-status="([^"]+)"', row) for ref, row in cells.items()}
    assert statuses == {
        f"{P_REF}#1": ["covered", "covered"],
        f"{P_REF}#2": ["partial", "accepted"],
        f"{P_REF}#3": ["gap", "gap"],
    }


def test_report_command_without_a_database(tmp_path):
    from click.testing import CliRunner

    from policy_lineage.cli import cli

    result = CliRunner().invoke(cli, ["report", "--db", str(tmp_path / "none.lbdb"), "--out", str(tmp_path / "r")])
    assert result.exit_code == 1
    assert "run `lineage build` first" in result.output
