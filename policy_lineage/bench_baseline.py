"""A corpus-wide naive baseline: every item against every item of every higher-level document.

:func:`policy_lineage.graph.baseline.baseline_links` compares a local item only with the duties
of its own parent document, so it already uses the lineage (region ancestry and cycle) that
makes linking cheap.  This baseline uses none of it: one character 2–3-gram TF-IDF over the whole
corpus, and each item of a province, city or county linked to its single most similar item
among *all* items of *all* documents of a higher level, wherever they were issued.  It shows
what lineage buys in time (all pairs grow with the square of the corpus) and in accuracy (a
county's duty reads almost the same in every city's plan, so the best match is often in the
wrong city).

Scores are computed block by block as sparse products, so memory stays bounded by
``block × candidates`` dense floats.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from policy_lineage.graph.baseline import BASELINE_THRESHOLD
from policy_lineage.graph.clauses import item_text
from policy_lineage.graph.lineage import level_rank
from policy_lineage.graph.model import Document, Lineage, Link
from policy_lineage.graph.textsim import normalise

__all__ = ["CORPUS_BASELINE_METHOD", "corpus_baseline_links"]

CORPUS_BASELINE_METHOD = "char-tfidf-best-corpus"
#: Items scored per block (rows of one dense block of similarities).
BLOCK = 1024


def corpus_baseline_links(docs: Sequence[Document], threshold: float = BASELINE_THRESHOLD, block: int = BLOCK) -> Lineage:
    """Best-match links from every item to any item of any higher-level document.

    Examples
    --------
    >>> from policy_lineage.graph.model import Item
    >>> prov = Document("省", doc_no="P〔2021〕1号", level="province", items=[Item(1, "推进财政信息公开"), Item(2, "做好政策解读")])
    >>> a = Document("甲", doc_no="A〔2021〕2号", level="county", items=[Item(1, "做好政策解读工作")])
    >>> b = Document("乙", doc_no="B〔2021〕3号", level="county", items=[Item(1, "推进财政预决算信息公开")])
    >>> [(l.child, l.parent) for l in corpus_baseline_links([prov, a, b]).links]
    [('doc:A〔2021〕2号#1', 'doc:P〔2021〕1号#2'), ('doc:B〔2021〕3号#1', 'doc:P〔2021〕1号#1')]
    """
    owners: list[tuple[Document, int]] = [(d, k) for d in docs for k in range(len(d.items))]
    lineage = Lineage()
    if not owners:
        return lineage
    ranks = np.array([level_rank(d) if level_rank(d) is not None else -1 for d, _ in owners])
    matrix = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True).fit_transform(
        [normalise(item_text(d.items[k])) for d, k in owners]
    ).tocsr()
    for rank in sorted(set(ranks.tolist())):
        children = np.flatnonzero(ranks == rank)
        candidates = np.flatnonzero((ranks >= 0) & (ranks < rank))
        if rank <= 0 or not len(candidates):
            continue
        cand_t = matrix[candidates].T.tocsc()
        for start in range(0, len(children), block):
            rows = children[start : start + block]
            sims = (matrix[rows] @ cand_t).toarray()
            best = sims.argmax(axis=1)
            for i, (row, j) in enumerate(zip(rows, best)):
                score = float(sims[i, j])
                if score < threshold:
                    continue
                (cd, ck), (pd, pk) = owners[row], owners[candidates[j]]
                lineage.links.append(
                    Link(
                        cd.items[ck].item_id(cd.doc_id),
                        pd.items[pk].item_id(pd.doc_id),
                        "IMPLEMENTS",
                        round(score, 4),
                        CORPUS_BASELINE_METHOD,
                    )
                )
    return lineage
