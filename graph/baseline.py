"""The naive baseline the linker is measured against: one best character-TF-IDF match per item.

For every ``ANSWERS_TO`` pair of documents, every local item is compared with every duty of the
parent by cosine over character 2-3-gram TF-IDF vectors, and linked to its single best duty
when the cosine reaches :data:`BASELINE_THRESHOLD`.  Nothing else: no words, no clauses, no
order, no second parent.

What it gets wrong is what the linker exists for: a local item that merges two duties keeps only
one of them, so the other duty shows up as a *false gap* (安居区 (十) merges the province's (十一)
and (十二); the baseline reports (十二) as dropped).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from policy_lineage.graph.clauses import item_text
from policy_lineage.graph.model import DocLink, Document, Lineage, Link
from policy_lineage.graph.textsim import normalise

__all__ = ["BASELINE_THRESHOLD", "BASELINE_METHOD", "baseline_links"]

#: The cosine from which the baseline links; the value that gives the baseline its own best F1
#: on ``tests/gold`` (so the comparison is fair to it).
BASELINE_THRESHOLD = 0.04
BASELINE_METHOD = "char-tfidf-best"


def baseline_links(
    docs: Sequence[Document], parents: Sequence[DocLink], threshold: float = BASELINE_THRESHOLD
) -> Lineage:
    """Best-match links for every ``ANSWERS_TO`` pair (at most one parent duty per local item).

    Examples
    --------
    >>> from policy_lineage.graph.model import Item
    >>> p = Document("省", doc_no="P〔2021〕1号", items=[Item(1, "推进财政信息公开"), Item(2, "做好政策解读")])
    >>> c = Document("区", doc_no="C〔2021〕2号", items=[Item(1, "推进财政预决算信息公开"), Item(2, "做好解读")])
    >>> lin = baseline_links([p, c], [DocLink(c.doc_id, p.doc_id)])
    >>> [(l.child, l.parent) for l in lin.links]
    [('doc:C〔2021〕2号#1', 'doc:P〔2021〕1号#1'), ('doc:C〔2021〕2号#2', 'doc:P〔2021〕1号#2')]
    """
    by_id = {d.doc_id: d for d in docs}
    pairs = [(by_id[l.child], by_id[l.parent]) for l in parents if l.relation == "ANSWERS_TO" and l.child in by_id and l.parent in by_id]
    lineage = Lineage(doc_links=list(parents))
    corpus = [normalise(item_text(it)) for d in docs for it in d.items]
    if not pairs or not corpus:
        return lineage
    vec = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True).fit(corpus)
    for child, parent in pairs:
        if not child.items or not parent.items:
            continue
        a = vec.transform([normalise(item_text(it)) for it in child.items])
        b = vec.transform([normalise(item_text(it)) for it in parent.items])
        sims = np.asarray((a @ b.T).todense())
        for i, c in enumerate(child.items):
            j = int(sims[i].argmax())
            if sims[i, j] >= threshold:
                p = parent.items[j]
                lineage.links.append(
                    Link(c.item_id(child.doc_id), p.item_id(parent.doc_id), "IMPLEMENTS", round(float(sims[i, j]), 4), BASELINE_METHOD)
                )
    return lineage
