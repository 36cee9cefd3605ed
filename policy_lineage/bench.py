"""The benchmark: a synthetic corpus built end to end, scored against its truth, timed.

:func:`run_bench` generates ``n_docs`` plans (:mod:`policy_lineage.synthetic`) in a temporary
folder and runs the same :func:`policy_lineage.pipeline.build` the CLI runs (parse, link, load
into the embedded store), then in the same process:

* the latency of the ``gaps``, ``coverage`` and ``trace_down`` queries on the stored graph;
* link precision/recall/F1 against the true IMPLEMENTS pairs, and gap precision/recall against
  the true gaps (a duty no item of the answering plan carries);
* the naive baseline (:func:`policy_lineage.graph.baseline.baseline_links`: all pairs, character
  TF-IDF, best match) on the same parsed documents, timed and scored the same way.

Scores count every predicted link, including links to a document that is not the child's true
parent, so a linker cannot gain by linking where the truth is silent.  Peak RSS is the
process's high-water mark (``ru_maxrss``, children included) after the build, before the
baseline runs.  Times are wall-clock seconds; the tests never compare them with anything.

The result is written as JSON with the keys of the contract in DESIGN.md (``docs``, ``items``,
``build_s``, ``link_s``, ``peak_rss_mb``, ``link_f1``, ``gap_recall``, ``gap_precision``,
``baseline_link_s``, ``baseline_f1``) plus extras, and as a markdown table beside it.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from policy_lineage.errors import LineageError

__all__ = ["CONTRACT_KEYS", "Bench", "prf", "machine", "revision", "peak_rss_mb", "run_bench", "to_markdown", "write_results"]

#: Keys every result carries (DESIGN.md, ``lineage bench``).
CONTRACT_KEYS = (
    "docs",
    "items",
    "build_s",
    "link_s",
    "peak_rss_mb",
    "link_f1",
    "gap_recall",
    "gap_precision",
    "baseline_link_s",
    "baseline_f1",
)

Progress = Callable[[str, int, int], None]


@dataclass
class Bench:
    """One benchmark run: the contract's figures first, then the detail behind them."""

    docs: int
    items: int
    build_s: float
    link_s: float
    peak_rss_mb: float
    link_f1: float
    gap_recall: float
    gap_precision: float
    baseline_link_s: float
    baseline_f1: float
    seed: int = 0
    generate_s: float = 0.0
    parse_s: float = 0.0
    load_s: float = 0.0
    link_precision: float = 0.0
    link_recall: float = 0.0
    links_true: int = 0
    links_predicted: int = 0
    gaps_true: int = 0
    gaps_predicted: int = 0
    baseline_precision: float = 0.0
    baseline_recall: float = 0.0
    baseline_gap_recall: float = 0.0
    baseline_gap_precision: float = 0.0
    speedup_vs_baseline: float = 0.0
    corpus_baseline_link_s: float | None = None
    corpus_baseline_precision: float | None = None
    corpus_baseline_recall: float | None = None
    corpus_baseline_f1: float | None = None
    corpus_baseline_gap_recall: float | None = None
    corpus_baseline_gap_precision: float | None = None
    speedup_vs_corpus_baseline: float | None = None
    items_per_s: dict[str, float] = field(default_factory=dict)
    query_s: dict[str, float] = field(default_factory=dict)
    query_rows: dict[str, int] = field(default_factory=dict)
    levels: dict[str, int] = field(default_factory=dict)
    by_kind_recall: dict[str, float] = field(default_factory=dict)
    machine: dict[str, str] = field(default_factory=dict)
    revision: str = ""
    notes: list[str] = field(default_factory=list)
    profile: list[str] = field(default_factory=list)


def prf(predicted: Iterable, gold: Iterable) -> tuple[float, float, float]:
    """Precision, recall and F1 of a predicted set against a gold set (1.0 for nothing vs nothing).

    >>> prf({1, 2, 3}, {2, 3, 4})
    (0.6667, 0.6667, 0.6667)
    >>> prf(set(), set())
    (1.0, 1.0, 1.0)
    """
    pred, gold = set(predicted), set(gold)
    tp = len(pred & gold)
    p = tp / len(pred) if pred else (1.0 if not gold else 0.0)
    r = tp / len(gold) if gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return round(p, 4), round(r, 4), round(f, 4)


def machine() -> dict[str, str]:
    """The machine a result came from: CPU model, cores, memory, Python, OS."""
    cpu = platform.processor() or platform.machine()
    memory = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GB"
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count() or ""),
        "memory": memory,
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
    }


def revision() -> str:
    """The code measured: the git commit, marked when the working tree had uncommitted changes.

    Linking, parsing and the store are edited concurrently; a result names the state it ran on.
    """
    import subprocess

    root = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10)
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", "graph", "ingest", "queries", "policy_lineage"],
            cwd=root, capture_output=True, text=True, timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    if head.returncode != 0:
        return ""
    changed = [line[3:] for line in dirty.stdout.splitlines() if line.strip()]
    return head.stdout.strip() + (f" + uncommitted changes in {', '.join(changed)}" if changed else "")


def peak_rss_mb() -> float:
    """The high-water resident set of this process and its children, in MiB (Linux: KiB units)."""
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, kids) / scale, 1)


def _timed(func, *args, **kwargs):
    t = time.perf_counter()
    out = func(*args, **kwargs)
    return out, time.perf_counter() - t


def _gap_set(docs, lineage) -> set[tuple[str, str, int]]:
    from policy_lineage.graph.coverage import coverage

    return {(r.child_doc, r.parent_doc, r.parent_seq) for r in coverage(docs, lineage) if r.status == "gap"}


def _queries(db: Path, truth) -> tuple[dict[str, float], dict[str, int], list[str]]:
    """Latency and row count of the gaps, coverage and trace_down queries on the stored graph."""
    from policy_lineage.graph.store import open_store

    try:
        from policy_lineage.queries.runner import run_query
    except ImportError:  # pragma: no cover - only before the query runner exists
        return {}, {}, ["queries not timed: policy_lineage.queries.runner is not available"]
    national = truth.documents[0]
    duty = f"{national.ref}#1"
    seconds: dict[str, float] = {}
    rows: dict[str, int] = {}
    notes: list[str] = []
    with open_store("ladybug", db, read_only=True) as store:
        for name, params in (("gaps", {}), ("coverage", {}), ("trace_down", {"item": duty})):
            try:
                result, s = _timed(run_query, store, name, **params)
            except LineageError as e:
                notes.append(f"query {name} failed: {e}")
                continue
            seconds[name], rows[name] = round(s, 3), len(result)
    return seconds, rows, notes


def run_bench(
    n_docs: int,
    out_json: str | Path | None = None,
    seed: int = 0,
    *,
    workdir: str | Path | None = None,
    progress: Progress | None = None,
    profile: bool = False,
    n_items: int | None = None,
    corpus_baseline: bool = True,
) -> Bench:
    """Generate, build, query and score a synthetic corpus of ``n_docs`` plans.

    Parameters
    ----------
    n_docs : int
        Documents in the corpus (see :func:`policy_lineage.synthetic.allocate`).
    out_json : path, optional
        Where to write the JSON result; a markdown table is written beside it (``.md``).
    seed : int
        The corpus seed; the same seed benchmarks the same corpus.
    workdir : path, optional
        Keep the corpus, truth and database here instead of a temporary folder.
    progress : callable, optional
        Called as ``progress(stage, done, total)``.
    profile : bool
        Run the build under cProfile and keep the 25 most expensive functions (by own time);
        the build's times then include the profiler's overhead.
    n_items : int, optional
        Duties in the national plan (default :data:`policy_lineage.synthetic.NATIONAL_ITEMS`).
    corpus_baseline : bool
        Also run :func:`policy_lineage.bench_baseline.corpus_baseline_links` (every item against
        every item of every higher-level document, no lineage); its cost grows with the square
        of the corpus.
    """
    from policy_lineage.graph.baseline import baseline_links
    from policy_lineage.graph.evaluate import predicted_pairs
    from policy_lineage.graph.lineage import document_parents
    from policy_lineage.pipeline import build
    from policy_lineage.synthetic import CORPUS_DIR, NATIONAL_ITEMS, generate_corpus

    with tempfile.TemporaryDirectory(prefix="lineage-bench-") as tmp:
        root = Path(workdir) if workdir is not None else Path(tmp)
        if progress:
            progress("generate", 0, n_docs)
        truth, generate_s = _timed(generate_corpus, n_docs, seed, root, n_items=n_items or NATIONAL_ITEMS)
        if progress:
            progress("generate", n_docs, n_docs)
        db = root / "db" / "graph.lbdb"
        db.parent.mkdir(parents=True, exist_ok=True)
        top: list[str] = []
        if profile:
            report, build_s, top = _profiled(build, [root / CORPUS_DIR], db, progress=progress)
        else:
            report, build_s = _timed(build, [root / CORPUS_DIR], db, progress=progress)
        rss = peak_rss_mb()
        query_s, query_rows, notes = _queries(db, truth)
        docs, lineage = report.documents, report.lineage

        true_links = {(l.child_doc, l.child_seq, l.parent_doc, l.parent_seq) for l in truth.links}
        true_gaps = {(g.child_doc, g.parent_doc, g.parent_seq) for g in truth.gaps}
        links = set(predicted_pairs(docs, lineage))
        gaps = _gap_set(docs, lineage)
        lp, lr, lf = prf(links, true_links)
        gp, gr, _ = prf(gaps, true_gaps)

        if progress:
            progress("baseline", 0, 1)
        t = time.perf_counter()
        base = baseline_links(docs, document_parents(docs))
        baseline_s = time.perf_counter() - t
        if progress:
            progress("baseline", 1, 1)
        base_links = set(predicted_pairs(docs, base))
        bp, br, bf = prf(base_links, true_links)
        bgp, bgr, _ = prf(_gap_set(docs, base), true_gaps)
        corpus = _corpus_baseline(docs, base.doc_links, true_links, true_gaps, progress) if corpus_baseline else {}

    link_s = report.seconds.get("link", 0.0)
    result = Bench(
        docs=len(docs),
        items=sum(len(d.items) for d in docs),
        build_s=round(build_s, 3),
        link_s=round(link_s, 3),
        peak_rss_mb=rss,
        link_f1=lf,
        gap_recall=gr,
        gap_precision=gp,
        baseline_link_s=round(baseline_s, 3),
        baseline_f1=bf,
        seed=seed,
        generate_s=round(generate_s, 3),
        parse_s=round(report.seconds.get("parse", 0.0), 3),
        load_s=round(report.seconds.get("load", 0.0), 3),
        link_precision=lp,
        link_recall=lr,
        links_true=len(true_links),
        links_predicted=len(links),
        gaps_true=len(true_gaps),
        gaps_predicted=len(gaps),
        baseline_precision=bp,
        baseline_recall=br,
        baseline_gap_recall=bgr,
        baseline_gap_precision=bgp,
        speedup_vs_baseline=round(baseline_s / link_s, 2) if link_s else 0.0,
        items_per_s=_throughput(sum(len(d.items) for d in docs), report.seconds),
        query_s=query_s,
        query_rows=query_rows,
        levels={lv: sum(1 for d in truth.documents if d.level == lv) for lv in ("national", "province", "city", "county")},
        by_kind_recall=_recall_by_kind(truth, links),
        machine=machine(),
        revision=revision(),
        notes=notes + ([f"{len(docs)} documents parsed but {len(truth.documents)} generated"] if len(docs) != len(truth.documents) else []),
        profile=top,
        **corpus,
    )
    if result.corpus_baseline_link_s and link_s:
        result.speedup_vs_corpus_baseline = round(result.corpus_baseline_link_s / link_s, 2)
    if out_json is not None:
        write_results(result, out_json)
    return result


def _corpus_baseline(docs, doc_links, true_links: set, true_gaps: set, progress: Progress | None) -> dict:
    """Time and score the corpus-wide all-pairs baseline (gaps judged per true document pair)."""
    from policy_lineage.bench_baseline import corpus_baseline_links
    from policy_lineage.graph.evaluate import predicted_pairs

    if progress:
        progress("corpus baseline", 0, 1)
    lineage, seconds = _timed(corpus_baseline_links, docs)
    if progress:
        progress("corpus baseline", 1, 1)
    lineage.doc_links = list(doc_links)
    p, r, f = prf(set(predicted_pairs(docs, lineage)), true_links)
    gp, gr, _ = prf(_gap_set(docs, lineage), true_gaps)
    return {
        "corpus_baseline_link_s": round(seconds, 3),
        "corpus_baseline_precision": p,
        "corpus_baseline_recall": r,
        "corpus_baseline_f1": f,
        "corpus_baseline_gap_recall": gr,
        "corpus_baseline_gap_precision": gp,
    }


def _throughput(items: int, seconds: dict[str, float]) -> dict[str, float]:
    """Items per second of each build stage (parse, link, load).

    >>> _throughput(1000, {"parse": 2.0, "link": 0.0})
    {'parse': 500.0}
    """
    return {stage: round(items / s, 1) for stage, s in seconds.items() if s > 0}


def _recall_by_kind(truth, links: set) -> dict[str, float]:
    """Recall of true links per derivation (carry, merge, split): which change the linker misses."""
    out = {}
    for kind in sorted({l.kind for l in truth.links}):
        gold = {(l.child_doc, l.child_seq, l.parent_doc, l.parent_seq) for l in truth.links if l.kind == kind}
        out[kind] = round(len(gold & links) / len(gold), 4) if gold else 1.0
    return out


def _profiled(func, *args, **kwargs):
    """Run ``func`` under cProfile: (result, seconds, the 25 costliest functions by own time)."""
    import cProfile
    import io
    import pstats

    prof = cProfile.Profile()
    t = time.perf_counter()
    out = prof.runcall(func, *args, **kwargs)
    seconds = time.perf_counter() - t
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(25)
    lines = [l.rstrip() for l in buf.getvalue().splitlines()]
    start = next((i for i, l in enumerate(lines) if l.lstrip().startswith("ncalls")), 0)
    return out, seconds, [l for l in lines[start:] if l.strip()]


_ROWS = (
    ("documents", "docs", ""),
    ("items", "items", ""),
    ("generate (s)", "generate_s", ""),
    ("parse (s)", "parse_s", ""),
    ("link (s)", "link_s", ""),
    ("load (s)", "load_s", ""),
    ("build = parse + link + load (s)", "build_s", ""),
    ("peak RSS (MiB)", "peak_rss_mb", ""),
    ("link precision", "link_precision", "baseline_precision"),
    ("link recall", "link_recall", "baseline_recall"),
    ("link F1", "link_f1", "baseline_f1"),
    ("gap precision", "gap_precision", "baseline_gap_precision"),
    ("gap recall", "gap_recall", "baseline_gap_recall"),
    ("link time (s)", "link_s", "baseline_link_s"),
)


def to_markdown(result: Bench) -> str:
    """The result as a markdown table (linker beside the naive baseline), queries and machine."""
    r = asdict(result)
    lines = [
        f"# lineage bench: {result.docs} documents (seed {result.seed})",
        "",
        "| measure | lineage | baseline: parent document's duties | baseline: every higher-level item |",
        "|---|---:|---:|---:|",
    ]
    for label, key, base in _ROWS:
        corpus = "corpus_" + base if base else ""
        cells = [r[key], r[base] if base else "", r.get(corpus) if corpus and r.get(corpus) is not None else ""]
        lines.append("| " + label + " | " + " | ".join(map(str, cells)) + " |")
    lines += [
        "",
        f"Linking is {result.speedup_vs_baseline}× the speed of the parent-document baseline"
        + (f" and {result.speedup_vs_corpus_baseline}× that of the every-item baseline" if result.speedup_vs_corpus_baseline else "")
        + " (baseline time / link time; above 1 is faster).",
        "",
        "Throughput (items/s): " + ", ".join(f"{k} {v}" for k, v in result.items_per_s.items()) + ".",
        "Documents by level: " + ", ".join(f"{k} {v}" for k, v in result.levels.items()) + ".",
        "Recall by derivation: " + ", ".join(f"{k} {v}" for k, v in result.by_kind_recall.items()) + ".",
        "",
        "| query | seconds | rows |",
        "|---|---:|---:|",
    ]
    lines += [f"| {q} | {s} | {result.query_rows.get(q, '')} |" for q, s in result.query_s.items()]
    lines += ["", "Machine: " + ", ".join(f"{k} {v}" for k, v in result.machine.items() if v) + "."]
    if result.revision:
        lines += ["", f"Code: {result.revision}."]
    if result.notes:
        lines += [""] + [f"- {n}" for n in result.notes]
    if result.profile:
        lines += ["", "Profile of the build (own time, top 25):", "", "```"] + result.profile + ["```"]
    return "\n".join(lines) + "\n"


def write_results(result: Bench, out_json: str | Path) -> tuple[Path, Path]:
    """Write ``out_json`` and a markdown table beside it (same name, ``.md``)."""
    path = Path(out_json)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(asdict(result), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    md = path.with_suffix(".md")
    md.write_text(to_markdown(result), encoding="utf-8")
    return path, md
