"""PNG pictures for slides and mail: the coverage heatmap and gaps per subordinate government.

matplotlib draws with the Agg backend (no display needed).  Chinese labels need a font that
covers CJK: :func:`cjk_font` looks for one among the fonts matplotlib can see (Noto Sans CJK,
WenQuanYi Zen Hei — Debian's ``fonts-wqy-zenhei`` — Source Han Sans, Microsoft YaHei …) and the
plots warn, once, when there is none, because the labels would then print as empty boxes.
"""

from __future__ import annotations

import logging
import warnings
from collections import Counter
from pathlib import Path
from typing import Any, Mapping, Sequence

from policy_lineage.report.data import COVERAGE_STATUSES, STATUS_LABELS, coverage_matrix, governments

__all__ = ["CJK_FONTS", "NoCJKFontWarning", "cjk_font", "plot_coverage", "plot_gaps", "write_plots"]

#: Font families that cover simplified Chinese, most wanted first.
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
    "AR PL UMing CN",
)

#: Cell colours, shared in spirit with the HTML heatmap.
COLORS = {"covered": "#cfe8d4", "partial": "#fde3a7", "gap": "#f4b4ab", "accepted": "#dfe3e8", "no data": "#fafafa"}


class NoCJKFontWarning(UserWarning):
    """No installed font covers Chinese; labels in the PNG plots will not render."""


def cjk_font() -> str | None:
    """The first family of :data:`CJK_FONTS` matplotlib can use, else ``None``."""
    from matplotlib import font_manager

    available = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in available), None)


def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    font = cjk_font()
    if font is None:
        warnings.warn(
            "no CJK font found (install fonts-wqy-zenhei or fonts-noto-cjk); Chinese labels in the PNG plots will not render",
            NoCJKFontWarning,
            stacklevel=3,
        )
    else:
        plt.rcParams["font.sans-serif"] = [font, *plt.rcParams["font.sans-serif"]]
    plt.rcParams["font.family"] = "sans-serif"
    plt.rcParams["axes.unicode_minus"] = False
    return plt


def _short(text: str, n: int = 18) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def plot_coverage(coverage: Sequence[Mapping[str, Any]], path: str | Path) -> Path:
    """Duties × governments, one coloured cell per status, written as a PNG."""
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    plt = _pyplot()
    duties, govs, cells = coverage_matrix(coverage)
    codes = {s: i for i, s in enumerate(COVERAGE_STATUSES)}
    matrix = [[codes.get(cells.get((d["ref"], g), "no data"), codes["no data"]) for g in govs] for d in duties] or [[4]]
    height = max(3.0, 0.32 * len(duties) + 1.8)
    width = max(6.0, 1.3 * len(govs) + 5.5)
    fig, ax = plt.subplots(figsize=(width, height), dpi=120)
    cmap = ListedColormap([COLORS[s] for s in COVERAGE_STATUSES])
    ax.imshow(matrix, cmap=cmap, vmin=-0.5, vmax=len(COVERAGE_STATUSES) - 0.5, aspect="auto")
    ax.set_xticks(range(len(govs)), govs)
    ax.xaxis.tick_top()
    labels = [f"{_short(str(d['doc']), 14)} #{d['seq']}  {_short(str(d['title'] or ''))}" for d in duties]
    ax.set_yticks(range(len(duties)), labels, fontsize=8)
    ax.set_xticks([x - 0.5 for x in range(1, len(govs))], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, len(duties))], minor=True)
    ax.grid(which="minor", color="white", linewidth=1.5)
    ax.tick_params(which="minor", length=0)
    handles = [Patch(facecolor=COLORS[s], edgecolor="#999", label=f"{STATUS_LABELS[s][0]} {s}") for s in COVERAGE_STATUSES]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=8)
    ax.set_title("承接覆盖情况 Coverage: duties × subordinate governments", pad=28, fontsize=11)
    fig.tight_layout()
    out = Path(path)
    fig.savefig(out)
    plt.close(fig)
    return out


def plot_gaps(gaps: Sequence[Mapping[str, Any]], path: str | Path) -> Path:
    """Open gaps and partial duties per government as stacked horizontal bars, written as a PNG."""
    from matplotlib.ticker import MaxNLocator

    plt = _pyplot()
    govs = governments(gaps)
    counts = {s: Counter(str(g["child_region"]) for g in gaps if g.get("status") == s) for s in ("gap", "partial", "accepted")}
    fig, ax = plt.subplots(figsize=(7.5, max(2.5, 0.5 * len(govs) + 1.5)), dpi=120)
    left = [0] * len(govs)
    edge = {"gap": "#a8201a", "partial": "#b26a00", "accepted": "#6b7280"}
    for status in ("gap", "partial", "accepted"):
        values = [counts[status][g] for g in govs]
        ax.barh(govs, values, left=left, color=COLORS[status], edgecolor=edge[status], label=f"{STATUS_LABELS[status][0]} {status}")
        for y, (x0, v) in enumerate(zip(left, values)):
            if v:
                ax.text(x0 + v / 2, y, str(v), ha="center", va="center", fontsize=9, color=edge[status])
        left = [a + b for a, b in zip(left, values)]
    ax.invert_yaxis()
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("上级任务数 duties")
    ax.set_title("各下级政府缺项 Gaps per subordinate government", fontsize=11)
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    out = Path(path)
    fig.savefig(out)
    plt.close(fig)
    return out


def write_plots(coverage: Sequence[Mapping[str, Any]], gaps: Sequence[Mapping[str, Any]], out_dir: str | Path) -> list[Path]:
    """Both plots into ``out_dir``: ``coverage.png`` and ``gaps_by_government.png``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    # WenQuanYi Zen Hei has only a medium weight; matplotlib logs its (correct) fallback on
    # every text, which would bury a real warning.
    fonts_log = logging.getLogger("matplotlib.font_manager")
    level = fonts_log.level
    fonts_log.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("once", NoCJKFontWarning)
            return [plot_coverage(coverage, out / "coverage.png"), plot_gaps(gaps, out / "gaps_by_government.png")]
    finally:
        fonts_log.setLevel(level)
