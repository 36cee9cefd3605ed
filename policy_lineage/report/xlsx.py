"""gaps.xlsx: who owes what, one sheet per subordinate government, for supervisors who work in Excel.

Each government's sheet lists its open gaps, partial duties and accepted exceptions with the
missing clauses, the responsible units and the deadline, under a bilingual header row that stays
frozen and carries an autofilter.  A first sheet, 汇总, counts them per government.

Notes
-----
Excel limits sheet names to 31 characters and forbids ``[]:*?/\\``; :func:`sheet_name` cleans
and de-duplicates names so two long region names never collide.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Mapping, Sequence

from policy_lineage.report.data import STATUS_LABELS, as_list, governments, item_ref

__all__ = ["XLSX_COLUMNS", "SUMMARY_SHEET", "sheet_name", "gap_sheet_rows", "write_xlsx"]

#: (key, Chinese header, English header, width) of every column of a government's sheet.
XLSX_COLUMNS: tuple[tuple[str, str, str, int], ...] = (
    ("status", "状态", "status", 12),
    ("parent_region", "上级地区", "parent region", 10),
    ("parent_year", "年度", "year", 7),
    ("parent_doc", "上级文件", "parent document", 22),
    ("parent_seq", "序号", "seq", 6),
    ("parent_title", "上级任务", "duty", 40),
    ("missing", "未承接内容", "missing clauses", 48),
    ("responsible", "责任单位", "responsible units", 30),
    ("deadline", "时限", "deadline", 16),
    ("best_candidate_seq", "最接近条目序号", "best candidate seq", 10),
    ("best_score", "相似度", "best score", 9),
    ("child_doc", "本级文件", "local document", 30),
)

SUMMARY_SHEET = "汇总 Summary"

_BAD = re.compile(r"[\[\]:*?/\\]")


def sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unused Excel sheet name for ``name``; adds it to ``taken``.

    >>> taken = set()
    >>> sheet_name("安居区", taken), sheet_name("安居区", taken), sheet_name("a/b" * 20, taken)
    ('安居区', '安居区 (2)', 'a_ba_ba_ba_ba_ba_ba_ba_ba_ba_ba')
    """
    base = _BAD.sub("_", str(name)).strip("'") or "—"
    base = base[:31]
    candidate, n = base, 1
    while candidate.lower() in {t.lower() for t in taken}:
        n += 1
        suffix = f" ({n})"
        candidate = base[: 31 - len(suffix)] + suffix
    taken.add(candidate)
    return candidate


def _cell(key: str, row: Mapping[str, Any]) -> Any:
    value = row.get(key)
    if key == "status":
        return STATUS_LABELS.get(str(value), (value,))[0]
    if key == "missing":
        items = as_list(value, split=False)
        if not items and row.get("status") == "gap":
            return "整项未承接"
        return "\n".join(items)
    if key == "responsible":
        return "、".join(as_list(value))
    if key == "best_score" and value not in (None, ""):
        return round(float(value), 3)
    return value


def gap_sheet_rows(gaps: Sequence[Mapping[str, Any]], items: Mapping[str, Mapping] | None = None) -> dict[str, list[list[Any]]]:
    """Rows of each government's sheet (without header), gaps first, then partial, then accepted.

    >>> rows = gap_sheet_rows([{"child_region": "安居区", "status": "gap", "parent_doc": "P", "parent_seq": 3,
    ...                         "responsible": ["区财政局", "区政务服务中心"]}])
    >>> rows["安居区"][0][0], rows["安居区"][0][6], rows["安居区"][0][7]
    ('缺项', '整项未承接', '区财政局、区政务服务中心')
    """
    items = items or {}
    order = {"gap": 0, "partial": 1, "accepted": 2}
    by_gov: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for g in gaps:
        by_gov[str(g["child_region"])].append(g)
    out: dict[str, list[list[Any]]] = {}
    for gov in governments(gaps):
        rows = sorted(by_gov[gov], key=lambda r: (order.get(str(r.get("status")), 9), str(r.get("parent_doc")), _seq(r)))
        filled = []
        for r in rows:
            item = items.get(item_ref(r.get("parent_doc"), r.get("parent_seq")), {})
            full = {**r, "parent_title": r.get("parent_title") or item.get("title"), "deadline": r.get("deadline") or item.get("deadline")}
            filled.append([_cell(key, full) for key, *_ in XLSX_COLUMNS])
        out[gov] = filled
    return out


def _seq(row: Mapping[str, Any]) -> float:
    try:
        return float(row.get("parent_seq"))
    except (TypeError, ValueError):
        return float("inf")


def _header(ws, headers: Sequence[tuple[str, str, int]]) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    fill = PatternFill("solid", fgColor="8E1B16")
    bottom = Border(bottom=Side(style="medium", color="D9A441"))
    for col, (zh, en, width) in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=col, value=f"{zh}\n{en}")
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = fill
        cell.border = bottom
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[1].height = 34
    ws.freeze_panes = "A2"


def _body(ws, rows: Sequence[Sequence[Any]]) -> None:
    from openpyxl.styles import Alignment, PatternFill

    fills = {"缺项": "FBE0DC", "部分承接": "FFF1CC", "已认可不适用": "EEF0F2"}
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        status = values[0]
        if status in fills:
            ws.cell(row=r, column=1).fill = PatternFill("solid", fgColor=fills[status])
    last = ws.cell(row=max(len(rows), 0) + 1, column=ws.max_column).coordinate
    ws.auto_filter.ref = f"A1:{last}"


def write_xlsx(gaps: Sequence[Mapping[str, Any]], path: str | Path, *, items: Mapping[str, Mapping] | None = None) -> Path:
    """Write the workbook and return its path.

    Parameters
    ----------
    gaps : sequence of dict
        Gap rows (contract columns, optional ``deadline``).
    path : path
        Where to write (parent folders are created).
    items : dict, optional
        Item ref → fields, to fill a duty's title or deadline the gap row lacks.
    """
    from openpyxl import Workbook

    per_gov = gap_sheet_rows(gaps, items)
    wb = Workbook()
    summary = wb.active
    summary.title = SUMMARY_SHEET
    statuses = ("gap", "partial", "accepted")
    _header(
        summary,
        [("下级政府", "government", 18), ("工作表", "sheet", 18)]
        + [(STATUS_LABELS[s][0], s, 14) for s in statuses]
        + [("涉及责任单位", "units named", 60)],
    )
    taken = {SUMMARY_SHEET}
    summary_rows = []
    for gov, rows in per_gov.items():
        name = sheet_name(gov, taken)
        ws = wb.create_sheet(name)
        _header(ws, [(zh, en, width) for _, zh, en, width in XLSX_COLUMNS])
        _body(ws, rows)
        counts = Counter(r[0] for r in rows)
        units = Counter(u for g in gaps if str(g["child_region"]) == gov for u in as_list(g.get("responsible")))
        summary_rows.append(
            [gov, name, *[counts[STATUS_LABELS[s][0]] for s in statuses], "、".join(u for u, _ in units.most_common())]
        )
    _body(summary, summary_rows)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out
