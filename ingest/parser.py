"""Parse a policy document's text into a :class:`~policy_lineage.graph.model.Document`.

The parser recognises shapes, never particular files:

1. **tab-cell tables** (Word/web exports) — :mod:`policy_lineage.ingest.tables`;
2. **numbered prose** with 〔牵头单位…〕 tails and optional annex tables —
   :mod:`policy_lineage.ingest.prose`, :mod:`policy_lineage.ingest.annex`;
3. **flattened PDF tables** — :mod:`policy_lineage.ingest.flattened`.

A document may combine them (prose plus an annex table that assigns units by number; a table
followed by a second extraction of the same table).  Shape parsers return raw items with printed
unit and deadline text; :func:`enrich` interprets those strings in one place (units split,
resolved against the issuer's region and given roles; deadlines dated with the cycle year;
cited 文号 and standards collected).

Bad input raises :class:`~policy_lineage.errors.ParseError` naming the file and the reason.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from policy_lineage.errors import ParseError
from policy_lineage.graph.model import AnnexTable, Deadline, Document, Item, Region, SourceRef, Unit
from policy_lineage.ingest.annex import AssignmentRow, parse_assignment_annex, parse_data_annex, split_annexes
from policy_lineage.ingest.deadlines import find_deadlines, parse_deadline
from policy_lineage.ingest.docno import find_cited_titles, find_doc_nos, find_standards
from policy_lineage.ingest.flattened import is_flattened_header, parse_flattened
from policy_lineage.ingest.metadata import find_issue_date, is_plan_title, read_metadata, tail_start
from policy_lineage.ingest.prose import ANNEX_START, parse_prose
from policy_lineage.ingest.raw import Line, RawItem, to_lines
from policy_lineage.ingest.tables import (
    MAX_IRREGULAR_STEPS,
    TruncatedTable,
    number_by_position_if_grouped,
    number_index,
    number_repeats_uniquely,
    rows_to_items,
    spaced_rows,
    tab_cells,
    tab_rows,
)
from policy_lineage.ingest.text import is_page_number, squash
from policy_lineage.ingest.units import has_role_labels, parse_assignment, resolve_unit, split_units, unit_role

__all__ = ["parse_text", "parse_file", "enrich", "apply_hints"]

#: A table needs this many tab-led lines before we read the document as a tab-cell table.
MIN_TAB_LINES = 8
#: Two items with the same number whose texts are this similar are one item extracted twice.
DUPLICATE_RATIO = 0.85


def parse_file(path: str | Path, *, hints: dict | None = None) -> Document:
    """Read a file (txt, md, html, docx, pdf; any common Chinese encoding) and parse it."""
    from policy_lineage.ingest.readers import read_document

    source = read_document(path)
    doc = parse_text(source.text, str(path), hints=hints, container=source.metadata)
    doc.source_hash = source.sha256
    doc.source_format = source.format
    return doc


def parse_text(
    text: str,
    source: str = "<text>",
    *,
    hints: dict | None = None,
    container: dict | None = None,
) -> Document:
    """Parse the text of one document.

    Parameters
    ----------
    text : str
        The document's text (as a reader produced it); line numbers refer to it.
    source : str
        File name used in error messages and in each item's ``source``.
    hints : dict, optional
        Manifest values (title, doc_no, issuer, region, level, date, year) applied only where
        the text states nothing; recorded as ``manifest`` in ``metadata_origin``.
    container : dict, optional
        Metadata the file container stated (an HTML page's 信息公开 block, Word properties).

    Raises
    ------
    ParseError
        When the text is empty or holds no task items of a known shape.
    """
    lines = to_lines(text)
    if not any(line.stripped for line in lines):
        raise ParseError(source, "empty document: no text to parse")
    try:
        raw, head_end, annexes = _items_by_shape(lines)
    except TruncatedTable as e:
        raise ParseError(source, f"table is truncated: {e}", line=e.line) from e
    if not raw:
        raise ParseError(
            source,
            "no task items found: expected numbered prose ((一)… or 1.…) or a task table "
            "with 序号/任务/责任单位 columns",
        )
    meta = read_metadata(lines, head_end=head_end, container=container)
    doc = Document(
        title=meta.title or _first_line(lines),
        doc_no=meta.doc_no,
        issuer=meta.issuer,
        region=meta.region,
        region_path=meta.region_path,
        level=meta.level,
        date=meta.date,
        year=meta.year,
        forwards=meta.forwards,
        source_file=source,
        metadata_origin=dict(meta.origin),
    )
    apply_hints(doc, hints or {})
    if doc.year is None:
        years = [int(d[:4]) for d in (_first_date(r) for r in raw) if d]
        if years:
            doc.year = min(years)
            doc.metadata_origin["year"] = "inferred:deadlines"
    region = Region(doc.region, doc.level or "", tuple(doc.region_path)) if doc.region else None
    doc.items = enrich(raw, source=source, year=doc.year, region=region)
    doc.annexes = annexes
    doc.sections = list(dict.fromkeys(s for it in doc.items for s in it.section[:1]))
    own = {doc.doc_no} if doc.doc_no else set()
    doc.cites = [d for d in find_doc_nos(text) if d not in own]
    doc.cited_titles = find_cited_titles(text, own=doc.doc_no)
    return doc


def apply_hints(doc: Document, hints: dict) -> None:
    """Fill fields the text left empty from a manifest entry, recording the origin."""
    for key in ("title", "doc_no", "issuer", "region", "level", "date", "year"):
        if hints.get(key) is not None and not getattr(doc, key):
            setattr(doc, key, hints[key])
            doc.metadata_origin[key] = "manifest"
    if hints.get("region") and not doc.region_path:
        from policy_lineage.ingest.regions import resolve_region

        region = resolve_region(hints["region"])
        if region is not None:
            doc.region, doc.level, doc.region_path = region.name, doc.level or region.level, list(region.path)


# --------------------------------------------------------------------------- shapes


Shape = tuple[list[RawItem], int, list[AnnexTable]]


def _items_by_shape(lines: list[Line]) -> Shape:
    """Raw items, the index where the body starts (end of the header) and data annexes.

    A table printed before the annexes is the document; a table printed only in the annexes is
    the document when no numbered prose comes before it (a notice whose plan is its annex),
    else it is an annex of that prose (the units assigned to its duties).
    """
    body_end = next((i for i, line in enumerate(lines) if ANNEX_START.match(line.text)), len(lines))
    tables = []
    for find in (_tab_table, _spaced_table):
        found = find(lines)
        if found is not None and found[0] < body_end:
            return found[1]()
        tables += [found] if found is not None else []
    prose = _prose(lines, body_end)
    if prose is not None:
        return prose
    if tables:
        return tables[0][1]()
    header_idx = next((i for i, line in enumerate(lines) if is_flattened_header(line.text)), None)
    if header_idx is not None:
        return parse_flattened(lines[header_idx:]), header_idx, []
    return [], len(lines), []


def _tab_table(lines: list[Line]):
    """(start index, parse) of a tab-cell table, or None."""
    tab_idx = [i for i, line in enumerate(lines) if line.text.startswith("\t")]
    if len(tab_idx) < MIN_TAB_LINES:
        return None

    def parse() -> Shape:
        first, last = tab_idx[0], tab_idx[-1]
        while last + 1 < len(lines) and _continues_cell(lines, last + 1):
            last += 1
        header, rows = tab_rows(tab_cells(lines[first : last + 1]))
        items = rows_to_items(rows, header)
        rest = lines[last + 1 :]
        _, again = spaced_rows(rest)
        repeated = rows_to_items(again, []) if again else []
        if repeated:
            items = items + _drop_repeats(items, repeated)
        return items, first, _data_annexes(rest)

    return tab_idx[0], parse


def _spaced_table(lines: list[Line]):
    """(start index, parse) of a table printed one row per line, or None."""
    if sum(1 for line in lines if _ROW_LIKE.search(line.text)) < MIN_SPACED_ROWS:
        return None  # prose: no line has cells to split (checked first, it is cheap)
    header, spaced = spaced_rows(lines)
    if not _counts_rows(spaced):
        return None
    numbered = [r[0].line for r in spaced if len(r) > 1]  # section rows may be prose headings
    first_no, last_no = min(numbered), max(numbered)
    first = next(i for i, line in enumerate(lines) if line.no == first_no)
    if header:
        first = max((i for i in range(first) if is_flattened_header(lines[i].text)), default=first)

    def parse() -> Shape:
        rest = [line for line in lines if line.no > last_no]
        return rows_to_items(spaced, header), first, _data_annexes(rest)

    return first, parse


def _prose(lines: list[Line], body_end: int) -> Shape | None:
    """Numbered prose before the annexes, with units from an annex that assigns them."""
    body = [line for line in lines[:body_end] if not is_page_number(line.text)]
    items = parse_prose(body)
    if len(items) < 3:
        return None
    annexes: list[AnnexTable] = []
    for title, annex_lines in split_annexes(lines[body_end:]):
        rows = _assignment_rows(annex_lines)
        if _assigns_items(rows, items):
            _merge_assignments(items, rows)
            continue
        table = _data_annex(title, annex_lines)
        if table is not None:
            annexes.append(table)
    number_by_position_if_grouped(items)  # 1. 2. restarting under each heading
    head_end = next(i for i, line in enumerate(lines) if line.no == items[0].line)
    return items, _head_end_before_preamble(lines, head_end), annexes


def _assignment_rows(lines: list[Line]) -> list[AssignmentRow]:
    """Rows of an annex that assigns units to numbered duties: a PDF-flattened annex, or a
    table with cells (Word, web page: 序号 | 重点工作 | 责任单位 on tab-separated lines)."""
    rows = parse_assignment_annex(lines)
    if any(r.units for r in rows):
        return rows
    table = _tab_table(lines) or _spaced_table(lines)
    if table is None:
        return rows
    try:
        items, _, _ = table[1]()
    except (TruncatedTable, ValueError):
        return rows
    return [
        AssignmentRow(it.number, it.text, it.units.get("cell") or it.units.get("lead", ""), it.line)
        for it in items
        if it.number is not None
    ]


#: A line after a table's last tab-led cell that starts something new, not more of the cell: an
#: annex heading (附件1 …), a row of another extraction (cells split by wide gaps), a header row.
_WIDE_GAP = re.compile(r"\S(?: {2,}|\u3000{2,})\S")


def _continues_cell(lines: list[Line], i: int) -> bool:
    """Whether ``lines[i]``, without a tab, right after a tab-cell table is more of its last cell.

    A cell's further lines follow it directly; a blank line, a tab-led line, an annex or title
    heading, a page number, a signature or a row printed by another extraction ends the table,
    so text after the table is never glued onto the last row's units.
    """
    line = lines[i]
    s = line.stripped
    if tail_start(lines[: i + 3], i) == i:
        return False
    if find_issue_date([line]) and not any(later.stripped for later in lines[i + 1 :]):
        return False  # the signature's date, the file's last line: tab cells' own lines have a tab
    if not s or line.text.startswith("\t") or is_page_number(s):
        return False
    if ANNEX_START.match(line.text) or _WIDE_GAP.search(line.text) or is_flattened_header(s) or is_plan_title(s):
        return False
    return True


#: A table printed one row per line needs this many numbered rows to be read as one.
MIN_SPACED_ROWS = 3
#: A line that may be such a row: a number then a tab, a wide gap or a pipe (after a group cell).
_ROW_LIKE = re.compile(r"^\s*(?:\|\s*)?(?:[^\t|]*?(?:\t|\||\s{2,}|\u3000)\s*)?\d{1,3}\s*(?:\t|\||\s{2,}|\u3000)")


def _counts_rows(rows) -> bool:
    """Whether spaced rows form a task table: numbered 1, 2, 3 … (restarting after a section row
    at most), three cells or more, and most rows as wide as the widest common row."""
    numbered = [r for r in rows if len(r) > 1]
    if len(numbered) < MIN_SPACED_ROWS or min(len(r) for r in numbered) < 3:
        return False
    numbers = [int(r[number_index([c.text for c in r])].text) for r in numbered]
    pairs = list(zip(numbers, numbers[1:]))
    steps = sum(1 for a, b in pairs if b == a + 1 or b == 1)
    slips = sum(1 for a, b in pairs if b in (a - 1, a, a + 2, a + 3))  # a number skipped or repeated
    return numbers[0] == 1 and steps + min(slips, MAX_IRREGULAR_STEPS) >= 0.8 * (len(numbers) - 1)


def _head_end_before_preamble(lines: list[Line], first_item: int) -> int:
    """The header ends where the first section heading or item begins."""
    from policy_lineage.ingest.prose import SCHEMES

    for i in range(first_item):
        if SCHEMES["cn_comma"].match(lines[i].text):
            return i
    return first_item


def _assigns_items(rows, items: list[RawItem]) -> bool:
    """An annex assigns units to the items when it numbers (most of) the same items."""
    numbers = {it.number for it in items}
    return len(rows) >= 3 and sum(r.number in numbers for r in rows) >= 0.8 * len(rows) and any(r.units for r in rows)


def _merge_assignments(items: list[RawItem], rows) -> None:
    by_number = {it.number: it for it in items}
    for row in rows:
        item = by_number.get(row.number)
        if item is None or not row.units:
            continue
        item.units.setdefault("cell", row.units)
        item.extra["annex_title"] = row.title
        item.extra["annex_line"] = row.line


def _data_annex(title: str, lines: list[Line]) -> AnnexTable | None:
    columns, rows = parse_data_annex(lines)
    if not rows:
        return None
    first = next((line for line in lines if "\t" in line.text), lines[0])
    return AnnexTable(title=title, columns=columns, rows=rows, source=None if first is None else SourceRef("", first.no))


def _data_annexes(lines: list[Line]) -> list[AnnexTable]:
    tables = []
    for title, annex_lines in split_annexes(lines):
        table = _data_annex(title, annex_lines)
        if table is not None:
            tables.append(table)
    return tables


def _drop_repeats(first: list[RawItem], second: list[RawItem]) -> list[RawItem]:
    """Items of a second extraction that do not repeat one of the first (same number,
    near-identical text); only the second is compared with the first, each text once."""
    squashed = [(k.number, squash(k.text)) for k in first]
    kept: list[RawItem] = []
    for it in second:
        text = squash(it.text)
        if not any(
            number == it.number and difflib.SequenceMatcher(None, other, text).ratio() >= DUPLICATE_RATIO
            for number, other in squashed
        ):
            kept.append(it)
            squashed.append((it.number, text))
    return kept


# --------------------------------------------------------------------------- enrichment


def enrich(raw: list[RawItem], *, source: str, year: int | None, region: Region | None) -> list[Item]:
    """Interpret printed units and deadlines; number items by position where needed."""
    number_repeats_uniquely(raw)  # an item's number is its id within the document
    items: list[Item] = []
    for position, r in enumerate(raw, start=1):
        lead, others = _units(r, region)
        items.append(
            Item(
                seq=r.number if r.number is not None else position,
                label=r.label or str(position),
                text=r.text,
                section=list(r.section),
                title=r.title,
                lead_units=lead,
                units=others,
                deadline=_deadline(r, year),
                cites=find_doc_nos(r.text),
                standards=find_standards(r.text),
                source=SourceRef(source, r.line),
                extra=dict(r.extra),
            )
        )
    return items


def _units(r: RawItem, region: Region | None) -> tuple[list[Unit], list[Unit]]:
    lead: list[Unit] = []
    others: list[Unit] = []
    labelled = [k for k in ("tail", "cell") if k in r.units and (k == "tail" or has_role_labels(r.units[k]))]
    for key in labelled:  # 牵头单位：…；配合单位：… in a tail or a units cell
        roles = parse_assignment(r.units[key])
        for name in roles.get("lead", []):
            lead.append(resolve_unit(name, region, role="lead"))
        for role in ("responsible", "guide"):
            for name in roles.get(role, []):
                others.append(resolve_unit(name, region, role=role))
    for key in ("lead", "cell"):
        if key not in r.units or key in labelled:
            continue
        for piece in split_units(r.units[key]):
            name, role = unit_role(piece)
            role = "lead" if key == "lead" else role
            unit = resolve_unit(name, region, role=role)
            (lead if role == "lead" else others).append(unit)
    return _unique(lead), _unique(others)


def _unique(units: list[Unit]) -> list[Unit]:
    seen: set[tuple[str, str]] = set()
    out = []
    for u in units:
        if (u.name, u.role) not in seen:
            seen.add((u.name, u.role))
            out.append(u)
    return out


def _deadline(r: RawItem, year: int | None) -> Deadline | None:
    if r.deadline:
        return parse_deadline(r.deadline, year)
    found = [d for d in find_deadlines(r.text, year) if d.date]
    if not found:
        return None
    latest = max(found, key=lambda d: d.date)
    return Deadline(text="；".join(d.text for d in found), date=latest.date, kind="date")


def _first_date(r: RawItem) -> str | None:
    d = parse_deadline(r.deadline, None) if r.deadline else None
    return d.date if d and d.date else None


def _first_line(lines: list[Line]) -> str:
    return next(line.stripped.lstrip("#").strip() for line in lines if line.stripped)[:80]
