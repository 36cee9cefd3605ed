"""Writing a synthetic plan in the shapes real plans are published in.

Three shapes, each one the seeds show:

* ``prose`` — a 关于印发 notice (issuer, 文号, addressees, date), the plan's title, a preamble
  that may cite the parent plan, sections ``一、`` and items ``（一）…`` each closed by a
  〔牵头单位：…；责任单位：…〕 tail (seeds/suining-anju-2021-task-division.md); as Markdown, with
  ``#`` headings and list bullets before the items, as that seed was converted;
* ``cells`` — a table exported one cell per tab-led line, group rows as sections, lead units
  marked （牵头） in the units cell, issuer and date at the end
  (seeds/meishan-grassroots-annex1-task-division.txt, seeds/wanyuan-2023-key-points-division.txt);
* ``rows`` — a table exported one row per tab-led line with separate 牵头单位 and 责任单位 columns;
* ``flat`` — a PDF table extracted line by line, every cell wrapped at its column's width, the
  header repeated after each page number (seeds/meishan-2023-task-breakdown.txt).

Renderers are pure: a :class:`RenderDoc` in, the file's text out.  Item sequence numbers are the
1-based positions of the items, printed as Chinese numerals in prose and digits in tables, so
the truth can name an item by the number the parser reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from policy_lineage.synthetic_vocab import collective_units, render_scope, unit_name

__all__ = ["SHAPES", "RenderItem", "RenderDoc", "chinese_numeral", "render"]

SHAPES = ("prose", "cells", "rows", "flat")
#: Characters per printed line of each column of a flattened PDF table (task, content, units,
#: deadline), and lines per page before the page number and the repeated header.
FLAT_WIDTHS = (4, 22, 7, 6)
FLAT_PAGE_LINES = 48


@dataclass(frozen=True)
class RenderItem:
    """One item ready to print: placeholders still in the text, unit kinds not yet named."""

    title: str
    sentences: tuple[str, ...]
    lead: tuple[str, ...]
    deadline: str
    section: int


@dataclass
class RenderDoc:
    """What a renderer needs to know about one document."""

    level: str
    region: str | None
    year: int
    issuer: str
    title: str
    date: tuple[int, int, int]
    doc_no: str | None
    shape: str
    sections: list[str]
    items: list[RenderItem]
    parent_title: str | None = None
    parent_doc_no: str | None = None
    cite_parent: bool = False
    full_unit_names: bool = False
    markdown: bool = False


_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 15 → 十五, 20 → 二十, 56 → 五十六, 100 → 一百 (1 ≤ n ≤ 199).

    >>> [chinese_numeral(n) for n in (1, 10, 15, 20, 56, 100, 108, 120)]
    ['一', '十', '十五', '二十', '五十六', '一百', '一百零八', '一百二十']
    """
    if not 1 <= n <= 199:
        raise ValueError(f"no numeral for {n}")
    if n >= 100:
        rest = n - 100
        if rest == 0:
            return "一百"
        return "一百" + ("零" + _DIGITS[rest] if rest < 10 else chinese_numeral(rest) if rest >= 20 else "一" + chinese_numeral(rest))
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "")


def _date(d: tuple[int, int, int]) -> str:
    return f"{d[0]}年{d[1]}月{d[2]}日"


def _scope(doc: RenderDoc, text: str) -> str:
    return render_scope(text, doc.level, doc.region, doc.year)


def _leads(doc: RenderDoc, item: RenderItem) -> list[str]:
    names = [unit_name(k, doc.level, doc.region, full=doc.full_unit_names) for k in item.lead]
    return list(dict.fromkeys(names))


def _body(doc: RenderDoc, item: RenderItem) -> str:
    return _scope(doc, "".join(item.sentences))


def _title(doc: RenderDoc, item: RenderItem) -> str:
    return _scope(doc, item.title)


def _addressees(doc: RenderDoc) -> str:
    return collective_units(doc.level, doc.region).replace("有关部门（单位）", "各部门") + "："


def _preamble(doc: RenderDoc) -> str:
    basis = ""
    if doc.cite_parent and doc.parent_title:
        no = f"（{doc.parent_doc_no}）" if doc.parent_doc_no else ""
        basis = f"为贯彻落实《{doc.parent_title}》{no}精神，"
    return _scope(
        doc,
        f"{doc.year}年，{basis}{{全}}政务公开工作要坚持以人民为中心的发展思想，"
        "围绕中心工作和群众关切，进一步提升政务公开质量和实效。重点做好以下工作。",
    )


def _notice(doc: RenderDoc) -> list[str]:
    approver = _scope(doc, "{政府}") if doc.level != "national" else "国务院"
    lines = [doc.issuer, "", f"关于印发{doc.title}的通知"]
    if doc.doc_no:
        lines += ["", doc.doc_no]
    lines += [
        "",
        _addressees(doc),
        "",
        f"《{doc.title}》已经{approver}同意，现印发给你们，请结合实际认真贯彻落实。",
        "",
        doc.issuer,
        "",
        _date(doc.date),
        "",
    ]
    return lines


def _grouped(doc: RenderDoc):
    """(seq, item, section heading or ``""``): the heading where a new section starts.

    Sections are numbered 一、二、… among those the plan still has, so a section whose duties
    were all dropped leaves no hole in the numbering.
    """
    present = sorted({it.section for it in doc.items})
    current = None
    for seq, item in enumerate(doc.items, start=1):
        heading = ""
        if item.section != current:
            current = item.section
            heading = f"{chinese_numeral(present.index(current) + 1)}、{_scope(doc, doc.sections[current])}"
        yield seq, item, heading


def render_prose(doc: RenderDoc) -> str:
    """A notice and numbered prose, each item closed by its assignment tail."""
    lines = _notice(doc) + [doc.title, "", _preamble(doc), ""]
    collective = collective_units(doc.level, doc.region).replace("，", "、")
    heading_mark, item_mark = ("#### ", "- ") if doc.markdown else ("", "")
    for seq, item, heading in _grouped(doc):
        if heading:
            lines += [heading_mark + heading, ""]
        tail = f"〔牵头单位：{'、'.join(_leads(doc, item))}；责任单位：{collective}〕"
        lines += [f"{item_mark}（{chinese_numeral(seq)}）{_title(doc, item)}。{_body(doc, item)}{tail}", ""]
    if doc.markdown:
        lines = [("## " if line == doc.issuer and k == 0 else "### " if line == doc.title and k > 0 else "") + line for k, line in enumerate(lines)]
    return "\n".join(lines).rstrip() + "\n"


def _table_head(doc: RenderDoc) -> list[str]:
    """A table with a 文号 comes under its 关于印发 notice (眉山 2023); one without starts bare."""
    head = _notice(doc) if doc.doc_no else []
    return head + [" " + doc.title, ""]


def _signature(doc: RenderDoc) -> list[str]:
    """Issuer and date printed under a bare table (万源 2023); a noticed table has them above."""
    if doc.doc_no:
        return []
    return ["", "", f"{doc.issuer}                   {_date(doc.date)}印发"]


def render_cells(doc: RenderDoc) -> str:
    """One cell per tab-led line: 序号 / 重点任务 / 工作进度 / 责任单位; issuer and date at the end."""
    lines = _table_head(doc)
    lines += ["\t序号", "\t重点任务", "\t完成时限", "\t责任单位", ""]
    collective = collective_units(doc.level, doc.region)
    for seq, item, heading in _grouped(doc):
        if heading:
            lines += ["\t" + heading, ""]
        units = "、".join(n + "（牵头）" for n in _leads(doc, item)) + "，" + collective
        lines += [
            f"\t{seq}",
            f"\t{_title(doc, item)}。{_body(doc, item)}",
            f"\t{_scope(doc, item.deadline)}",
            f"\t{units}",
            "",
        ]
    return "\n".join(lines + _signature(doc)) + "\n"


def render_rows(doc: RenderDoc) -> str:
    """One row per tab-led line with 牵头单位 and 责任单位 columns; issuer and date at the end."""
    lines = _table_head(doc)
    lines.append("\t序号\t工作任务\t工作内容\t牵头单位\t责任单位\t完成时限")
    collective = collective_units(doc.level, doc.region).replace("，", "、")
    for seq, item, heading in _grouped(doc):
        if heading:
            lines.append("\t" + heading)
        lines.append(
            f"\t{seq}\t{_title(doc, item)}\t{_body(doc, item)}\t{'、'.join(_leads(doc, item))}"
            f"\t{collective}\t{_scope(doc, item.deadline)}"
        )
    return "\n".join(lines + _signature(doc)) + "\n"


def _wrap(text: str, width: int) -> list[str]:
    return [text[k : k + width] for k in range(0, len(text), width)]


def render_flat(doc: RenderDoc) -> str:
    """A PDF table extracted line by line: every cell wrapped at its column's width, blank lines
    between, a page number and the header again every :data:`FLAT_PAGE_LINES` lines (眉山 2023).
    """
    header = "序号 工作任务 具体措施 责任单位 完成时限"
    lines = _table_head(doc) + [header, ""]
    collective = collective_units(doc.level, doc.region).replace("，", "、")
    page, on_page = 1, 0
    for seq, item, _heading in _grouped(doc):
        cells = [str(seq)]
        for text, width in zip(
            (_title(doc, item), _body(doc, item), "、".join(_leads(doc, item)) + "、" + collective, _scope(doc, item.deadline)),
            FLAT_WIDTHS,
        ):
            cells += _wrap(text, width)
        if on_page + len(cells) > FLAT_PAGE_LINES and on_page:
            lines += [f"- {page} -", "", header, ""]
            page, on_page = page + 1, 0
        for cell in cells:
            lines += [cell, ""]
        on_page += len(cells)
    return "\n".join(lines + _signature(doc)) + "\n"


_RENDERERS = {"prose": render_prose, "cells": render_cells, "rows": render_rows, "flat": render_flat}


def render(doc: RenderDoc) -> str:
    """The text of ``doc`` in its shape."""
    return _RENDERERS[doc.shape](doc)
