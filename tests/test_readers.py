"""Readers: every format and encoding to the same text, and one clear error for what is no document.

Inputs are real files written by the tests: the seeds re-encoded, Word files built with
python-docx, PDFs drawn with fpdf2, portal pages written by hand.  Expected texts are written
out by hand from those inputs.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from policy_lineage.errors import ReadError
from policy_lineage.ingest.parser import parse_file
from policy_lineage.ingest.readers import SourceText, decode_bytes, read_document
from policy_lineage.ingest.text import is_page_number, squash

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
TEXT_SEEDS = sorted(p.name for p in SEEDS.iterdir() if p.suffix in (".txt", ".md"))


def seed_text(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def cjk_font() -> str:
    """A font file with Chinese glyphs for fpdf2, or skip the test."""
    if shutil.which("fc-list"):
        out = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True).stdout
        files = sorted(line.split(":")[0].strip() for line in out.splitlines() if line.strip())
        if files:
            return files[0]
    pytest.skip("no CJK font: apt-get install fonts-wqy-zenhei")


# --------------------------------------------------------------------------- encodings


class TestEncodings:
    @pytest.mark.parametrize("seed", TEXT_SEEDS)
    @pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])  # utf-16: Notepad's "Unicode", with BOM
    def test_seed_reads_back_identically(self, tmp_path, seed, encoding):
        original = seed_text(seed)
        path = tmp_path / seed
        path.write_bytes(original.encode(encoding))
        source = read_document(path)
        assert source.text == original
        assert source.format == ("md" if seed.endswith(".md") else "txt")
        assert source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
        assert source.metadata == {}

    @pytest.mark.parametrize("newline", ["\r\n", "\r"])
    def test_windows_and_old_mac_line_ends(self, tmp_path, newline):
        original = seed_text("wanyuan-2023-key-points-division.txt")
        path = tmp_path / "w.txt"
        path.write_bytes(original.replace("\n", newline).encode("gbk"))
        assert read_document(path).text == original

    def test_gbk_bytes_are_not_taken_for_utf8(self):
        # 政务 in GBK is d5fe cef1: invalid UTF-8, so the GB18030 step must decode it
        assert decode_bytes(bytes.fromhex("d5fecef1"), "a.txt") == "政务"

    def test_gb18030_four_byte_characters(self):
        text = "㐀 in CJK Extension A, and 𠀀 outside the BMP"
        assert decode_bytes(text.encode("gb18030"), "a.txt") == text

    def test_hash_is_of_the_bytes_not_the_text(self, tmp_path):
        a, b = tmp_path / "a.txt", tmp_path / "b.txt"
        a.write_bytes("政务公开".encode("utf-8"))
        b.write_bytes("政务公开".encode("gb18030"))
        ra, rb = read_document(a), read_document(b)
        assert ra.text == rb.text
        assert ra.sha256 != rb.sha256

    def test_source_text_is_frozen(self, tmp_path):
        path = tmp_path / "a.txt"
        path.write_text("x", encoding="utf-8")
        source = read_document(path)
        assert isinstance(source, SourceText)
        with pytest.raises(AttributeError):
            source.text = "y"


# --------------------------------------------------------------------------- HTML

PORTAL_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>关于印发的通知_某县人民政府</title>
<style>.x{color:red}</style><script>var visits = 1;</script></head>
<body>
<div class="top-nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li></ul></div>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; 政务公开 &gt; 通知公告</div>
<table class="xxgk-info">
  <tr><td>索 引 号：</td><td>11510000MB1234/2021-00012</td><td>主题分类：</td><td>政务公开</td></tr>
  <tr><td>发布机构：</td><td>三台县人民政府办公室</td><td>成文日期：</td><td>2022-03-15</td></tr>
  <tr><td>文　　号：</td><td>台府办发〔2022〕 3号</td><td>发布日期：</td><td>2022-03-16</td></tr>
</table>
<h1>三台县2022年政务公开重点工作任务清单</h1>
<div class="info">发布时间：2022-03-16 浏览次数：<span id="c">1234</span> 【字体：大 中 小】</div>
<div id="zoom" class="TRS_Editor">
  <p>各乡镇人民政府，县级各部门：</p>
  <p>现将任务清单印发给你们，请认真
  贯彻执行。</p>
  <table border="1">
    <tr><th>编号</th><th>工作内容</th><th>主责单位</th><th>完成时限</th></tr>
    <tr><td colspan="4">一、推进决策公开</td></tr>
    <tr><td>1</td><td><p>制定并公布县政府重大行政决策事项目录。</p></td>
        <td rowspan="2">县政府办公室</td><td>2022年6月底前<br>建立目录</td></tr>
    <tr><td>2</td><td>邀请利益相关方列席县政府常务会议。</td><td>长期坚持</td></tr>
  </table>
  <p>三台县人民政府办公室</p>
</div>
<div class="share">分享到：微信 微博</div>
<div id="footer">版权所有：三台县人民政府 网站标识码5107220001</div>
</body></html>
"""


class TestHtml:
    @pytest.fixture
    def page(self, tmp_path):
        path = tmp_path / "notice.html"
        path.write_bytes(PORTAL_PAGE.encode("utf-8"))
        return read_document(path)

    def test_text_is_the_article_with_its_title(self, page):
        assert page.format == "html"
        assert page.text.split("\n") == [
            "三台县2022年政务公开重点工作任务清单",
            "各乡镇人民政府，县级各部门：",
            "现将任务清单印发给你们，请认真贯彻执行。",
            "\t编号\t工作内容\t主责单位\t完成时限",
            "\t一、推进决策公开",
            "\t1\t制定并公布县政府重大行政决策事项目录。\t县政府办公室\t2022年6月底前建立目录",
            "\t2\t邀请利益相关方列席县政府常务会议。\t\t长期坚持",
            "",
            "三台县人民政府办公室",
            "",
        ]

    def test_portal_block_is_metadata_not_text(self, page):
        assert page.metadata == {
            "索引号": "11510000MB1234/2021-00012",
            "主题分类": "政务公开",
            "发布机构": "三台县人民政府办公室",
            "成文日期": "2022-03-15",
            "文号": "台府办发〔2022〕 3号",
            "发布日期": "2022-03-16",
        }
        assert "索引号" not in page.text and "11510000MB1234" not in page.text

    def test_chrome_is_dropped(self, page):
        for chrome in ["首页", "当前位置", "浏览次数", "1234", "字体", "分享到", "版权所有", "visits", "color"]:
            assert chrome not in page.text, chrome

    def test_definition_list_block_and_gbk_page_named_txt(self, tmp_path):
        page = (
            "<html><body><dl class='meta'><dt>发文机关</dt><dd>某市人民政府办公室</dd>"
            "<dt>发文字号</dt><dd>某府办函〔2023〕19号</dd><dt>成文日期</dt><dd>2023年6月1日</dd>"
            "<dt>标题</dt><dd>某市政务公开要点</dd></dl>"
            "<div class='content'><p>一、总体要求</p><p>（一）公开目录。</p></div></body></html>"
        )
        path = tmp_path / "saved.txt"
        path.write_bytes(page.encode("gbk"))
        source = read_document(path)
        assert source.format == "html"
        assert source.metadata == {
            "发布机构": "某市人民政府办公室",
            "文号": "某府办函〔2023〕19号",
            "成文日期": "2023年6月1日",
            "标题": "某市政务公开要点",
        }
        assert source.text == "一、总体要求\n（一）公开目录。\n"

    def test_page_without_block_or_container_keeps_the_body(self, tmp_path):
        path = tmp_path / "plain.htm"
        path.write_text("<p>第一段</p>第二段<br>第三段<div><p>第四段</p></div>", encoding="utf-8")
        source = read_document(path)
        assert source.format == "html" and source.metadata == {}
        assert source.text == "第一段\n第二段\n第三段\n第四段\n"

    def test_furniture_rules_spare_content(self, tmp_path):
        # An ASP.NET page: everything inside <form>; a header cell named like chrome; a sentence
        # that mentions 点击数; an <article> footer holding the signature.
        page = (
            "<html><body><form id='form1'><article><h1>某县政务公开要点</h1>"
            "<p>（一）优化网站栏目，2022年底前首页点击数较上年提升两成以上，并按季度向社会公开统计结果。</p>"
            "<table><tr><td class='tableheader'>序号</td><td class='tableheader'>任务</td></tr>"
            "<tr><td>1</td><td>公开目录</td></tr></table>"
            "<p>（二）按月公开网站点击量。</p>"
            "<footer>某县人民政府办公室</footer></article>"
            "<footer>网站标识码：5107220001</footer></form></body></html>"
        )
        path = tmp_path / "aspnet.html"
        path.write_text(page, encoding="utf-8")
        assert read_document(path).text.split("\n") == [
            "某县政务公开要点",
            "（一）优化网站栏目，2022年底前首页点击数较上年提升两成以上，并按季度向社会公开统计结果。",
            "\t序号\t任务",
            "\t1\t公开目录",
            "",
            "（二）按月公开网站点击量。",
            "某县人民政府办公室",
            "",
        ]


# --------------------------------------------------------------------------- Word


def set_cell(cell, lines: list[str]) -> None:
    """Write a cell as one paragraph per line (how a Word cell holds several lines)."""
    cell.text = lines[0] if lines else ""
    for line in lines[1:]:
        cell.add_paragraph(line)


class TestDocx:
    @pytest.fixture
    def source(self, tmp_path):
        from docx import Document

        d = Document()
        d.core_properties.title = "万源市2023年政务公开工作要点分工表"
        d.add_paragraph("2023年全市政务公开工作要点分工表")
        d.add_paragraph("\t各乡镇人民政府：")  # a paragraph indented with a tab is not a table row
        t = d.add_table(rows=5, cols=5)
        for j, text in enumerate(["序号", "工作任务", "重点工作任务", None, "完成时限"]):
            if text is not None:
                set_cell(t.cell(0, j), [text])
        set_cell(t.cell(0, 2).merge(t.cell(0, 3)), ["重点工作任务"])  # header spans two columns
        set_cell(t.cell(1, 0).merge(t.cell(1, 4)), ["一、加大主动公开力度"])  # a group row
        set_cell(t.cell(2, 0), ["1"])
        set_cell(t.cell(2, 1).merge(t.cell(3, 1)), ["推进四大战略信息公开"])  # merged down two rows
        set_cell(t.cell(2, 2), ["聚焦推动经济运行整体好转。"])
        set_cell(t.cell(2, 3), ["市发改局、", "市经信局"])
        set_cell(t.cell(2, 4).merge(t.cell(4, 4)), ["及时公开"])  # merged down three rows
        set_cell(t.cell(3, 0), ["2"])
        set_cell(t.cell(3, 2), ["及时发布提振内需政策。"])
        set_cell(t.cell(3, 3), ["市商务局"])
        set_cell(t.cell(4, 0), ["3"])
        set_cell(t.cell(4, 1), ["教育信息公开"])
        set_cell(t.cell(4, 2), ["推进学前教育普及普惠信息公开。"])
        set_cell(t.cell(4, 3), ["市教育局"])
        d.add_paragraph("万源市人民政府办公室\n2023年6月16日")  # a line break inside a paragraph
        path = tmp_path / "plan.docx"
        d.save(path)
        return read_document(path)

    def test_body_in_order_with_merged_cells_empty(self, source):
        assert source.format == "docx"
        assert source.text.split("\n") == [
            "2023年全市政务公开工作要点分工表",
            "各乡镇人民政府：",
            "\t序号\t工作任务\t重点工作任务\t\t完成时限",
            "\t一、加大主动公开力度",
            "\t1\t推进四大战略信息公开\t聚焦推动经济运行整体好转。\t市发改局、市经信局\t及时公开",
            "\t2\t\t及时发布提振内需政策。\t市商务局\t",
            "\t3\t教育信息公开\t推进学前教育普及普惠信息公开。\t市教育局\t",
            "",
            "万源市人民政府办公室",
            "2023年6月16日",
            "",
        ]

    def test_title_property_is_metadata(self, source):
        assert source.metadata == {"标题": "万源市2023年政务公开工作要点分工表"}

    def test_docx_named_doc_is_read_by_content(self, tmp_path):
        from docx import Document

        d = Document()
        d.add_paragraph("（一）公开目录。")
        path = tmp_path / "download.doc"
        d.save(path)
        source = read_document(path)
        assert (source.format, source.text, source.metadata) == ("docx", "（一）公开目录。\n", {})


# --------------------------------------------------------------------------- PDF


def pdf_with_lines(path: Path, pages: list[list[str]]) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("cjk", fname=cjk_font())
    pdf.set_font("cjk", size=11)
    for lines in pages:
        pdf.add_page()
        for line in lines:
            pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


class TestPdf:
    def test_text_layer_page_by_page(self, tmp_path):
        path = tmp_path / "plan.pdf"
        pdf_with_lines(path, [["一、深化决策公开", "（一）公开决策目录。"], ["（二）公开解读材料。"]])
        source = read_document(path)
        assert source.format == "pdf"
        assert source.text == "一、深化决策公开\n（一）公开决策目录。\n（二）公开解读材料。"
        assert source.metadata == {}

    def test_scanned_pdf_asks_for_ocr(self, tmp_path):
        from fpdf import FPDF

        pdf = FPDF()
        pdf.add_page()
        pdf.set_fill_color(200, 200, 200)
        pdf.rect(20, 20, 170, 250, style="F")  # a page that is all picture, no text
        path = tmp_path / "scan.pdf"
        pdf.output(str(path))
        with pytest.raises(ReadError) as e:
            read_document(path)
        assert str(e.value) == f"{path}: PDF has no text layer (scanned image); run OCR first"

    def test_password_protected_pdf(self, tmp_path):
        from fpdf import FPDF

        pdf = FPDF()
        pdf.set_encryption(owner_password="owner", user_password="secret")
        pdf.add_page()
        pdf.set_font("helvetica", size=12)
        pdf.cell(0, 10, "locked")
        path = tmp_path / "locked.pdf"
        pdf.output(str(path))
        with pytest.raises(ReadError, match="encrypted with a password"):
            read_document(path)

    def test_damaged_pdf(self, tmp_path):
        path = tmp_path / "cut.pdf"
        path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n")
        with pytest.raises(ReadError, match="damaged PDF"):
            read_document(path)


TASK = "落实第{}项政务公开重点工作，按要求在政府网站公开相关信息，接受社会监督，确保公开内容准确、及时、完整。"


def ruled_table_pdf(path: Path, rows: list[list[str]], *, rowspan_units: bool = False, footer: bool = False) -> None:
    """A PDF with a title, a ruled table (header repeated on every page) and a signature, the
    way a county office prints its 分解表: cells wrap inside narrow columns."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    class Pdf(FPDF):
        def footer(self):
            if footer:
                self.set_y(-15)
                self.cell(0, 10, f"— {self.page_no()} —", align="C")

    pdf = Pdf()
    pdf.add_font("cjk", fname=cjk_font())
    pdf.set_font("cjk", size=10)
    pdf.add_page()
    pdf.multi_cell(0, 8, "西充县2023年政务公开重点任务分解表", align="C", new_x="LMARGIN", new_y="NEXT")
    style = FontFace(emphasis="")
    with pdf.table(col_widths=[12, 28, 80, 40, 28], text_align="LEFT", headings_style=style, repeat_headings=1) as table:
        for i, cells in enumerate(rows):
            row = table.row()
            for j, cell in enumerate(cells):
                if rowspan_units and j == 3 and i > 0:
                    if i % 2 == 1:
                        row.cell(cell, rowspan=2)
                    continue
                row.cell(cell)
    pdf.multi_cell(0, 8, "西充县人民政府办公室", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 8, "2023年3月20日", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


HEADER = ["序号", "工作任务", "具体措施", "责任单位", "完成时限"]


class TestPdfTables:
    """Ruled tables in a PDF are read cell by cell: their text as lines interleaves wrapped cells."""

    def test_wrapped_cells_stay_whole(self, tmp_path):
        rows = [
            HEADER,
            ["1", "推进决策公开", "编制并公开县政府2023年度重大行政决策事项目录，决策草案向社会公开征求意见，期限不少于30日。", "县司法局、县政府办公室", "2023年6月底前"],
            ["2", "强化政策解读", "县政府出台的政策性文件与解读材料同步起草、同步审签、同步发布，解读形式不少于3种。", "县政府办公室、县级各部门", "长期坚持"],
            ["3", "推进基层政务公开", "更新乡镇政务公开事项标准目录，在便民服务中心设立政务公开专区。", "各乡镇人民政府", "2023年9月底前"],
        ]
        path = tmp_path / "xichong.pdf"
        ruled_table_pdf(path, rows)
        doc = parse_file(path)
        assert (doc.title, doc.issuer, doc.date) == ("西充县2023年政务公开重点任务分解表", "西充县人民政府办公室", "2023-03-20")
        assert [it.text for it in doc.items] == [r[2] for r in rows[1:]]
        assert [it.title for it in doc.items] == [r[1] for r in rows[1:]]
        assert [[u.name for u in it.units] for it in doc.items] == [
            ["西充县司法局", "西充县政府办公室"], ["西充县政府办公室", "县级各部门"], ["各乡镇人民政府"]]
        assert [it.deadline.text for it in doc.items] == ["2023年6月底前", "长期坚持", "2023年9月底前"]

    def test_pages_with_repeated_header_footer_and_merged_units(self, tmp_path):
        rows = [HEADER] + [
            [str(n), f"第{n}项任务", TASK.format(n), "县政府办公室、县级各部门", "2023年12月底前" if n % 3 else "长期坚持"]
            for n in range(1, 31)
        ]
        path = tmp_path / "xichong.pdf"
        ruled_table_pdf(path, rows, rowspan_units=True, footer=True)
        text = read_document(path).text
        assert text.count("\t序号\t") >= 2 and "— 2 —" in text  # really several pages
        doc = parse_file(path)
        assert [it.seq for it in doc.items] == list(range(1, 31))
        for it in doc.items:
            assert it.text == TASK.format(it.seq)
            assert [u.name for u in it.units] == ["西充县政府办公室", "县级各部门"]  # even-numbered rows: merged
            assert it.deadline.text == ("2023年12月底前" if it.seq % 3 else "长期坚持")

    def test_row_cut_by_a_page_break_is_joined(self):
        from policy_lineage.ingest.readers import _join_pages

        pages = [
            ["标题", ["1", "公开决策", "县司法局"], ["2", "公开预决算信息，", "县财政局"]],
            [["", "接受社会监督。", ""], ["3", "公开解读", "县政府办公室"], "— 2 —"],
        ]
        assert _join_pages(pages) == [
            "标题", "\t1\t公开决策\t县司法局", "\t2\t公开预决算信息，接受社会监督。\t县财政局",
            "\t3\t公开解读\t县政府办公室", "— 2 —",
        ]


# --------------------------------------------------------------------------- bad inputs


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504

BAD_INPUTS = [
    ("empty.txt", b"", "empty file"),
    ("blob.txt", bytes(range(256)) * 8, "binary file, not a text document"),
    ("controls.md", b"\x01\x02\x03\x04\x05\x06\x07\x08" * 64 + "政务".encode(), "binary file, not a text document"),
    ("photo.txt", PNG, "looks like a PNG image"),
    ("archive.docx", zip_bytes({"readme.txt": b"hello"}), "looks like a ZIP archive, not a Word .docx document"),
    ("table.docx", zip_bytes({"xl/workbook.xml": b"<workbook/>"}), "looks like an Excel workbook (.xlsx)"),
    ("broken.docx", b"PK\x03\x04" + b"\x00" * 40, "looks like a damaged ZIP archive"),
    ("renamed.docx", "（一）公开目录。".encode("utf-8"), "is named .docx but is not a ZIP container: it looks like plain text"),
    ("renamed.pdf", bytes(range(256)), "is named .pdf but has no %PDF header: it looks like binary data"),
    ("old.doc", OLE2, "looks like a legacy Office 97-2003 file (.doc/.xls/.wps); save it as .docx"),
    ("latin.txt", b"\x80\xff" * 40, "cannot decode text: not UTF-8 or GB18030"),
]


class TestBadInputs:
    @pytest.mark.parametrize("name, data, reason", BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
    def test_one_line_naming_file_and_reason(self, tmp_path, name, data, reason):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(ReadError) as e:
            read_document(path)
        message = str(e.value)
        assert message.startswith(f"{path}: ")
        assert reason in message
        assert "\n" not in message
        assert e.value.file == str(path)

    def test_missing_file(self, tmp_path):
        path = tmp_path / "nowhere.txt"
        with pytest.raises(ReadError) as e:
            read_document(path)
        assert str(e.value) == f"{path}: no such file"

    def test_directory(self, tmp_path):
        with pytest.raises(ReadError, match="is a directory"):
            read_document(tmp_path)

    def test_larger_than_50_mb_is_refused_unread(self, tmp_path):
        path = tmp_path / "huge.txt"
        with open(path, "wb") as f:
            f.truncate(50 * 1024 * 1024 + 1)  # sparse: no disk used, never read
        with pytest.raises(ReadError) as e:
            read_document(path)
        assert str(e.value) == f"{path}: file is larger than 50 MB"

    def test_exactly_50_mb_is_not_too_large(self, tmp_path):
        path = tmp_path / "edge.txt"
        with open(path, "wb") as f:
            f.truncate(50 * 1024 * 1024)
        with pytest.raises(ReadError, match="binary file"):  # all NUL: refused for what it holds
            read_document(path)


class TestCli:
    def test_parse_bad_file_is_one_line_on_stderr(self, tmp_path):
        from click.testing import CliRunner

        from policy_lineage.cli import cli

        path = tmp_path / "photo.txt"
        path.write_bytes(PNG)
        result = CliRunner().invoke(cli, ["parse", str(path)])
        assert result.exit_code != 0
        assert isinstance(result.exception, SystemExit)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1
        assert str(path) in lines[0] and "PNG image" in lines[0]
        assert "Traceback" not in result.output


# --------------------------------------------------------------------------- round trips through the parser
#
# The seeds' tables were exported from Word as one cell per tab-led line (a cell's further lines
# without the tab, rows separated by blank lines except where a page break fell inside a row).
# They are written back here as real Word and HTML tables; the empty cells under a filled one
# (a merged group, units or deadline cell in the original) become real vertical merges, and the
# 一、… group rows one cell across the table.  Each file must parse like the seed itself.

TAB_SEEDS = {
    # seed: (columns, header cells spanning more than one column {index: span}, items, issuer)
    "meishan-grassroots-annex1-task-division.txt": (4, {}, 24, "眉山市人民政府办公室"),
    "wanyuan-2023-key-points-division.txt": (6, {2: 2}, 50, "万源市人民政府办公室"),  # 重点工作任务 spans two columns
}
PROSE_SEED = "sichuan-2021-chuanbanfa-16-province.txt"  # (一)…(二十二)
GROUP_ROW = re.compile(r"^[一二三四五六七八九十]+、")

# Units a seed's .txt once misled the parser about, as printed (none now: the meishan table's
# last cell is no longer glued to the second extraction that follows it).
SEED_UNITS_AS_PRINTED: dict[str, dict[int, list[str]]] = {}

Cell = list  # the lines of one table cell


def split_tab_table(text: str, width: int) -> tuple[list[str], list[Cell], list[list[Cell]], list[str]]:
    """Lines before the table, header cells, rows (lists of cells) and lines after it."""
    lines = text.split("\n")
    tab = [i for i, line in enumerate(lines) if line.startswith("\t")]
    first, last = tab[0], tab[-1]
    groups: list[list[Cell]] = [[]]
    for line in lines[first : last + 1]:
        if line.startswith("\t"):
            groups[-1].append([line[1:]])
        elif not line.strip():
            if groups[-1]:
                groups.append([])
        else:
            groups[-1][-1].append(line)
    groups = [g for g in groups if g]
    header, rows, pending = groups[0], [], []
    for group in groups[1:]:
        if not pending and len(group) == 1 and GROUP_ROW.match(group[0][0]):
            rows.append(group)
            continue
        pending += group
        while len(pending) >= width:
            rows.append(pending[:width])
            pending = pending[width:]
    assert not pending, "the seed's table does not end on a full row"
    return lines[:first], header, rows, lines[last + 1 :]


def merged_runs(rows: list[list[Cell]], column: int) -> list[tuple[int, int]]:
    """(first, last) row indexes where empty cells continue the filled cell above them."""
    runs, top = [], None
    for i, row in enumerate([*rows, [["end"]]]):
        empty = len(row) > 1 and not "".join(row[column]).strip()
        if empty and top is not None:
            continue
        if top is not None and i - 1 > top:
            runs.append((top, i - 1))
        top = i if len(row) > 1 else None
    return runs


def write_docx(path: Path, seed: str) -> None:
    from docx import Document

    width, header_spans, *_ = TAB_SEEDS[seed]
    before, header, rows, after = split_tab_table(seed_text(seed), width)
    d = Document()
    for line in before:
        if line.strip():
            d.add_paragraph(line.strip())
    t = d.add_table(rows=1 + len(rows), cols=width)
    col = 0
    for k, cell in enumerate(header):
        span = header_spans.get(k, 1)
        set_cell(t.cell(0, col).merge(t.cell(0, col + span - 1)) if span > 1 else t.cell(0, col), cell)
        col += span
    for i, row in enumerate(rows, start=1):
        if len(row) == 1:
            set_cell(t.cell(i, 0).merge(t.cell(i, width - 1)), row[0])
        else:
            for j, cell in enumerate(row):
                set_cell(t.cell(i, j), cell)
    for j in range(width):
        for a, b in merged_runs(rows, j):
            set_cell(t.cell(a + 1, j).merge(t.cell(b + 1, j)), rows[a][j])
    for line in after:
        if line.strip():
            d.add_paragraph(line.strip())
    d.save(path)


def write_portal_page(path: Path, seed: str, block: dict[str, str]) -> None:
    """The seed's table on a portal page: 信息公开 block, navigation, counters, footer."""
    width, header_spans, *_ = TAB_SEEDS[seed]
    before, header, rows, after = split_tab_table(seed_text(seed), width)
    title = next(line.strip() for line in reversed(before) if line.strip())
    rowspan: dict[tuple[int, int], int] = {}
    for j in range(width):
        for a, b in merged_runs(rows, j):
            rowspan[(a, j)] = b - a + 1
            rowspan.update({(k, j): 0 for k in range(a + 1, b + 1)})

    def td(cell: Cell, attrs: str = "", tag: str = "td") -> str:
        return f"<{tag}{attrs}>" + "<br>".join(html.escape(x) for x in cell) + f"</{tag}>"

    out = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>政务公开_眉山市人民政府</title></head><body>",
        "<div class='nav'><a href='/'>首页</a> <a href='/zwgk'>政务公开</a> <a href='/hd'>互动交流</a></div>",
        "<div class='position'>当前位置：首页 &gt; 政务公开 &gt; 文件</div>",
        "<table class='xxgk'>" + "".join(f"<tr><th>{k}：</th><td>{v}</td></tr>" for k, v in block.items()) + "</table>",
        f"<div class='article'><h1>{html.escape(title)}</h1><p>发布时间：2021-06-01　浏览次数：356</p><div id='zoom'>",
        "<table border='1'><tr>" + "".join(td(c, f" colspan='{header_spans.get(k, 1)}'", "th") for k, c in enumerate(header)) + "</tr>",
    ]
    for i, row in enumerate(rows):
        if len(row) == 1:
            out.append(f"<tr>{td(row[0], f' colspan={width}')}</tr>")
            continue
        cells = [(j, rowspan.get((i, j), 1)) for j in range(width)]
        out.append("<tr>" + "".join(td(row[j], f" rowspan='{n}'" if n > 1 else "") for j, n in cells if n) + "</tr>")
    out.append("</table>" + "".join(f"<p>{html.escape(line)}</p>" for line in after if line.strip()) + "</div></div>")
    out.append("<div class='footer'>主办：某市人民政府办公室 版权所有</div></body></html>")
    path.write_text("\n".join(out), encoding="utf-8")


def item_summary(doc) -> list[tuple]:
    """What a reader must not change: number, section, text (spacing aside), deadline, units."""
    return [
        (
            it.seq,
            [squash(s) for s in it.section],
            squash(it.text),
            squash(it.deadline.text) if it.deadline else None,
            [u.name for u in it.lead_units],
            [u.name for u in it.units],
        )
        for it in doc.items
    ]


@pytest.fixture(scope="module")
def seed_items():
    """Each seed parsed from its .txt, with item units as printed where the .txt misleads."""
    cache: dict[str, list[tuple]] = {}

    def get(seed: str) -> list[tuple]:
        if seed not in cache:
            items = item_summary(parse_file(SEEDS / seed))
            for seq, units in SEED_UNITS_AS_PRINTED.get(seed, {}).items():
                k = next(i for i, it in enumerate(items) if it[0] == seq)
                items[k] = (*items[k][:5], units)
            cache[seed] = items
        return cache[seed]

    return get


class TestRoundTrips:
    @pytest.mark.parametrize("seed", sorted(TAB_SEEDS))
    def test_word_table_parses_like_the_seed(self, tmp_path, seed, seed_items):
        path = tmp_path / f"{Path(seed).stem}.docx"
        write_docx(path, seed)
        with zipfile.ZipFile(path) as z:  # the file really holds the merges being tested
            xml = z.read("word/document.xml").decode()
        assert 'w:vMerge w:val="restart"' in xml and "w:gridSpan" in xml
        doc = parse_file(path)
        assert doc.source_format == "docx"
        assert len(doc.items) == TAB_SEEDS[seed][2]
        assert item_summary(doc) == seed_items(seed)

    def test_word_prose_parses_like_the_seed(self, tmp_path, seed_items):
        from docx import Document

        d = Document()
        for line in seed_text(PROSE_SEED).split("\n"):
            if line.strip():
                d.add_paragraph(line.strip())
        path = tmp_path / "prose.docx"
        d.save(path)
        doc = parse_file(path)
        assert [it.seq for it in doc.items] == list(range(1, 23))
        assert item_summary(doc) == seed_items(PROSE_SEED)
        assert (doc.doc_no, doc.date) == ("川办发〔2021〕16号", "2021-03-30")

    def test_word_prose_with_its_annex_as_a_word_table(self, tmp_path, seed_items):
        # The province's plan as a Word file would hold it: prose paragraphs, then the annex
        # 重点工作责任分工表 as a real table (序号 | 重点工作 | 责任单位), one row per duty.
        from docx import Document

        text = seed_text(PROSE_SEED)
        body, annex = text.split("附件: 重点工作责任分工表", 1)
        rows, expected = [], 1
        lines = annex.split("\n") + [""]
        for k, line in enumerate(lines):
            s = line.strip()
            if not s or is_page_number(s) or s in ("附件", "重点工作责任分工表") or s.startswith("序号"):
                continue
            m = re.match(rf"^{expected} (\S+)(?: (.*))?$", s)
            if m:
                rows.append([str(expected), m.group(1), m.group(2) or ""])
                expected += 1
            elif not rows[-1][2] and not lines[k + 1].strip():
                rows[-1][1] += s  # a title running onto a line of its own (rows 6 and 18)
            else:
                rows[-1][2] += s
        assert len(rows) == 22
        d = Document()
        for line in body.split("\n"):
            if line.strip():
                d.add_paragraph(line.strip())
        d.add_paragraph("附件：重点工作责任分工表")
        t = d.add_table(rows=1 + len(rows), cols=3)
        for i, row in enumerate([["序号", "重点工作", "责任单位"], *rows]):
            for j, value in enumerate(row):
                t.cell(i, j).text = value
        path = tmp_path / "province.docx"
        d.save(path)
        doc = parse_file(path)
        assert item_summary(doc) == seed_items(PROSE_SEED)  # the duties, not the annex rows
        assert doc.items[0].text.startswith("调整完善政务公开事项标准目录。基层政府")

    @pytest.mark.parametrize("seed", sorted(TAB_SEEDS))
    def test_portal_page_parses_like_the_seed(self, tmp_path, seed, seed_items):
        path = tmp_path / f"{Path(seed).stem}.html"
        issuer = TAB_SEEDS[seed][3]
        block = {"索引号": "11511400MB0000000X/2021-00123", "发布机构": issuer, "文号": "某府办发〔2021〕 15号"}
        write_portal_page(path, seed, block)
        doc = parse_file(path)
        assert doc.source_format == "html"
        assert item_summary(doc) == seed_items(seed)
        assert doc.doc_no == "某府办发〔2021〕15号"  # from the block, normalised
        assert doc.issuer == issuer
        assert not any(chrome in it.text for it in doc.items for chrome in ("浏览次数", "当前位置", "版权所有"))

    def test_pdf_text_layer_parses_like_the_seed(self, tmp_path, seed_items):
        lines = [line.strip() for line in seed_text(PROSE_SEED).split("\n") if line.strip()]
        path = tmp_path / "prose.pdf"
        pdf_with_lines(path, [lines[i : i + 34] for i in range(0, len(lines), 34)])
        doc = parse_file(path)
        assert doc.source_format == "pdf"
        assert item_summary(doc) == seed_items(PROSE_SEED)
        assert (doc.doc_no, doc.date) == ("川办发〔2021〕16号", "2021-03-30")


def unruled_table_pdf(
    path: Path, rows: list[list[str]], *, v_align: str = "MIDDLE", repeat_headings: int = 1,
    line_height: float | None = None, padding: float | None = None,
) -> None:
    """The same 分解表 printed without rules (a Word table with its borders off): only where the
    words stand tells the columns and rows apart."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF()
    pdf.add_font("cjk", fname=cjk_font())
    pdf.set_font("cjk", size=10)
    pdf.add_page()
    pdf.multi_cell(0, 8, "西充县2023年政务公开重点任务分解表", align="C", new_x="LMARGIN", new_y="NEXT")
    options = {k: v for k, v in {"line_height": line_height, "padding": padding}.items() if v is not None}
    with pdf.table(
        col_widths=[12, 28, 80, 40, 28], text_align="LEFT", headings_style=FontFace(emphasis=""), borders_layout="NONE",
        v_align=v_align, repeat_headings=repeat_headings, **options,
    ) as table:
        for cells in rows:
            row = table.row()
            for cell in cells:
                row.cell(cell)
    pdf.multi_cell(0, 8, "西充县人民政府办公室", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 8, "2023年3月20日", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


class TestUnruledPdfTables:
    """Without rules the text layer interleaves wrapped cells line by line; rows and columns come
    from the words' positions (ingest/pdf_unruled.py)."""

    ROWS = [HEADER] + [
        [str(n), f"推进第{n}项政务公开任务", TASK.format(n), "县政府办公室、县级各部门", "2023年12月底前" if n % 3 else "长期坚持"]
        for n in range(1, 16)
    ]

    @pytest.mark.parametrize(
        "v_align, repeat_headings, line_height, padding",
        [("MIDDLE", 1, None, None), ("TOP", 1, None, None), ("MIDDLE", 0, None, None), ("TOP", 0, 6.5, None), ("MIDDLE", 1, None, 2.5)],
        ids=["numbers-mid-row", "numbers-at-top", "header-once", "wide-line-spacing", "padded-rows"],
    )
    def test_rows_and_columns_from_word_positions(self, tmp_path, v_align, repeat_headings, line_height, padding):
        path = tmp_path / "xichong-unruled.pdf"
        unruled_table_pdf(path, self.ROWS, v_align=v_align, repeat_headings=repeat_headings, line_height=line_height, padding=padding)
        assert "\f" not in read_document(path).text
        doc = parse_file(path)
        assert (doc.title, doc.issuer, doc.date) == ("西充县2023年政务公开重点任务分解表", "西充县人民政府办公室", "2023-03-20")
        assert [it.seq for it in doc.items] == list(range(1, 16))
        assert [it.title for it in doc.items] == [r[1] for r in self.ROWS[1:]]
        assert [it.text for it in doc.items] == [r[2] for r in self.ROWS[1:]]
        assert all([u.name for u in it.units] == ["西充县政府办公室", "县级各部门"] for it in doc.items)
        assert [it.deadline.text for it in doc.items] == [r[4] for r in self.ROWS[1:]]

    def test_prose_pdf_is_still_read_as_lines(self, tmp_path):
        path = tmp_path / "plan.pdf"
        lines = ["一、深化决策公开", "（一）公开决策目录。责任单位：县司法局", "（二）公开解读材料。责任单位：县政府办公室"]
        pdf_with_lines(path, [lines])
        assert read_document(path).text == "\n".join(lines)

    def test_row_cut_by_a_page_break_is_joined(self, tmp_path):
        """Word lets a row break across pages: with the numbers at the top of their rows, the lines
        above the next page's first number finish the cut row."""
        from fpdf import FPDF

        x = {"seq": 14, "task": 26, "content": 58, "units": 140, "deadline": 178}  # mm
        rows = [
            ("1", ["推进决策公开"], ["编制并公开县政府年度重大行政决策", "事项目录，决策草案公开征求意见。"], ["县司法局、县政", "府办公室"], ["2023年6月底前"]),
            ("2", ["强化政策解读"], ["政策性文件与解读材料同步起草、", "同步审签、同步发布，解读形式", "不少于3种，及时回应社会关切。"], ["县政府办公室、", "县级各部门"], ["长期坚持"]),
            ("3", ["推进基层公开"], ["更新乡镇政务公开事项标准目录，", "在便民服务中心设立公开专区。"], ["各乡镇人民政府"], ["2023年9月底前"]),
        ]
        pdf = FPDF()
        pdf.add_font("cjk", fname=cjk_font())
        pdf.set_font("cjk", size=10)
        pdf.set_auto_page_break(False)
        pdf.add_page()
        pdf.text(70, 20, "西充县2023年政务公开重点任务分解表")
        for name, label in zip(x, HEADER):
            pdf.text(x[name], 32, label)
        y = 44
        # row 2 is cut after its second line: the rest goes to the top of page 2
        for number, task, content, units, deadline in rows:
            lines = max(len(task), len(content), len(units), len(deadline))
            for k in range(lines):
                if number == "2" and k == 2:
                    pdf.add_page()
                    y = 20
                cells = {"seq": [number], "task": task, "content": content, "units": units, "deadline": deadline}
                for name, texts in cells.items():
                    if k < len(texts):
                        pdf.text(x[name], y, texts[k])
                y += 6
            y += 2
        pdf.text(150, y + 12, "西充县人民政府办公室")
        pdf.text(156, y + 20, "2023年3月20日")
        path = tmp_path / "xichong-split.pdf"
        pdf.output(str(path))

        doc = parse_file(path)
        assert [it.seq for it in doc.items] == [1, 2, 3]
        assert [it.text for it in doc.items] == ["".join(r[2]) for r in rows]
        assert [[u.name for u in it.units] for it in doc.items] == [
            ["西充县司法局", "西充县政府办公室"], ["西充县政府办公室", "县级各部门"], ["各乡镇人民政府"]]
        assert [it.deadline.text for it in doc.items] == ["2023年6月底前", "长期坚持", "2023年9月底前"]
        assert (doc.issuer, doc.date) == ("西充县人民政府办公室", "2023-03-20")

    @pytest.mark.parametrize("v_align", ["MIDDLE", "TOP"])
    def test_seed_table_printed_without_rules_parses_like_the_seed(self, tmp_path, seed_items, v_align):
        """眉山 附件1 as a PDF without rules: section rows (一、…) across the table, cells of very
        different heights centred in their rows, merged cells printed once, a page break."""
        from fpdf import FPDF
        from fpdf.fonts import FontFace

        seed = "meishan-grassroots-annex1-task-division.txt"
        before, header, rows, after = split_tab_table(seed_text(seed), TAB_SEEDS[seed][0])
        pdf = FPDF()
        pdf.add_font("cjk", fname=cjk_font())
        pdf.set_font("cjk", size=10)
        pdf.add_page()
        for line in (line.strip() for line in before if line.strip()):
            pdf.multi_cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
        with pdf.table(col_widths=[12, 100, 48, 28], text_align="LEFT", headings_style=FontFace(emphasis=""),
                       borders_layout="NONE", v_align=v_align) as table:  # fmt: skip
            for cells in [header, *rows]:
                row = table.row()
                if len(cells) == 1:  # a section row spans the table
                    row.cell("".join(cells[0]), colspan=len(header))
                    continue
                for cell in cells:
                    row.cell("".join(cell))
        for line in (line.strip() for line in after if line.strip()):
            pdf.multi_cell(0, 7, line, align="R", new_x="LMARGIN", new_y="NEXT")
        path = tmp_path / "meishan-annex1.pdf"
        pdf.output(str(path))
        assert read_document(path).text.count("\t序号\t") >= 2  # really several pages
        assert item_summary(parse_file(path)) == seed_items(seed)
