"""``lineage bench``: build a synthetic national corpus end to end and score it against its truth.

Kept in its own module so the benchmark's imports stay out of :mod:`policy_lineage.cli`;
importing this module registers the command on the ``lineage`` group.
"""

from __future__ import annotations

import time
from pathlib import Path

import click

from policy_lineage.cli import _errors_as_one_line, cli

__all__ = ["bench"]


def _progress():
    """A progress callback that prints one line per stage and every 10 % of parsing to stderr."""
    start = time.perf_counter()
    shown: dict[str, int] = {}

    def report(stage: str, done: int, total: int) -> None:
        step = max(1, total // 10)
        if done not in (0, total) and done % step and stage == shown.get("stage"):
            return
        shown["stage"] = stage
        click.echo(f"[{time.perf_counter() - start:7.1f}s] {stage} {done}/{total}", err=True)

    return report


@cli.command()
@click.option("--docs", "n_docs", type=click.IntRange(min=1), default=100, show_default=True, help="Documents in the synthetic corpus.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="JSON result (a .md table is written beside it).")
@click.option("--seed", type=int, default=0, show_default=True, help="Corpus seed: the same seed benchmarks the same corpus.")
@click.option("--keep", type=click.Path(file_okay=False, path_type=Path), default=None, help="Keep corpus, truth and database in this folder.")
@click.option("--profile", is_flag=True, help="Run the build under cProfile and add the costliest functions to the result.")
@click.option(
    "--corpus-baseline/--no-corpus-baseline",
    default=True,
    show_default=True,
    help="Also time the every-item baseline (no lineage; cost grows with the square of the corpus).",
)
@_errors_as_one_line
def bench(n_docs: int, out: Path, seed: int, keep: Path | None, profile: bool, corpus_baseline: bool) -> None:
    """Generate N synthetic plans with known lineage, build them, and score and time the result.

    One national plan, then provinces, cities and counties in China's proportions, each derived
    from its parent (duties carried, re-worded, merged, split, dropped, added).  Parse, link and
    load run as in `lineage build`; then the gaps, coverage and trace_down queries are timed on
    the embedded store, links and gaps are scored against the truth, and the naive baselines (char
    TF-IDF, best match: among the parent document's duties, and among every item of every
    higher-level document) are timed and scored on the same documents.

    \b
    Example:
      lineage bench --docs 1000 --out benchmarks/results/bench-1000.json
    """
    from policy_lineage.bench import CONTRACT_KEYS, run_bench

    result = run_bench(n_docs, out, seed, workdir=keep, progress=_progress(), profile=profile, corpus_baseline=corpus_baseline)
    values = {k: getattr(result, k) for k in CONTRACT_KEYS}
    click.echo("  ".join(f"{k}={v}" for k, v in values.items()))
    click.echo(f"wrote {out} and {out.with_suffix('.md')}")
