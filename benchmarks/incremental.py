"""Incremental ingest against a full build: fresh build, warm rebuild, adding one document.

Every step is one ``lineage`` command in its own process, as a user runs it (in-process caches
such as jieba's would otherwise make later steps look faster).  Times are wall seconds of the
command, including the gaps query every build prints.  Usage (one run each; the machine is shared)::

    python benchmarks/incremental.py --seeds --out benchmarks/results/incremental-seeds.json
    python benchmarks/incremental.py --docs 1000 --out benchmarks/results/incremental-1000.json

With ``--docs N`` a synthetic corpus of N + 1 plans is generated (policy_lineage/synthetic.py);
one county plan (the last) is held back.  Steps, each into the same database and workspace:
``fresh`` — ``lineage build --fresh`` of the N plans; ``warm`` — the same build again, caches
warm; ``add`` — ``lineage add`` of the held-back plan; then ``full`` — ``lineage build --fresh``
of all N + 1 into another database, against whose ``lineage links`` the added result's are compared (the drift the workspace accepts
for pairs linked in a slightly smaller corpus; see policy_lineage/workspace.py).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from policy_lineage.pipeline import SUFFIXES, build

ROOT = Path(__file__).resolve().parent.parent
LINEAGE = Path(sys.executable).parent / "lineage"


def _corpus(docs: int | None, root: Path) -> tuple[list[Path], Path]:
    """The files of the first build and the file added afterwards."""
    if docs is None:
        files = sorted(f for f in (ROOT / "seeds").iterdir() if f.suffix in SUFFIXES)
        full = build(files, root / "probe.lbdb")
        answering = {l.child for l in full.lineage.doc_links if l.relation == "ANSWERS_TO"}
        late = next(f for f, d in zip(files, full.documents) if d.doc_id in answering)
    else:
        from policy_lineage.synthetic import CORPUS_DIR, generate_corpus

        generate_corpus(docs + 1, 0, root)
        files = sorted(f for f in (root / CORPUS_DIR).iterdir() if f.suffix in SUFFIXES)
        late = next(f for f in reversed(files) if f.name.startswith("county"))
    return [f for f in files if f != late], late


def _lineage(*args: str) -> tuple[float, str]:
    """Run one ``lineage`` command in its own process (cold caches, as a user runs it)."""
    t = time.perf_counter()
    done = subprocess.run([str(LINEAGE), *args], capture_output=True, text=True, check=True)
    return round(time.perf_counter() - t, 2), done.stdout


def _summary(out: str) -> dict:
    """Stage seconds and cache counters from the summary ``lineage build|add`` prints."""
    stages = dict(re.findall(r"(parse|link|load) ([0-9.]+)s", out))
    cache = re.search(r"cache: parsed (\d+), reused (\d+); pairs linked (\d+), reused (\d+)", out)
    return {
        "stages_s": {k: float(v) for k, v in stages.items()},
        "cache": dict(zip(("parsed", "parse_reused", "pairs_linked", "pairs_reused"), map(int, cache.groups()))) if cache else {},
    }


def _links(db: Path) -> dict[tuple[str, str, str], float]:
    _, out = _lineage("links", "--db", str(db), "--format", "csv")
    rows = csv.DictReader(io.StringIO(out))
    return {(f"{r['child_doc']}#{r['child_seq']}", f"{r['parent_doc']}#{r['parent_seq']}", r["relation"]): float(r["score"]) for r in rows}


def _drift(added: dict, full: dict, late_ref: str) -> dict:
    """Where the added result differs from a fresh build's, per relation, and the differing links."""
    out: dict = {}
    for rel in sorted({k[2] for k in full} | {k[2] for k in added}):
        a = {k: v for k, v in added.items() if k[2] == rel}
        f = {k: v for k, v in full.items() if k[2] == rel}
        common = a.keys() & f.keys()
        changes = [abs(a[k] - f[k]) for k in common]

        def touching(d: dict) -> dict:
            return {k: v for k, v in d.items() if k[0].startswith(late_ref + "#") or k[1].startswith(late_ref + "#")}

        out[rel] = {
            "links": len(f),
            "only_in_add": sorted(map(list, a.keys() - f.keys())),
            "only_in_full": sorted(map(list, f.keys() - a.keys())),
            "score_changed": sum(1 for c in changes if c),
            "score_changed_over_0.001": sum(1 for c in changes if c > 0.001),
            "max_score_change": round(max(changes, default=0.0), 4),
            "touching_added_doc": len(touching(a)),
            "touching_added_doc_equal": touching(a) == touching(f),
        }
    return out


def run(docs: int | None) -> dict:
    from policy_lineage.ingest.parser import parse_file

    with tempfile.TemporaryDirectory(prefix="lineage-incr-") as tmp:
        root = Path(tmp)
        first, late = _corpus(docs, root)
        db, full_db = root / "db" / "graph.lbdb", root / "full" / "graph.lbdb"
        late_ref = parse_file(late).ref
        out: dict = {"docs": len(first), "added": late.name}
        steps = {
            "fresh": ("build", *map(str, first), "--db", str(db), "--fresh"),
            "warm": ("build", *map(str, first), "--db", str(db)),
            "add": ("add", str(late), "--db", str(db)),
            "full": ("build", *map(str, first), str(late), "--db", str(full_db), "--fresh"),
        }
        for name, args in steps.items():
            seconds, printed = _lineage(*args)
            out[name] = {"s": seconds, **_summary(printed)}
            print(name, json.dumps(out[name]), file=sys.stderr, flush=True)
        out["drift"] = _drift(_links(db), _links(full_db), late_ref)
        out["warm_speedup_vs_fresh"] = round(out["fresh"]["s"] / out["warm"]["s"], 1)
        out["add_speedup_vs_full"] = round(out["full"]["s"] / out["add"]["s"], 1)
        return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--docs", type=int, help="synthetic corpus of DOCS plans (+1 added)")
    group.add_argument("--seeds", action="store_true", help="the seeds (one that answers to another is added)")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    result = run(None if args.seeds else args.docs)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
