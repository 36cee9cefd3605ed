"""Word files whose sections and duties are numbered by Word's list feature, not typed.

The numbers (一、 （一） 1.) live in the numbering definitions, not in the paragraph text; the
reader must write them back or the parser finds no duties.  The files are built here with real
numbering XML, as Word saves it; expected values are read off the paragraphs written.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from policy_lineage.ingest.parser import parse_file
from policy_lineage.ingest.readers import read_document

LEVELS = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3.")]


def numbered_docx(path: Path, paragraphs: list[tuple[int | None, str]], levels=LEVELS, start: int = 1) -> None:
    """A Word file whose paragraphs at a level (0, 1, 2) are numbered by one multi-level list."""
    d = docx.Document()
    numbering = d.part.numbering_part.element
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    numbering.append(parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{lvls}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for level, text in paragraphs:
        p = d.add_paragraph(text)
        if level is not None:
            num_pr = f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'
            p._p.get_or_add_pPr().append(parse_xml(num_pr))
    d.save(str(path))


PLAN = [
    (None, "达川区2024年政务公开工作要点"),
    (0, "推进决策公开"),
    (1, "公开重大行政决策事项目录。（责任单位：区司法局）"),
    (1, "做好政策解读。（责任单位：区政府办公室；完成时限：2024年6月底前）"),
    (0, "加强平台建设"),
    (1, "加强政府网站管理。（责任单位：区政府办公室）"),
    (2, "每季度检查一次；"),
    (2, "检查结果公开。"),
    (1, "规范政务新媒体。（责任单位：区级各部门）"),
    (None, "达州市达川区人民政府办公室"),
    (None, "2024年2月2日"),
]


def test_labels_written_back_with_counters_restarting_below(tmp_path):
    path = tmp_path / "dachuan.docx"
    numbered_docx(path, PLAN)
    lines = [line for line in read_document(path).text.split("\n") if line]
    assert lines[1:9] == [
        "一、推进决策公开",
        "（一）公开重大行政决策事项目录。（责任单位：区司法局）",
        "（二）做好政策解读。（责任单位：区政府办公室；完成时限：2024年6月底前）",
        "二、加强平台建设",
        "（一）加强政府网站管理。（责任单位：区政府办公室）",
        "1.每季度检查一次；",
        "2.检查结果公开。",
        "（二）规范政务新媒体。（责任单位：区级各部门）",
    ]
    assert lines[0] == "达川区2024年政务公开工作要点" and lines[-1] == "2024年2月2日"


def test_auto_numbered_plan_parses(tmp_path):
    path = tmp_path / "dachuan.docx"
    numbered_docx(path, PLAN)
    doc = parse_file(path)
    assert (doc.title, doc.issuer, doc.date) == ("达川区2024年政务公开工作要点", "达州市达川区人民政府办公室", "2024-02-02")
    items = doc.items
    assert [(it.seq, it.label) for it in items] == [(1, "（一）"), (2, "（二）"), (3, "（一）"), (4, "（二）")]
    assert [it.section for it in items] == [["推进决策公开"]] * 2 + [["加强平台建设"]] * 2
    assert items[2].text == "加强政府网站管理。1.每季度检查一次；2.检查结果公开。"
    assert [u.name for u in items[1].units] == ["达川区政府办公室"] and items[1].deadline.date == "2024-06-30"


def test_start_value_and_typed_numbers_untouched(tmp_path):
    path = tmp_path / "start.docx"
    numbered_docx(path, [(None, "（一）手写编号的段落"), (2, "甲"), (2, "乙")], start=3)
    lines = [line for line in read_document(path).text.split("\n") if line]
    assert lines == ["（一）手写编号的段落", "3.甲", "4.乙"]
