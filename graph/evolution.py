"""EVOLVES_FROM: one line of duty across cycles, with what changed from year to year.

A 2023 plan does not implement a 2021 plan (``IMPLEMENTS`` stays within a cycle), but most of
its duties continue earlier ones: 眉山 2023's 创新完善政务新媒体运维机制 rows carry on the
province's 2021 政务新媒体 duties (十七)–(十九), with new terms.  This module links each item of a
later-cycle document to the earlier-cycle items it continues, and records what changed
(:mod:`policy_lineage.graph.changes`).

Which earlier documents (:func:`earlier_documents`): those of the later document's own region
or of an ancestor region (a line of duty comes down the levels as it goes through the years),
and for each region only its most recent earlier cycle, so a chain 2021 → 2022 → 2023 is
linked step by step rather than every year to every year.

Scoring (:func:`evolution_scores`) reuses the linker's text views
(:func:`policy_lineage.graph.linking.score_pairs`: item, clause and containment cosines on the
corpus TF-IDF index) and adds a *heading* view: the cosine of the later item's task name (its
title) with the earlier item's section path and title.  Across years the body is rewritten far more than the heading that names the line of
duty (加大政府网站和政务新媒体建设管理力度 / 创新完善政务新媒体运维机制), so the heading weighs
:attr:`EvolutionParams.heading_weight` where both items have one.  There is no order bonus:
a new plan regroups its duties freely, unlike a task table following its parent.

Decision (:func:`evolution_links`): for each later item, every earlier item scoring at least
:attr:`EvolutionParams.threshold` and at least :attr:`EvolutionParams.ratio` of that item's best
score, and sharing with it at least one word that is not the genre's vocabulary (see
:attr:`EvolutionParams.generic_share`) — many-to-many, since one 2023 row may continue three 2021
duties and one 2021 duty may continue in several 2023 rows.

Notes
-----
The numbers were chosen on the seeds by reading the candidates, not on a gold set (there is
none for evolution yet); see the README section "Citations, skipped levels and evolution".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from policy_lineage.graph.changes import compare_items
from policy_lineage.graph.clauses import item_text
from policy_lineage.graph.lineage import is_ancestor
from policy_lineage.graph.linking import boilerplate_clauses, corpus_index, score_pairs
from policy_lineage.graph.model import Document, Item, Link
from policy_lineage.graph.textsim import TextIndex, tokens

__all__ = ["METHOD", "EvolutionParams", "earlier_documents", "heading", "evolution_scores", "evolution_links"]

METHOD = "tfidf+clause+heading"


@dataclass(frozen=True)
class EvolutionParams:
    """``threshold``: lowest score linked; ``ratio``: share of a later item's best score another
    earlier item needs to be linked too; ``heading_weight``: weight of the heading view;
    ``generic_share``: a word found in more than this share of the corpus' items is the genre's
    vocabulary (信息公开, 建设, 管理), and a link needs at least one shared word that is not."""

    threshold: float = 0.15
    ratio: float = 0.8
    heading_weight: float = 0.4
    generic_share: float = 0.25


DEFAULT_PARAMS = EvolutionParams()


def _same_or_ancestor(earlier: Document, later: Document) -> bool:
    """Same government (the State Council has no region path) or one above ``later``'s.

    >>> nation = lambda y: Document("要点", level="national", year=y)
    >>> _same_or_ancestor(nation(2021), nation(2023)), _same_or_ancestor(Document("?", year=2021), nation(2023))
    (True, False)
    """
    if list(earlier.region_path) == list(later.region_path):
        if earlier.region_path or earlier.level == later.level == "national":
            return True
    return is_ancestor(earlier, later)


def earlier_documents(later: Document, docs: Sequence[Document]) -> list[Document]:
    """The documents ``later`` may continue: same or ancestor region, the latest earlier cycle of each.

    >>> prov21 = Document("省21", level="province", region_path=["四川省"], year=2021, items=[Item(1, "a")])
    >>> prov22 = Document("省22", level="province", region_path=["四川省"], year=2022, items=[Item(1, "a")])
    >>> city21 = Document("市21", level="city", region_path=["四川省", "眉山市"], year=2021, items=[Item(1, "a")])
    >>> other = Document("达州21", level="city", region_path=["四川省", "达州市"], year=2021, items=[Item(1, "a")])
    >>> city23 = Document("市23", level="city", region_path=["四川省", "眉山市"], year=2023, items=[Item(1, "a")])
    >>> [d.title for d in earlier_documents(city23, [prov21, prov22, city21, other, city23])]
    ['省22', '市21']
    """
    return _earlier(later, _by_path(docs))


def _by_path(docs: Sequence[Document]) -> dict[tuple[str, ...], list[Document]]:
    """Documents with items and a cycle, by region path, so ancestors are looked up, not scanned."""
    out: dict[tuple[str, ...], list[Document]] = {}
    for d in docs:
        if d.items and d.year is not None:
            out.setdefault(tuple(d.region_path), []).append(d)
    return out


def _earlier(later: Document, by_path: dict[tuple[str, ...], list[Document]]) -> list[Document]:
    if later.year is None:
        return []
    path = tuple(later.region_path)
    near = [d for k in range(len(path) + 1) for d in by_path.get(path[:k], [])]
    found = [d for d in near if d.year < later.year and _same_or_ancestor(d, later)]
    latest: dict[tuple[str, ...], int] = {}
    for d in found:
        key = tuple(d.region_path)
        latest[key] = max(latest.get(key, d.year), d.year)
    return [d for d in found if d.year == latest[tuple(d.region_path)]]


def heading(item: Item) -> str:
    """The words that name an item's line of duty: its section path and its title.

    >>> heading(Item(1, "…", section=["加大政府网站和政务新媒体建设管理力度"], title="深化清理整合"))
    '加大政府网站和政务新媒体建设管理力度。深化清理整合'
    """
    return "。".join(dict.fromkeys(p for p in [*item.section, item.title or ""] if p))


def _name(item: Item) -> str:
    """The item's own task name: its title, else its innermost section heading."""
    return item.title or (item.section[-1] if item.section else "")


def evolution_scores(
    index: TextIndex, later: Sequence[Item], earlier: Sequence[Item], params: EvolutionParams = DEFAULT_PARAMS
) -> np.ndarray:
    """``len(later) × len(earlier)`` scores: the linker's text score blended with the heading view."""
    if not later or not earlier:
        return np.zeros((len(later), len(earlier)))
    boilerplate = boilerplate_clauses(index, later) | boilerplate_clauses(index, earlier)
    text = score_pairs(index, later, earlier, boilerplate)["text"]
    # the later item's own task name against the earlier item's whole heading: a section name
    # shared by a whole block of both plans (夯实工作基础) must not make every pair of it alike,
    # while a later task name may repeat an earlier section's object (政务新媒体)
    tl, he = [_name(i) for i in later], [heading(i) for i in earlier]
    head = index.similarity([t or "空" for t in tl], [h or "空" for h in he])
    both = np.array([bool(a) for a in tl])[:, None] & np.array([bool(b) for b in he])[None, :]
    w = params.heading_weight
    return np.clip(np.where(both, (1 - w) * text + w * head, text), 0.0, 1.0)


def evolution_links(
    docs: Sequence[Document], index: TextIndex | None = None, params: EvolutionParams = DEFAULT_PARAMS
) -> list[Link]:
    """``EVOLVES_FROM`` links (later item → earlier item) with score, evidence and changes.

    ``index`` is the corpus index linking already fitted (fitted here when not given).  The
    result is sorted by child and parent, so the same inputs give the same links.
    """
    by_path = _by_path(docs)
    pairs = [(d, _earlier(d, by_path)) for d in docs if d.items]
    pairs = [(d, e) for d, e in pairs if e]
    if not pairs:
        return []
    index = index or corpus_index(docs)
    specific = _specific_words(docs, params.generic_share)
    links: list[Link] = []
    for later, earlier_docs in pairs:
        columns = [(e, it) for e in earlier_docs for it in e.items]
        scores = np.hstack([evolution_scores(index, later.items, e.items, params) for e in earlier_docs])
        for i, item in enumerate(later.items):
            best = float(scores[i].max())
            if best < params.threshold:
                continue
            for j in np.flatnonzero(scores[i] >= max(params.threshold, params.ratio * best)):
                doc, old = columns[j]
                if specific(item) & specific(old):
                    links.append(_link(index, later, item, doc, old, float(scores[i, j])))
    return sorted(links, key=lambda l: (l.child, l.parent))


def _words(item: Item) -> frozenset[str]:
    return frozenset(tokens(f"{heading(item)}。{item_text(item)}"))


def _specific_words(docs: Sequence[Document], share: float):
    """A function giving an item's words that are not the genre's vocabulary in this corpus.

    A word in more than ``share`` of all items (heading and text) is vocabulary every plan uses;
    two items sharing only such words (推进…信息公开) do not continue one duty.  A word in no more
    items than there are documents is always specific: a line of duty carried by every plan once
    looks exactly like that (and a continuation is itself two items).
    """
    items = [it for d in docs for it in d.items]
    df = Counter(w for it in items for w in _words(it))
    limit = max(2, sum(1 for d in docs if d.items), share * len(items))
    return lambda item: frozenset(w for w in _words(item) if df[w] <= limit)


def _link(index: TextIndex, later: Document, item: Item, doc: Document, old: Item, score: float) -> Link:
    evidence = index.shared_phrases(f"{heading(item)}。{item_text(item)}", f"{heading(old)}。{item_text(old)}")
    return Link(
        child=item.item_id(later.doc_id),
        parent=old.item_id(doc.doc_id),
        relation="EVOLVES_FROM",
        score=round(score, 4),
        method=METHOD,
        status="auto",
        evidence=evidence,
        changes=compare_items(old, item).to_json(),
    )
