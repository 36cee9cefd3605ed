"""Item links: which local item implements which higher-level duty, with score and evidence.

For every ``ANSWERS_TO`` pair of documents (see :mod:`policy_lineage.graph.lineage`) linking
runs two stages:

1. **retrieval** — TF-IDF cosine over jieba words and character 2-3-grams
   (:class:`~policy_lineage.graph.textsim.TextIndex`, fitted once on the whole corpus) between
   every local item and every duty of the parent document;
2. **scoring** — a finer score per pair (:func:`score_pairs`), the mean of four views:

   * ``item``: cosine of the two whole texts;
   * ``clause``: the best cosine between a clause of the local item and a clause of the duty —
     a local item that merges two duties matches each on a clause, not as a whole;
   * ``contain``: how much of the local item's weight occurs in the duty (asymmetric: short
     table rows restate part of a long provincial paragraph);
   * ``clause_contain``: the same for the best pair of clauses;

   a plan that does not follow its parent's order (below) is matched on content alone, and
   there a duty's heading counts as one more clause: a thematic table that rewrites the duty's
   body in its own words often keeps the action and object its heading names (办事一本通 for
   推进办事服务公开标准化).  Where order holds, position already tells the duties apart and a
   short heading's few words would only add chance matches (measured on the synthetic bench);

   then **order**: local plans usually follow their parent's order, so a monotone alignment
   (:func:`align`) is computed; a pair that lies between its aligned neighbours gains
   :attr:`LinkParams.order_bonus`, one that does not loses it, both scaled by how much the
   local document follows its parent at all (:func:`order_reliability`: Kendall's tau, zero
   unless significant — a table regrouped by theme gets no order evidence either way); and
   **units**: a small bonus when the local item's units do the same job as the duty's
   (财政厅 ↔ 区财政局).

Decisions (:func:`link_pair`):

* every pair scoring at least :attr:`LinkParams.threshold` (and, for a duty that is not the
  local item's best, :attr:`LinkParams.second_ratio` of the best score) is linked, so one local
  item can implement two duties (merge) and a duty can be implemented by several local items
  (split);
* a duty that is not the local item's best also needs a clause of its own
  (:func:`own_clause_scores` at least :attr:`LinkParams.own_clause`): a local clause that
  restates the best duty does not count for another duty that words the same theme again —
  a merged item carries a clause of each of its duties, an item carrying one duty only shares
  the other's wording;
* a local item's best duty is linked from the lower :attr:`LinkParams.best_threshold` on — a
  short table row restating a long duty scores low against everything, its best duty included;
  duties within :attr:`LinkParams.tie_ratio` of that best are linked with it;
* below that, a local item and a duty that are each other's best match (:func:`mutual_best`)
  are linked from :attr:`LinkParams.candidate_floor` on — a plan that regroups and rewords its
  parent (眉山's 基层 table) scores low everywhere, but its rewording of a duty is still the
  duty's best local item;
* a link below :attr:`LinkParams.threshold` (the two rules above) rests on ranking alone, so the
  two texts must share a word that few duties of the parent use
  (:func:`distinctive_words`): a local task with no parent is otherwise the best match of a
  dropped duty through the genre's words (政府, 公开, 制度) and hides the gap;
* and when a local item's best score is below :attr:`LinkParams.threshold`, the ranking itself
  is decided by its phrases (:func:`phrase_votes`): among the duties it may be linked to, the one
  that is the best match of most of the item's comma-separated phrases is its best duty, and a
  duty that scores higher through fewer phrases is dropped.  A low whole-text score is a sum of
  small shares, and one long phrase the item shares with a duty (a scope qualifier such as
  对涉及群众切身利益、需要社会广泛知晓的…) can outweigh the action every other phrase names
  (解读…, 解读人, 即时解读, 丰富解读形式);
* a duty left without any link keeps its best sub-threshold local item as a ``CANDIDATE``,
  which the gap report shows.

Sentences that cannot tell duties apart take no part in the clause views: a sentence a document
repeats under several of its items (:func:`boilerplate_clauses`), and a closing formula the
corpus attaches to many different duties (:func:`corpus_formulas`: 每季度开展一次自查，发现问题及时整改,
deadlines, reporting routines), which a plan adds to any item and its parent to other duties.
An item left with nothing else is represented by its heading.

Clauses of every parent duty and the clauses each linked item carries are computed here too
(:mod:`policy_lineage.graph.clauses`); :mod:`policy_lineage.graph.coverage` turns them into
covered / partial / gap.

Notes
-----
The thresholds were measured on the hand annotation in ``tests/gold`` (see its README); the
method string of every link names the views used, so a later change of method is visible.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

import numpy as np

from policy_lineage.graph.clauses import item_clauses, item_text, split_clauses
from policy_lineage.graph.model import Carry, DocLink, Document, Item, Lineage, Link
from policy_lineage.graph.textsim import TextIndex, normalise, tokens

__all__ = [
    "LinkParams",
    "DEFAULT_PARAMS",
    "METHOD",
    "corpus_index",
    "score_pairs",
    "boilerplate_clauses",
    "align",
    "order_consistent",
    "order_reliability",
    "mutual_best",
    "own_clause_scores",
    "distinctive_words",
    "phrases",
    "phrase_votes",
    "corpus_formulas",
    "link_pair",
    "link_documents",
]

METHOD = "tfidf+clause+align+votes"
#: Order counts only when the rank correlation of a pair of documents is this significant.
ORDER_SIGNIFICANCE = 0.01
#: A local clause this similar to a clause of the item's best duty restates that duty (see :func:`own_clause_scores`).
TAKEN_SIMILARITY = 0.8
#: :func:`corpus_formulas`: distinct headings, and their share of the items, that make a clause a formula.
FORMULA_HEADINGS = 25
FORMULA_SHARE = 0.15


@dataclass(frozen=True)
class LinkParams:
    """The linker's few numbers (measured on ``tests/gold``; see the README there).

    ``threshold``       score at or above which a pair is linked;
    ``best_threshold``  a local item's best duty is linked from this lower score on;
    ``tie_ratio``       other duties within this ratio of the best are linked with it (a
                        near tie means the text cannot choose: a merged item, for a reviewer);
    ``second_ratio``    a duty other than a local item's best needs this share of the best
                        score too (a merged item matches each of its duties well; a duty that
                        only shares the genre's vocabulary scores far below the real one);
    ``order_bonus``     added to a pair consistent with the monotone alignment, taken from one
                        that is not, times :func:`order_reliability`;
    ``unit_bonus``      added when local and parent units share a specific job;
    ``align_floor``     pairs below it never anchor the alignment;
    ``carry_threshold`` a clause is carried when its similarity to a linked item reaches it;
    ``candidate_floor`` sub-threshold matches below it are not kept as candidates, nor linked as
                        mutual best matches (:func:`mutual_best`);
    ``own_clause``      a duty other than the item's best needs a clause of its own this similar
                        (:func:`own_clause_scores`);
    ``distinctive_duties`` a link below ``threshold`` needs a shared word found in at most this
                        many duties of the parent (:func:`distinctive_words`).
    """

    threshold: float = 0.30
    best_threshold: float = 0.13
    tie_ratio: float = 0.95
    second_ratio: float = 0.4
    order_bonus: float = 0.10
    unit_bonus: float = 0.05
    align_floor: float = 0.20
    carry_threshold: float = 0.30
    candidate_floor: float = 0.05
    own_clause: float = 0.25
    distinctive_duties: int = 5


DEFAULT_PARAMS = LinkParams()


def corpus_index(docs: Sequence[Document]) -> TextIndex:
    """One index over every item of the corpus, so IDF reflects the genre, not one pair.

    Clauses are not indexed separately: they are parts of items and would count each word again.
    """
    return TextIndex.fit([item_text(it) for d in docs for it in d.items])


def _group_max(matrix: np.ndarray, rows: list[int], cols: list[int], shape: tuple[int, int]) -> np.ndarray:
    """Max of ``matrix`` over clause groups: rows[k]/cols[k] name the item of clause k."""
    out = np.zeros(shape)
    if matrix.size:
        r = np.asarray(rows)
        c = np.asarray(cols)
        np.maximum.at(out, (r[:, None], c[None, :]), matrix)
    return out


def boilerplate_clauses(index: TextIndex, items: Sequence[Item], similarity: float = 0.8) -> set[str]:
    """Clauses of a document that recur (near-verbatim) in another of its own items.

    A sentence a plan repeats under several duties — 各部门要明确专人负责，确保按期完成;
    每季度开展一次自查 — cannot tell its duties apart, so it must not make a local item match an
    unrelated duty that happens to end with the same sentence.  A clause carried down a lineage
    appears once per document, so it is never boilerplate by this test.

    >>> items = [Item(1, "推进财政信息公开。各部门要明确专人负责，确保按期完成。"),
    ...          Item(2, "做好政策解读工作。各部门要明确专人负责，确保按期完成。")]
    >>> boilerplate_clauses(TextIndex.fit([i.text for i in items]), items)
    {'各部门要明确专人负责，确保按期完成。'}
    """
    texts, owner = _clause_lists(items)
    if len(texts) < 2:
        return set()
    sims = index.similarity(texts, texts)
    own = np.asarray(owner)
    other_item = own[:, None] != own[None, :]
    return {t for t, row in zip(texts, (sims >= similarity) & other_item) if row.any()}


def corpus_formulas(docs: Sequence[Document], headings: int = FORMULA_HEADINGS, share: float = FORMULA_SHARE) -> set[str]:
    """Clauses the corpus attaches to many different duties: closing formulas, not obligations.

    每季度开展一次自查，发现问题及时整改; 0月底前报送半年工作总结 — a plan may end any item with
    such a sentence, and its parent ends other duties with it, so it says nothing about *which*
    duty an item implements.  A clause (digits folded) is a formula when the items that contain
    it carry at least ``headings`` distinct headings and that many headings are at least
    ``share`` of those items: a duty's own clause, carried down a lineage, recurs under a few
    rewordings of one heading however often it is copied.  A small corpus has none.
    """
    heads: dict[str, set[str]] = {}
    count: dict[str, int] = {}
    raw: dict[str, list[str]] = {}
    for d in docs:
        for it in d.items:
            clauses = split_clauses(it.text, it.title)
            head = normalise(it.title or (clauses[0] if clauses else ""))
            for c in clauses:
                key = normalise(c)
                heads.setdefault(key, set()).add(head)
                count[key] = count.get(key, 0) + 1
                raw.setdefault(key, []).append(c)
    return {
        c
        for key, hs in heads.items()
        if len(hs) >= headings and len(hs) >= share * count[key]
        for c in raw[key]
    }


def _own_formulas(doc: Document, formulas: set[str]) -> set[str]:
    """The corpus formulas that occur in one document (a small set to pass around per pair)."""
    return {c for it in doc.items for c in split_clauses(it.text, it.title) if c in formulas}


def _clause_lists(
    items: Sequence[Item], boilerplate: set[str] = frozenset(), headings: bool = False
) -> tuple[list[str], list[int]]:
    """Clauses of every item with their owner's position; boilerplate left out where an item has
    more, or where it has a heading to stand for it.

    With ``headings``, an item's heading (which :func:`split_clauses` drops: it is not an
    obligation) counts as one more clause.
    """
    texts, owner = [], []
    for k, it in enumerate(items):
        cl = split_clauses(it.text, it.title) or [item_text(it)]
        # an item that loses sentences as boilerplate is still named by its heading
        kept = [c for c in cl if c not in boilerplate]
        if len(kept) < len(cl) and it.title and it.title not in kept:
            kept = [it.title, *kept]
        cl = kept or cl
        if headings and it.title and it.title not in cl:
            cl = [it.title, *cl]
        texts.extend(cl)
        owner.extend([k] * len(cl))
    return texts, owner


def _texts_to_compare(docs: Iterable[Document]) -> list[str]:
    """Every text linking may compare for these documents: items, their clauses and headings
    (vectorised in one batch by :meth:`TextIndex.prepare`, not one document pair at a time)."""
    seen: set[str] = set()
    out: list[str] = []
    for d in docs:
        if d.doc_id in seen:
            continue
        seen.add(d.doc_id)
        for it in d.items:
            out.append(item_text(it))
            out.extend(split_clauses(it.text, it.title))
            if it.title:
                out.append(it.title)
    return out


@lru_cache(maxsize=1 << 17)  # every unit name of a national corpus (~27,000 agencies at 1,000 plans)
def _unit_kind(name: str) -> str:
    from policy_lineage.ingest.units import unit_kind

    return unit_kind(name)


def _specific_kinds(items: Sequence[Item]) -> list[set[str]]:
    """Per item, the jobs of its named (not collective) units, minus jobs most items share."""
    kinds = [{_unit_kind(u.name) for u in (*it.lead_units, *it.units) if not u.collective} for it in items]
    counts: dict[str, int] = {}
    for ks in kinds:
        for k in ks:
            counts[k] = counts.get(k, 0) + 1
    common = {k for k, n in counts.items() if n > max(2, len(items) // 3)}
    return [ks - common for ks in kinds]


def score_pairs(
    index: TextIndex,
    children: Sequence[Item],
    parents: Sequence[Item],
    boilerplate: set[str] = frozenset(),
    headings: bool = False,
) -> dict[str, np.ndarray]:
    """The views of every (local item, duty) pair, each a ``len(children) × len(parents)`` matrix.

    Returns ``item``, ``clause``, ``contain``, ``clause_contain``, ``units`` (0/1) and ``text``
    (the mean of the four text views).  Clauses in ``boilerplate`` (see
    :func:`boilerplate_clauses`) take no part in the clause views; with ``headings`` a duty's
    heading takes part in them as a clause of its own (see :func:`link_pair` for when).

    Examples
    --------
    >>> kids = [Item(1, "推进财政信息公开。扩大预决算公开范围。"), Item(2, "做好政策解读。")]
    >>> duties = [Item(1, "做好重大政策解读。注重解读政策背景。"), Item(2, "推进财政信息公开。不断扩大预决算公开范围。")]
    >>> idx = TextIndex.fit([item_text(i) for i in kids + duties])
    >>> s = score_pairs(idx, kids, duties)["text"]
    >>> [int(row.argmax()) for row in s]
    [1, 0]
    """
    shape = (len(children), len(parents))
    ct = [item_text(i) for i in children]
    pt = [item_text(i) for i in parents]
    cc, cown = _clause_lists(children, boilerplate)
    pc, pown = _clause_lists(parents, boilerplate, headings)
    views = {
        "item": index.similarity(ct, pt),
        "contain": index.containment(ct, pt),
        "clause": _group_max(index.similarity(cc, pc), cown, pown, shape),
        "clause_contain": _group_max(index.containment(cc, pc), cown, pown, shape),
    }
    views["text"] = (views["item"] + views["clause"] + views["contain"] + views["clause_contain"]) / 4
    ck, pk = _specific_kinds(children), _specific_kinds(parents)
    views["units"] = np.array([[1.0 if a & b else 0.0 for b in pk] for a in ck]).reshape(shape)
    return views


def align(scores: np.ndarray, floor: float) -> dict[int, int]:
    """Monotone alignment: child row → parent column, maximising the summed excess over ``floor``.

    Rows increase strictly, columns never decrease (consecutive local items may split one duty);
    only pairs above ``floor`` take part.  Dynamic programming over prefix maxima, O(rows × cols).

    >>> align(np.array([[.9, .1, .1], [.1, .1, .8], [.1, .7, .1]]), .2)
    {0: 0, 1: 2}
    """
    n, m = scores.shape
    if not n or not m:
        return {}
    gain = np.where(scores > floor, scores - floor, -np.inf)
    cols = np.arange(m)
    # best chain over the rows so far ending at a column ≤ j, and the (row, column) it ends at;
    # a later column takes over only when strictly better (the earliest of equal chains is kept)
    prefix, arg_i, arg_j = np.zeros(m), np.full(m, -1), np.full(m, -1)
    back_i, back_j = np.full((n, m), -1), np.full((n, m), -1)  # the chain each (i, j) extends
    for i in range(n):
        row = gain[i] + prefix  # best chain ending exactly at (i, j); -inf where (i, j) cannot take part
        back_i[i], back_j[i] = arg_i, arg_j
        take = row > prefix
        value = np.where(take, row, prefix)
        src_i, src_j = np.where(take, i, arg_i), np.where(take, cols, arg_j)
        prefix = np.maximum.accumulate(value)
        improved = np.ones(m, dtype=bool)
        improved[1:] = value[1:] > prefix[:-1]
        at = np.maximum.accumulate(np.where(improved, cols, 0))
        arg_i, arg_j = src_i[at], src_j[at]
    path: dict[int, int] = {}
    i, j = int(arg_i[-1]), int(arg_j[-1])
    while i >= 0:
        path[i] = j
        i, j = int(back_i[i, j]), int(back_j[i, j])
    return dict(sorted(path.items()))


def order_consistent(i: int, j: int, path: dict[int, int], n_parents: int) -> bool:
    """Whether pair (i, j) lies between the aligned neighbours of row ``i``.

    A merged local item (row 9 aligned to duty 10 and row 11 to duty 13) may implement duties
    11 and 12; a stray match of row 0 to duty 13 is not in order.

    >>> path = {8: 10, 9: 11, 10: 13}
    >>> order_consistent(9, 12, path, 22), order_consistent(9, 14, path, 22)
    (True, False)
    """
    before = [path[k] for k in path if k < i]
    after = [path[k] for k in path if k > i]
    lo = max(before) if before else 0
    hi = min(after) if after else n_parents - 1
    return lo <= j <= hi


def order_reliability(scores: np.ndarray, floor: float) -> float:
    """How much a local document follows its parent's order: Kendall's tau, clipped at 0.

    Computed over local items whose best duty scores above ``floor``, between their position
    and their best duty's position; 0 unless the correlation is significant (two-sided
    p < :data:`ORDER_SIGNIFICANCE`), so a handful of chance agreements cannot switch order on.
    安居区 follows the province item by item (tau 1.0); 眉山's 基层 table regroups the duties by
    theme (tau 0 to 0.25 depending on the corpus, not significant), so order must not count there.

    >>> round(order_reliability(np.eye(8), .5), 6)
    1.0
    >>> order_reliability(np.eye(8)[::-1], .5), order_reliability(np.eye(5), .5)  # reversed; too few
    (0.0, 0.0)
    """
    from scipy.stats import kendalltau

    if not scores.size:
        return 0.0
    confident = scores.max(axis=1) >= floor
    best = scores.argmax(axis=1)[confident]
    if len(best) < 3 or len(set(best)) < 2:
        return 0.0
    result = kendalltau(np.arange(len(best)), best)
    tau, p = result.statistic, result.pvalue
    if not np.isfinite(tau) or not p < ORDER_SIGNIFICANCE:
        return 0.0
    return float(max(0.0, tau))


def _final_scores(views: dict[str, np.ndarray], params: LinkParams, reliability: float | None = None) -> np.ndarray:
    """Text score plus the order and unit bonuses (``reliability`` when already computed on these views)."""
    text = views["text"]
    n, m = text.shape
    if reliability is None:
        reliability = order_reliability(text, params.align_floor)
    weight = params.order_bonus * reliability
    bonus = np.zeros((n, m))
    if weight:  # the alignment matters only where order counts
        lo, hi = _order_windows(align(text, params.align_floor), n, m)
        cols = np.arange(m)[None, :]
        bonus = np.where((cols >= lo[:, None]) & (cols <= hi[:, None]), weight, -weight)
    # a score, not a probability: kept in [0, 1] so every consumer can read it the same way
    return np.clip(text + bonus + params.unit_bonus * views["units"], 0.0, 1.0)


def _order_windows(path: dict[int, int], n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the columns :func:`order_consistent` accepts (lowest, highest), for all rows at once."""
    at = np.full(n, -1)  # aligned column per row, -1 where the row is not aligned
    at[list(path)] = list(path.values())
    # the highest aligned column of an earlier row, the lowest of a later one
    before = np.concatenate([[0], np.maximum.accumulate(np.maximum(at, 0))[:-1]])
    later = np.where(at >= 0, at, m - 1)
    after = np.concatenate([np.minimum.accumulate(later[::-1])[::-1][1:], [m - 1]])
    return before, after


def own_clause_scores(
    index: TextIndex,
    children: Sequence[Item],
    parents: Sequence[Item],
    best: np.ndarray,
    boilerplate: set[str] = frozenset(),
    headings: bool = False,
) -> np.ndarray:
    """Per (local item, duty), the best clause cosine left once the item's best duty has taken its clauses.

    A local clause does not count for duty ``j`` when it restates a clause of the item's best
    duty ``best[i]`` (cosine at least :data:`TAKEN_SIMILARITY`) and matches ``j`` less well.  Two
    duties of one parent often word one theme twice (推进民生保障信息公开 / 切实推进民生保障信息公开),
    and a local item carrying the one then matches the other through the same sentences; a
    merged item instead carries a clause of each duty, each closest to its own duty.  Headings
    count as clauses on both sides here: a merged item's second duty is often named only by a
    heading-like first sentence.  A clause that matches two duties equally (both say it) counts for both.

    >>> kids = [Item(1, "推进民生保障信息公开。公开就业帮扶政策。")]
    >>> duties = [Item(1, "推进民生保障信息公开。公开就业帮扶政策。"), Item(2, "切实推进民生保障信息公开。公开就业专项活动。")]
    >>> idx = TextIndex.fit([item_text(i) for i in kids + duties])
    >>> float(own_clause_scores(idx, kids, duties, np.array([0]))[0, 1])
    0.0
    """
    shape = (len(children), len(parents))
    cc, cown = _clause_lists(children, boilerplate, headings=True)
    pc, pown = _clause_lists(parents, boilerplate, headings=True)
    sims = index.similarity(cc, pc)
    if not sims.size:
        return np.zeros(shape)
    cown_a, pown_a = np.asarray(cown), np.asarray(pown)
    of_best = pown_a[None, :] == np.asarray(best)[cown_a][:, None]
    to_best = np.where(of_best, sims, 0.0).max(axis=1)
    taken = (to_best >= TAKEN_SIMILARITY)[:, None] & (sims < to_best[:, None])
    own = np.where(taken, 0.0, sims)
    return _group_max(own, cown, pown, shape)


def distinctive_words(parents: Sequence[Item], most: int) -> list[frozenset[str]]:
    """Per duty, its words that occur in at most ``most`` duties of the same document.

    Such a word tells the duty apart from its siblings (绩效考核, 政策文件库); a word most duties
    use (公开, 服务, 优化) says only that the text belongs to the genre.  Counted within the parent
    document, so the measure does not depend on the size of the corpus.

    >>> duties = [Item(1, "推进财政信息公开。"), Item(2, "推进政务服务公开。"), Item(3, "做好政策解读公开。")]
    >>> [sorted(w) for w in distinctive_words(duties, 1)]
    [['信息', '信息公开', '财政'], ['政务', '政务服务', '服务'], ['政策', '政策解读', '解读']]
    """
    words = [frozenset(tokens(item_text(it))) for it in parents]
    df: dict[str, int] = {}
    for ws in words:
        for w in ws:
            df[w] = df.get(w, 0) + 1
    return [frozenset(w for w in ws if df[w] <= most) for ws in words]


#: Phrase boundaries for :func:`phrases`: sentence ends, commas, enumeration commas, colons.
_PHRASE_CUT = re.compile(r"[，,、；;。：:！？!?]")
_PHRASE_CONTENT = re.compile(r"[\u4e00-\u9fffA-Za-z]")


def phrases(text: str) -> list[str]:
    """The comma-separated phrases of a text (two letters or more), or the text itself.

    >>> phrases("建立政策“解读人”制度，做好即时解读、跟踪解读。")
    ['建立政策“解读人”制度', '做好即时解读', '跟踪解读']
    """
    out = [p for p in _PHRASE_CUT.split(text) if len(_PHRASE_CONTENT.findall(p)) >= 2]
    return out or [text]


def phrase_votes(index: TextIndex, children: Sequence[Item], parents: Sequence[Item], floor: float = 0.0) -> np.ndarray:
    """Per (local item, duty), the share of the item's phrases that match that duty best.

    Each phrase (:func:`phrases`) votes for the duty whose whole text it is most similar to (a
    tie splits the vote); a phrase whose best cosine is below ``floor`` (a chance match on a
    character pair such as 组织) votes for none.  Unlike a cosine, the count
    does not grow with the length of one shared phrase: an item that restates a long qualifier
    of one duty but whose other phrases all name another duty's action votes for the other.
    Phrases are vectorised without entering the index (only a few items need votes).

    >>> duties = [Item(1, "对涉及群众切身利益的政策措施，充分听取意见。"), Item(2, "做好政策解读，丰富解读形式。")]
    >>> kid = [Item(1, "对涉及群众切身利益的政策开展解读，建立解读人制度，丰富解读形式。")]
    >>> idx = TextIndex.fit([item_text(i) for i in duties + kid])
    >>> phrase_votes(idx, kid, duties).round(2).tolist()
    [[0.33, 0.67]]
    """
    shape = (len(children), len(parents))
    texts, owner = [], []
    for k, it in enumerate(children):
        for p in phrases(item_text(it)):
            texts.append(p)
            owner.append(k)
    if not texts or not len(parents):
        return np.zeros(shape)
    sims = index.similarity(texts, [item_text(p) for p in parents], keep=False)
    top = sims.max(axis=1, keepdims=True)
    win = (sims >= top - 1e-9) & (top > 0) & (top >= floor)
    share = win / np.maximum(win.sum(axis=1, keepdims=True), 1)
    out = np.zeros(shape)
    own = np.asarray(owner)
    np.add.at(out, own, share)
    return out / np.maximum(np.bincount(own, minlength=len(children)), 1)[:, None]


def mutual_best(score: np.ndarray, floor: float) -> set[int]:
    """Local items (rows) whose best duty has them as its best local item, scoring ``floor`` or more.

    Competitive linking: a plan that rephrases its parent's duties in its own words scores low
    against everything, the right duty included, but the right duty is then still the row's best
    and the row is the duty's best.  A row that only shares the genre's vocabulary is rarely the
    best row for its best duty: the local item that really carries the duty scores higher there.

    >>> mutual_best(np.array([[.10, .02], [.06, .04], [.01, .03]]), .05)
    {0}
    """
    if not score.size:
        return set()
    best_col = score.argmax(axis=1)
    best_row = score.argmax(axis=0)
    return {i for i, j in enumerate(best_col) if best_row[j] == i and score[i, j] >= floor}


def link_pair(
    index: TextIndex,
    child: Document,
    parent: Document,
    params: LinkParams = DEFAULT_PARAMS,
    boilerplate: set[str] | None = None,
) -> tuple[list[Link], list[Link], list[Carry]]:
    """Links, candidates and carried clauses for one ``ANSWERS_TO`` pair of documents.

    ``boilerplate`` is the two documents' repeated clauses (computed here when not given).
    """
    cid, pid = child.doc_id, parent.doc_id
    if not child.items or not parent.items:
        return [], [], []
    if boilerplate is None:
        boilerplate = boilerplate_clauses(index, child.items) | boilerplate_clauses(index, parent.items)
    views = score_pairs(index, child.items, parent.items, boilerplate)
    reliable = order_reliability(views["text"], params.align_floor)
    if not reliable:
        # regrouped by theme: no position says which duty a row answers, only its content does,
        # and a duty's heading (推进办事服务公开标准化) is that content in brief
        views = score_pairs(index, child.items, parent.items, boilerplate, headings=True)
    score = _final_scores(views, params, reliable or None)
    links: list[Link] = []
    mutual = mutual_best(score, params.candidate_floor)
    best = score.argmax(axis=1)
    own = own_clause_scores(index, child.items, parent.items, best, boilerplate, headings=not reliable)
    distinctive = distinctive_words(parent.items, params.distinctive_duties)
    words = [frozenset(tokens(item_text(c))) for c in child.items]
    # below the threshold the ranking decides, and phrases decide the ranking (see phrase_votes)
    eligible = {
        i: [j for j in range(len(parent.items)) if score[i, j] >= params.best_threshold and words[i] & distinctive[j]]
        for i in range(len(child.items))
        if score[i].max() < params.threshold
    }
    eligible = {i: js for i, js in eligible.items() if len(js) > 1}
    voted = dict(zip(eligible, phrase_votes(index, [child.items[i] for i in eligible], parent.items, params.candidate_floor)))
    for i, c in enumerate(child.items):
        top = float(score[i].max())
        near_best = top >= params.best_threshold or i in mutual
        dropped: set[int] = set()
        if i in voted:
            votes = voted[i]
            most = max(votes[j] for j in eligible[i])
            winners = [j for j in eligible[i] if votes[j] >= most - 1e-9]
            top = max(float(score[i, j]) for j in winners)
            dropped = {j for j in eligible[i] if votes[j] < most - 1e-9 and score[i, j] > top}
        for j, p in enumerate(parent.items):
            if j in dropped:
                continue
            above = score[i, j] >= params.threshold and score[i, j] >= params.second_ratio * top
            # a duty other than the best needs a clause of its own, not one the best duty explains
            above = above and (j == best[i] or own[i, j] >= params.own_clause)
            tie = near_best and score[i, j] >= params.tie_ratio * top
            # below the threshold a link rests on ranking alone: it must share a word that tells
            # the duty apart from its siblings, not only the genre's vocabulary (政府, 公开, 制度)
            tie = tie and (score[i, j] >= params.threshold or bool(words[i] & distinctive[j]))
            if above or tie:
                links.append(_link(index, c, p, cid, pid, float(score[i, j]), "IMPLEMENTS"))
    linked_parents = {l.parent for l in links}
    candidates = []
    for j, p in enumerate(parent.items):
        if p.item_id(pid) in linked_parents:
            continue
        i = int(score[:, j].argmax())
        if score[i, j] >= params.candidate_floor:
            candidates.append(_link(index, child.items[i], p, cid, pid, float(score[i, j]), "CANDIDATE"))
    carries = _carries(index, child, parent, links, params)
    return links, candidates, carries


def _link(index: TextIndex, c: Item, p: Item, cid: str, pid: str, score: float, relation: str) -> Link:
    return Link(
        child=c.item_id(cid),
        parent=p.item_id(pid),
        relation=relation,
        score=round(score, 4),
        method=METHOD,
        status="auto",
        evidence=index.shared_phrases(item_text(c), item_text(p)),
    )


def _carries(index: TextIndex, child: Document, parent: Document, links: list[Link], params: LinkParams) -> list[Carry]:
    """Which clauses of each linked duty the linked local items carry.

    A clause's score against a local item is the better of its containment in the whole item and
    its best cosine with one of the item's clauses; all pairs of one document pair at once.
    """
    if not links:
        return []
    kids = {it.item_id(child.doc_id): k for k, it in enumerate(child.items)}
    duties = {it.item_id(parent.doc_id): it for it in parent.items}
    clauses = {pid: item_clauses(pid, duties[pid]) for pid in dict.fromkeys(l.parent for l in links)}
    flat = [c for cs in clauses.values() for c in cs]
    if not flat:
        return []
    row = {c.clause_id: k for k, c in enumerate(flat)}
    texts = [c.text for c in flat]
    kid_texts = [item_text(it) for it in child.items]
    kc, kown = _clause_lists(child.items)
    whole = index.containment(texts, kid_texts)
    best = _group_max(index.similarity(texts, kc), list(range(len(flat))), kown, whole.shape)
    score = np.maximum(whole, best)
    out: list[Carry] = []
    for l in links:
        i = kids[l.child]
        for cl in clauses[l.parent]:
            s = score[row[cl.clause_id], i]
            if s >= params.carry_threshold:
                out.append(Carry(l.child, cl.clause_id, round(float(s), 4), index.shared_phrases(cl.text, kid_texts[i])))
    return out


def link_documents(
    docs: Sequence[Document], parents: Sequence[DocLink], params: LinkParams = DEFAULT_PARAMS, pair_cache=None
) -> Lineage:
    """Item links, candidates, clauses and carries for every ``ANSWERS_TO`` pair in ``parents``.

    Pairs whose parent is a stub (not in ``docs``) produce no item links.  The result is
    deterministic: the same inputs give the same links in the same order, with the same ids.
    ``pair_cache`` (optional, ``get(child, parent)`` → a :func:`link_pair` result or None, and
    ``put(child, parent, result)``) spares a rebuild the pairs it already scored; the corpus
    index is fitted only when some pair is missing.  When a result may be reused is the cache's
    decision (see :mod:`policy_lineage.workspace`).
    """
    by_id = {d.doc_id: d for d in docs}
    pairs = [(by_id[l.child], by_id[l.parent]) for l in parents if l.relation == "ANSWERS_TO" and l.child in by_id and l.parent in by_id]
    lineage = Lineage(doc_links=list(parents))
    if not pairs:
        return lineage
    index = None
    formulas: set[str] | None = None
    seen_parents: set[str] = set()
    repeated: dict[str, set[str]] = {}
    cached = [pair_cache.get(child, parent) if pair_cache is not None else None for child, parent in pairs]
    for (child, parent), result in zip(pairs, cached):
        if result is None:
            if index is None:
                index = corpus_index(docs)
                index.prepare(_texts_to_compare(d for pair, hit in zip(pairs, cached) if hit is None for d in pair))
                formulas = corpus_formulas(docs)
            for d in (child, parent):
                if d.doc_id not in repeated:
                    repeated[d.doc_id] = boilerplate_clauses(index, d.items) | _own_formulas(d, formulas)
            result = link_pair(index, child, parent, params, repeated[child.doc_id] | repeated[parent.doc_id])
            if pair_cache is not None:
                pair_cache.put(child, parent, result)
        links, candidates, carries = result
        lineage.links.extend(links)
        lineage.candidates.extend(candidates)
        lineage.carries.extend(carries)
        if parent.doc_id not in seen_parents:
            seen_parents.add(parent.doc_id)
            for it in parent.items:
                lineage.clauses.extend(item_clauses(it.item_id(parent.doc_id), it))
    return lineage
