"""The report as one self-contained HTML page: tables rendered here, filters and graph in vanilla JS.

Tables, cards and the heatmap are rendered on the server side, so the page reads without
JavaScript and prints; the script only filters rows and draws the lineage graph from a JSON blob
in the page.  Styles and script are inlined from ``templates/`` and a Content-Security-Policy of
``default-src 'none'`` makes the browser refuse any request the page might try, so it opens from
disk, offline, and can be forwarded as one file.

Notes
-----
Fonts are a CJK-first stack (Noto Sans CJK SC, WenQuanYi Zen Hei, Microsoft YaHei …): whichever
the reader's machine has renders the Chinese; nothing is downloaded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
import html
import json
from collections import Counter, defaultdict
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any, Iterable, Mapping, Sequence

from policy_lineage.report.data import (
    STATUS_LABELS,
    ReportData,
    as_list,
    coverage_matrix,
    derive_coverage,
    figures,
    governments,
    implements,
    item_ref,
    store_counts,
)

__all__ = ["render_html", "page_html", "duty_label", "CELL_MARKS"]

#: The mark printed in a heatmap cell, so status reads without colour too.
CELL_MARKS = {"covered": "✓", "partial": "◐", "gap": "✗", "accepted": "—", "no data": "·"}

_GAP_STATUSES = ("gap", "partial", "accepted")


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _template(name: str) -> str:
    return resources.files("policy_lineage.report").joinpath("templates", name).read_text(encoding="utf-8")


def duty_label(seq: Any, label: str | None = None) -> str:
    """How a reader names an item: its printed label, else "第N项".

    >>> duty_label(3, "（三）"), duty_label(12), duty_label(None)
    ('（三）', '第12项', '')
    """
    if label:
        return str(label)
    return f"第{seq}项" if seq not in (None, "") else ""


def _status_badge(status: str) -> str:
    zh, en = STATUS_LABELS.get(status, (status, status))
    return f'<span class="badge {_e(status)}">{_e(zh)}</span><span class="en">{_e(en)}</span>'


def _cards(data: ReportData, govs: Sequence[str]) -> str:
    figs = [("下级政府", "governments", len(govs)), *figures(data)]
    css = {"缺项": "gap", "部分承接": "partial", "承接率": "covered"}
    return "".join(
        f'<div class="card {css.get(zh, "")}"><div class="value">{_e(v)}</div>'
        f'<div class="label">{_e(zh)}<span class="en">{_e(en)}</span></div></div>'
        for zh, en, v in figs
    )


def _store_counts(data: ReportData) -> str:
    counts = store_counts(data)
    if not counts:
        return ""
    cells = "".join(f"<tr><td>{_e(k)}</td><td class=\"num\">{_e(v)}</td></tr>" for k, v in counts.items())
    return (
        '<details class="store-counts"><summary>数据库统计 <span class="en">store counts</span></summary>'
        f'<table class="gov-summary"><tbody>{cells}</tbody></table></details>'
    )


def _gov_summary(data: ReportData, govs: Sequence[str]) -> str:
    per: dict[str, Counter] = defaultdict(Counter)
    for row in data.coverage:
        per[str(row["child_region"])][str(row.get("status"))] += 1
    cols = ("covered", "partial", "gap", "accepted")
    head = "".join(f'<th class="num">{_e(STATUS_LABELS[c][0])}<span class="en">{c}</span></th>' for c in cols)
    body = "".join(
        f'<tr><td>{_e(gov)}</td>' + "".join(f'<td class="num">{per[gov][c]}</td>' for c in cols) + "</tr>"
        for gov in govs
    )
    return (
        '<table class="gov-summary"><thead><tr><th>下级政府<span class="en">Government</span></th>'
        f"{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _chips(kind: str, values: Sequence[tuple[str, str, int]], *, all_label: str | None) -> str:
    out = []
    if all_label is not None:
        out.append(f'<button type="button" class="chip" data-{kind}="" aria-pressed="true">{all_label}</button>')
    pressed = "false" if all_label is not None else "true"
    for value, text, n in values:
        out.append(
            f'<button type="button" class="chip" data-{kind}="{_e(value)}" aria-pressed="{pressed}">'
            f'{text}<span class="n">{n}</span></button>'
        )
    return "".join(out)


def _units_cell(units: Sequence[str]) -> str:
    if not units:
        return '<span class="muted">未列明 none named</span>'
    return "".join(f"<span>{_e(u)}</span>" for u in units)


def _missing_cell(row: Mapping[str, Any]) -> str:
    missing = as_list(row.get("missing"), split=False)
    if row.get("status") == "gap" and not missing:
        return '<span class="muted">整项未承接 whole duty</span>'
    if not missing:
        return '<span class="muted">—</span>'
    return '<ul class="missing">' + "".join(f"<li>{_e(m)}</li>" for m in missing) + "</ul>"


def _gap_row(row: Mapping[str, Any], items: Mapping[str, Mapping]) -> str:
    ref = item_ref(row["parent_doc"], row["parent_seq"])
    item = items.get(ref, {})
    units = as_list(row.get("responsible"))
    status = str(row.get("status"))
    title = row.get("parent_title") or item.get("title") or ""
    text = row.get("parent_text") or item.get("text") or ""
    deadline = row.get("deadline") or item.get("deadline") or ""
    best = row.get("best_candidate_seq")
    score = row.get("best_score")
    best_cell = (
        f'第{_e(best)}项<br><span class="muted">相似度 score {float(score):.2f}</span>'
        if best not in (None, "") and score not in (None, "")
        else '<span class="muted">—</span>'
    )
    search = " ".join(
        str(x) for x in (row.get("child_region"), row.get("parent_doc"), title, text, row.get("missing"), *units) if x
    ).lower()
    details = f"<details><summary>上级原文 full text</summary><p>{_e(text)}</p></details>" if text else ""
    return (
        f'<tr class="gap-row {_e(status)}" data-region="{_e(row["child_region"])}" data-status="{_e(status)}" '
        f'data-units="{_e("|".join(units))}" data-duty="{_e(ref)}" data-search="{_e(search)}">'
        f'<td class="status">{_status_badge(status)}</td>'
        f'<td><div class="duty-ref">{_e(row.get("parent_region"))} · {_e(row["parent_doc"])} · '
        f'{_e(duty_label(row["parent_seq"], item.get("label")))}</div>'
        f'<div class="duty-title">{_e(title or text[:40])}</div>{details}</td>'
        f"<td>{_missing_cell(row)}</td><td>{best_cell}</td>"
        f'<td class="units">{_units_cell(units)}</td>'
        f'<td>{_e(deadline) or "<span class=muted>—</span>"}</td></tr>'
    )


_GAP_HEAD = (
    "<thead><tr>"
    '<th>状态<span class="en">Status</span></th>'
    '<th>上级任务<span class="en">Higher-level duty</span></th>'
    '<th>未承接内容<span class="en">Missing clauses</span></th>'
    '<th>最接近条目<span class="en">Best candidate</span></th>'
    '<th>责任单位<span class="en">Responsible units</span></th>'
    '<th>时限<span class="en">Deadline</span></th>'
    "</tr></thead>"
)


def _gap_tables(gaps: Sequence[Mapping], govs: Sequence[str], items: Mapping[str, Mapping]) -> str:
    by_gov: dict[str, list[Mapping]] = defaultdict(list)
    for row in gaps:
        by_gov[str(row["child_region"])].append(row)
    order = {s: i for i, s in enumerate(_GAP_STATUSES)}
    blocks = []
    for gov in govs:
        rows = sorted(by_gov.get(gov, []), key=lambda r: (order.get(str(r.get("status")), 9), str(r["parent_doc"]), _num(r["parent_seq"])))
        if not rows:
            continue
        counts = Counter(str(r.get("status")) for r in rows)
        badges = " ".join(
            f'<span class="badge {s}">{STATUS_LABELS[s][0]} {counts[s]}</span>' for s in _GAP_STATUSES if counts[s]
        )
        docs = "；".join(dict.fromkeys(str(r.get("child_doc")) for r in rows if r.get("child_doc")))
        body = "".join(_gap_row(r, items) for r in rows)
        blocks.append(
            f'<div class="gov-block" data-region="{_e(gov)}"><div class="gov-head"><h3>{_e(gov)}</h3>{badges}'
            f'<span class="doc">本级文件 document: {_e(docs or "—")}</span></div>'
            f'<table class="gaps">{_GAP_HEAD}<tbody>{body}</tbody></table></div>'
        )
    if not blocks:
        return '<p class="empty">未发现缺项。<span class="en">No gaps found.</span></p>'
    return "".join(blocks)


def _num(seq: Any) -> float:
    try:
        return float(seq)
    except (TypeError, ValueError):
        return float("inf")


def _legend() -> str:
    return '<div class="legend">' + "".join(
        f'<span><i class="sw {s.replace(" ", "")}"></i>{CELL_MARKS[s]} {STATUS_LABELS[s][0]}'
        f'<span class="en">{STATUS_LABELS[s][1]}</span></span>'
        for s in CELL_MARKS
    ) + "</div>"


def _heatmap(coverage: Sequence[Mapping], items: Mapping[str, Mapping]) -> str:
    duties, govs, cells = coverage_matrix(coverage)
    if not duties:
        return '<p class="empty">没有覆盖数据。<span class="en">No coverage data.</span></p>'
    head = "".join(f'<th class="gov">{_e(g)}</th>' for g in govs)
    rows, current = [], None
    for duty in duties:
        if duty["doc"] != current:
            current = duty["doc"]
            rows.append(f'<tr class="doc-row"><td colspan="{len(govs) + 1}">{_e(current)}</td></tr>')
        item = items.get(duty["ref"], {})
        title = duty["title"] or item.get("title") or (item.get("text") or "")[:30]
        cols = []
        for g in govs:
            # a government with no document answering to this duty's document: no data
            status = cells.get((duty["ref"], g), "no data")
            zh = STATUS_LABELS.get(status, (status,))[0]
            cols.append(
                f'<td class="cell {_e(status.replace(" ", ""))}" data-region="{_e(g)}" data-status="{_e(status)}" '
                f'title="{_e(g)} · {_e(zh)} {_e(status)}">{CELL_MARKS.get(status, "?")}</td>'
            )
        rows.append(
            f'<tr data-duty="{_e(duty["ref"])}"><td class="duty" title="{_e(title)}">'
            f'<span class="duty-ref">{_e(duty_label(duty["seq"], item.get("label")))}</span> {_e(_short(title, 34))}</td>'
            + "".join(cols)
            + "</tr>"
        )
    return (
        '<div class="heat-wrap"><table class="heat"><thead><tr><th>上级任务<span class="en">Duty</span></th>'
        f'{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
    )


def _short(text: str, n: int) -> str:
    text = text or ""
    return text if len(text) <= n else text[: n - 1] + "…"


def _duties(gaps: Sequence[Mapping], coverage: Sequence[Mapping], edges: Sequence[Mapping], items: Mapping) -> list[dict]:
    """Every duty a reader can trace: parents of links, gaps or coverage rows, in document order."""
    found: dict[str, dict[str, Any]] = {}
    for row in (*coverage, *gaps, *edges):
        ref = item_ref(row["parent_doc"], row["parent_seq"])
        entry = found.setdefault(
            ref, {"ref": ref, "doc": row["parent_doc"], "seq": row["parent_seq"], "region": row.get("parent_region"), "title": None}
        )
        entry["title"] = entry["title"] or row.get("parent_title") or items.get(ref, {}).get("title")
        entry["region"] = entry["region"] or row.get("parent_region")
    return sorted(found.values(), key=lambda d: (str(d["doc"]), _num(d["seq"])))


def _duty_options(duties: Sequence[Mapping], gaps: Sequence[Mapping], items: Mapping) -> str:
    with_gap = {item_ref(g["parent_doc"], g["parent_seq"]) for g in gaps if g.get("status") in ("gap", "partial")}
    chosen = next((d["ref"] for d in duties if d["ref"] in with_gap), duties[0]["ref"] if duties else None)
    groups: dict[str, list[str]] = defaultdict(list)
    for d in duties:
        label = duty_label(d["seq"], items.get(d["ref"], {}).get("label"))
        mark = " ⚠" if d["ref"] in with_gap else ""
        sel = " selected" if d["ref"] == chosen else ""
        groups[str(d["doc"])].append(
            f'<option value="{_e(d["ref"])}"{sel}>{_e(label)} {_e(_short(d["title"] or "", 40))}{mark}</option>'
        )
    return "".join(f'<optgroup label="{_e(doc)}">{"".join(opts)}</optgroup>' for doc, opts in groups.items())


def _json_for_script(value: Any) -> str:
    """JSON safe inside ``<script>``: no ``</`` or ``<!--`` can end the element early.

    >>> _json_for_script({"a": "</script>"})
    '{"a": "\\\\u003c/script>"}'
    """
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")


def _graph_payload(data: ReportData, duties: Sequence[Mapping]) -> dict[str, Any]:
    items: dict[str, dict[str, Any]] = {}

    def item(ref: str, region: Any, doc: Any, seq: Any, title: Any = None) -> None:
        known = data.items.get(ref, {})
        items.setdefault(
            ref,
            {
                "region": known.get("region") or region,
                "level": known.get("level"),
                "doc": known.get("doc") or doc,
                "seq": seq,
                "label": duty_label(seq, known.get("label")),
                "title": known.get("title") or title,
                "text": known.get("text"),
                "units": as_list(known.get("units")),
                "deadline": known.get("deadline"),
            },
        )

    edges = []
    for e in data.edges:
        parent, child = item_ref(e["parent_doc"], e["parent_seq"]), item_ref(e["child_doc"], e["child_seq"])
        item(parent, e.get("parent_region"), e["parent_doc"], e["parent_seq"], e.get("parent_title"))
        item(child, e.get("child_region"), e["child_doc"], e["child_seq"], e.get("child_title"))
        score = e.get("score")
        edges.append(
            {
                "parent": parent,
                "child": child,
                "score": None if score in (None, "") else round(float(score), 3),
                "status": e.get("status"),
                "evidence": e.get("evidence"),
            }
        )
    for d in duties:
        item(d["ref"], d.get("region"), d["doc"], d["seq"], d.get("title"))
    gaps = [
        {
            "duty": item_ref(g["parent_doc"], g["parent_seq"]),
            "region": g["child_region"],
            "doc": g.get("child_doc"),
            "status": g.get("status"),
            "missing": as_list(g.get("missing"), split=False),
            "best": None if g.get("best_candidate_seq") in (None, "") else item_ref(g.get("child_doc"), g["best_candidate_seq"]),
            "responsible": as_list(g.get("responsible")),
        }
        for g in data.gaps
    ]
    labels = {k: list(v) for k, v in STATUS_LABELS.items()}
    return {"items": items, "edges": edges, "gaps": gaps, "statusLabels": labels}


def page_html(data: ReportData, *, files: Iterable[tuple[str, str]] = (), source: str = "", generated: str | None = None) -> str:
    """The whole page as a string.

    Parameters
    ----------
    data : ReportData
        Rows to show; coverage is derived from gaps and links when it is empty.
    files : iterable of (href, label)
        Companion files written beside the page (the workbook, the plots), linked at the end.
    source : str
        Where the data came from (database path), printed under the title.
    generated : str, optional
        Timestamp to print; now, to the minute, by default.
    """
    from policy_lineage import __version__

    data = replace(data, edges=implements(data.edges))
    if not data.coverage:
        data = replace(data, coverage=derive_coverage(data.gaps, data.edges))
    govs = governments(data.gaps, data.coverage)
    gap_rows = [g for g in data.gaps if g.get("status") in _GAP_STATUSES]
    units = Counter(u for g in gap_rows for u in as_list(g.get("responsible")))
    statuses = Counter(str(g.get("status")) for g in gap_rows)
    per_gov = Counter(str(g["child_region"]) for g in gap_rows)
    duties = _duties(data.gaps, data.coverage, data.edges, data.items)
    values = {
        "title": _e(data.title),
        "version": _e(__version__),
        "generated": _e(generated or dt.datetime.now().strftime("%Y-%m-%d %H:%M")),
        "source": _e(source or "—"),
        "css": _template("report.css"),
        "js": _template("report.js"),
        "cards": _cards(data, govs),
        "gov_summary": _gov_summary(data, govs) + _store_counts(data),
        "region_chips": _chips("region", [(g, _e(g), per_gov[g]) for g in govs if per_gov[g]], all_label="全部 All"),
        "status_chips": _chips(
            "status",
            [(s, f"{STATUS_LABELS[s][0]} <span class=en>{s}</span>", statuses[s]) for s in _GAP_STATUSES if statuses[s]],
            all_label=None,
        ),
        "unit_options": "".join(
            f'<option value="{_e(u)}">{_e(u)} ({n})</option>' for u, n in sorted(units.items(), key=lambda kv: (-kv[1], kv[0]))
        ),
        "gap_tables": _gap_tables(gap_rows, govs, data.items),
        "legend": _legend(),
        "heatmap": _heatmap(data.coverage, data.items),
        "duty_options": _duty_options(duties, data.gaps, data.items),
        "files": "".join(f'<li><a href="{_e(href)}">{_e(label)}</a></li>' for href, label in files)
        or '<li class="muted">—</li>',
        "data": _json_for_script(_graph_payload(data, duties)),
    }
    return Template(_template("report.html")).substitute(values)


def render_html(
    summary: Mapping[str, Any],
    gaps: Sequence[Mapping],
    coverage: Sequence[Mapping] | None,
    lineage_edges: Sequence[Mapping],
    out_dir: str | Path,
    *,
    items: Mapping[str, Mapping] | None = None,
    title: str | None = None,
    files: Iterable[tuple[str, str]] = (),
    source: str = "",
) -> Path:
    """Write ``index.html`` into ``out_dir`` (created if needed) and return its path.

    The rows follow the contracts in :mod:`policy_lineage.report.data`; ``coverage`` may be
    ``None`` or empty to derive it from ``gaps`` and ``lineage_edges``.
    """
    data = ReportData(
        summary=dict(summary),
        gaps=[dict(g) for g in gaps],
        coverage=[dict(c) for c in coverage or []],
        edges=[dict(e) for e in lineage_edges],
        items={k: dict(v) for k, v in (items or {}).items()},
    )
    if title:
        data.title = title
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "index.html"
    path.write_text(page_html(data, files=files, source=source), encoding="utf-8")
    return path
