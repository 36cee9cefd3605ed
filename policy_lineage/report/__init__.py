"""``lineage report``: what supervisors open, filter and forward.

One call, :func:`write_report`, writes into a folder

* ``index.html`` — a self-contained page (summary, gap tables per subordinate government with
  filters and search, coverage heatmap, lineage graph of a chosen duty), no network request;
* ``gaps.xlsx`` — one sheet per subordinate government, frozen bilingual header, autofilter;
* ``coverage.png`` and ``gaps_by_government.png``.

The renderers take rows (:class:`ReportData`), never a store; :func:`collect` fills them from a
store through the named queries, so the report shows what ``lineage gaps`` prints.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from policy_lineage.report.data import ReportData, collect, derive_coverage
from policy_lineage.report.html import page_html, render_html
from policy_lineage.report.plots import write_plots
from policy_lineage.report.xlsx import write_xlsx

__all__ = ["ReportData", "collect", "render_html", "write_xlsx", "write_plots", "write_report"]


def write_report(data: ReportData, out_dir: str | Path, *, source: str = "") -> list[Path]:
    """Write the page, the workbook and the plots into ``out_dir``; return the paths written.

    ``source`` (the database the rows came from) is printed under the page title.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if not data.coverage:
        data = replace(data, coverage=derive_coverage(data.gaps, data.edges))
    xlsx = write_xlsx(data.gaps, out / "gaps.xlsx", items=data.items)
    plots = write_plots(data.coverage, data.gaps, out)
    files = [
        (xlsx.name, "gaps.xlsx — 各下级政府缺项清单 gaps per government (Excel)"),
        (plots[0].name, "coverage.png — 承接覆盖热力图 coverage heatmap"),
        (plots[1].name, "gaps_by_government.png — 各政府缺项数 gaps per government"),
    ]
    index = out / "index.html"
    index.write_text(page_html(data, files=files, source=source), encoding="utf-8")
    return [index, xlsx, *plots]
