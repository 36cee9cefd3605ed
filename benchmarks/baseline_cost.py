"""What the naive baselines and the linker each spend on one corpus, in one process.

The linker is compared with two baselines in ``lineage bench``; this script splits their times
so the ratio can be read: how much of the all-pairs baseline is reading the texts (its character
TF-IDF fit) rather than comparing them, what jieba costs on the same texts, and the linker's own
stages.  Usage (the machine is shared: one run at a time)::

    python benchmarks/baseline_cost.py --docs 1000
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer

from policy_lineage.bench_baseline import corpus_baseline_links
from policy_lineage.graph.baseline import baseline_links
from policy_lineage.graph.clauses import item_text
from policy_lineage.graph.lineage import document_parents
from policy_lineage.graph.linking import link_documents
from policy_lineage.graph.textsim import normalise, tokens
from policy_lineage.pipeline import discover, parse_sources, sources_for
from policy_lineage.synthetic import CORPUS_DIR, generate_corpus


def _seconds(func, *args) -> float:
    t = time.perf_counter()
    func(*args)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        generate_corpus(args.docs, args.seed, Path(tmp))
        _, docs = parse_sources(sources_for(discover([Path(tmp) / CORPUS_DIR])), None)
    texts = [normalise(item_text(it)) for d in docs for it in d.items]
    parents = document_parents(docs)
    figures = {
        "all-pairs baseline": _seconds(corpus_baseline_links, docs),
        "  its char TF-IDF fit alone": _seconds(
            lambda: TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True).fit_transform(texts)
        ),
        "parent-document baseline": _seconds(baseline_links, docs, parents),
        "jieba on the distinct item texts": _seconds(lambda: [tokens(t) for t in set(texts)]),
        "linker (link_documents, jieba warm)": _seconds(link_documents, docs, parents),
    }
    print(f"{len(docs)} documents, {len(texts)} items ({len(set(texts))} distinct texts)")
    for name, s in figures.items():
        print(f"{name:40} {s:7.1f} s")


if __name__ == "__main__":
    main()
