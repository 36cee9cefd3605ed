"""Peer documents of one cycle and the items they share (``SIBLING_OF``).

Two plans of the same cycle year issued by governments side by side (眉山市 2023 and 万源市 2023,
or two counties of one city) answer to the same higher plan, so most of their items restate the
same higher duties.  When that common parent is *in* the corpus the relation is already in the
graph — two items implementing one duty are siblings through it, a two-hop pattern — so storing
it again would add nothing but a quadratic number of edges.  It matters when the parent is
missing: then only the peers' texts say which of their items are one duty.  Hence:

**Peers** (:func:`peer_pairs`): two documents with items, of one year, issued by different
governments neither of which is above the other, whose lowest common ancestor region (the
government both answer to) has no document of that year in the corpus — and with no document of
that year on either one's own path below it (a county whose city plan *is* present answers to
its city, not to the province it shares with another city).  Levels may differ: a
county-level city (万源市, under 达州市) and a prefecture-level city (眉山市) are peers under the
province when 达州's plan is missing too.  Provinces with no common region are peers under the
national plan.

**Links** (:func:`link_siblings`): the two-stage item linking of
:func:`policy_lineage.graph.linking.link_pair` run in both directions, and a pair kept when
*both* directions accept it.  Linking is asymmetric (a local item's best duty, containment of
the local text in the duty), while SIBLING_OF is not: a mutual acceptance is the symmetric
reading of the same rules, and keeps many-to-many (万源 merges several 眉山 items into one row:
each 眉山 item's best is that row, and the row accepts each as a near-best or above-threshold
match).  The parameters are linking's own (:data:`~policy_lineage.graph.linking.DEFAULT_PARAMS`)
but one (:data:`SIBLING_PARAMS`): a pair needs :attr:`~LinkParams.threshold` even when it is an
item's best (``best_threshold``) or a mutual best (``candidate_floor``, which also bounds the
mutual-best rescue).  Linking accepts a local item's best duty from a lower score because a
short table row restating a long provincial paragraph scores low against its real parent, and a
plan that rewords its parent scores low everywhere; between peers
both sides are local restatements, while a task only one peer has still has *some* best match
in the other (two local additions that share 信息发布 scored 0.15 in the tests), so the rescue
would link what is not shared.  ``tests/gold/README.md`` has the figures and their sensitivity.

One direction is stored (first end = the item of the document whose id sorts first), so the
link id is stable; queries match the relation undirected.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import combinations
from typing import Sequence

from policy_lineage.graph.lineage import is_ancestor, level_rank
from policy_lineage.graph.linking import DEFAULT_PARAMS, METHOD, LinkParams, boilerplate_clauses, corpus_index, link_pair
from policy_lineage.graph.model import Document, Link
from policy_lineage.graph.textsim import TextIndex

__all__ = ["SIBLING_METHOD", "SIBLING_PARAMS", "PeerPair", "common_parent_path", "peer_pairs", "link_siblings", "sibling_links"]

SIBLING_METHOD = METHOD + "+mutual"
#: Linking's parameters, with no low-score rescue of an item's best match (see above).
SIBLING_PARAMS = replace(DEFAULT_PARAMS, best_threshold=DEFAULT_PARAMS.threshold, candidate_floor=DEFAULT_PARAMS.threshold)


@dataclass(frozen=True)
class PeerPair:
    """Two peer documents (``a`` has the smaller doc id) and the region path both answer to.

    ``parent_path`` is empty when the common parent is national.
    """

    a: Document
    b: Document
    parent_path: tuple[str, ...]

    @property
    def year(self) -> int | None:
        return self.a.year


def common_parent_path(a: Document, b: Document) -> tuple[str, ...] | None:
    """The region path of the government both documents answer to, or None if they are not side by side.

    The longest common prefix of their region paths, provided it is shorter than both (neither
    document is issued by that government or above the other); two provinces share the national
    level (an empty path).

    >>> c = lambda *p: Document("x", region_path=list(p), level=("province", "city", "county")[len(p) - 1])
    >>> common_parent_path(c("四川省", "眉山市"), c("四川省", "达州市", "万源市"))
    ('四川省',)
    >>> common_parent_path(c("四川省", "眉山市"), c("四川省", "眉山市", "东坡区")) is None
    True
    >>> common_parent_path(c("四川省"), c("重庆市")), common_parent_path(c("四川省", "眉山市"), c("重庆市")) is None
    ((), True)
    """
    pa, pb = tuple(a.region_path), tuple(b.region_path)
    if not pa or not pb or is_ancestor(a, b) or is_ancestor(b, a):
        return None
    k = 0
    while k < min(len(pa), len(pb)) and pa[k] == pb[k]:
        k += 1
    if k >= len(pa) or k >= len(pb):
        return None
    if k == 0 and not (level_rank(a) == level_rank(b) == 1):
        return None  # different provinces: only provinces themselves are peers (under the national plan)
    return pa[:k]


def _free_depth(path: tuple[str, ...], issuers: set[tuple[str, ...]]) -> int:
    """The shallowest depth a missing common parent can have: one below the nearest ancestor with a plan.

    >>> _free_depth(("四川省", "达州市", "万源市"), {("四川省",)}), _free_depth(("四川省", "眉山市"), set())
    (2, 0)
    """
    for k in range(len(path) - 1, -1, -1):
        if path[:k] in issuers:
            return k + 1
    return 0


def peer_pairs(docs: Sequence[Document]) -> list[PeerPair]:
    """Pairs of peer documents whose common parent is not in the corpus, in a stable order.

    >>> from policy_lineage.graph.model import Item
    >>> d = lambda p, y=2023: Document("要点" + p[-1], region_path=list(p), region=p[-1], year=y,
    ...                                level=("province", "city", "county")[len(p) - 1], items=[Item(1, "a")])
    >>> ms, wy = d(("四川省", "眉山市")), d(("四川省", "达州市", "万源市"))
    >>> [(sorted([p.a.region, p.b.region]), p.parent_path) for p in peer_pairs([ms, wy])]
    [(['万源市', '眉山市'], ('四川省',))]
    >>> peer_pairs([ms, wy, d(("四川省",))])  # the province's own plan is in the corpus
    []
    >>> dz = d(("四川省", "达州市"))  # 万源 answers to 达州's plan; 达州 and 眉山 are peers
    >>> [sorted([p.a.region, p.b.region]) for p in peer_pairs([ms, wy, dz])]
    [['眉山市', '达州市']]
    >>> peer_pairs([ms, d(("四川省", "达州市", "万源市"), 2021)])  # another cycle
    []
    """
    issuers: dict[int | None, set[tuple[str, ...]]] = {}
    for doc in docs:
        if doc.items:
            path = () if doc.level == "national" else tuple(doc.region_path)
            issuers.setdefault(doc.year, set()).add(path)
    by_year: dict[int, list[Document]] = {}
    for doc in docs:
        if doc.year is not None and doc.items and doc.region_path and doc.level != "national":
            by_year.setdefault(doc.year, []).append(doc)
    out: list[PeerPair] = []
    for year in sorted(by_year):
        # each document under every region its missing parent could be: none when its own
        # parent's plan is in the corpus, so a complete corpus costs one pass
        under: dict[tuple[str, ...], list[Document]] = {}
        for doc in by_year[year]:
            path = tuple(doc.region_path)
            for k in range(_free_depth(path, issuers[year]), len(path)):
                under.setdefault(path[:k], []).append(doc)
        found: dict[tuple[str, str], PeerPair] = {}
        for top, members in under.items():
            for a, b in combinations(sorted(members, key=lambda d: d.doc_id), 2):
                if common_parent_path(a, b) == top:
                    found[(a.doc_id, b.doc_id)] = PeerPair(a, b, top)
        out.extend(found[k] for k in sorted(found))
    return out


def link_siblings(
    index: TextIndex,
    a: Document,
    b: Document,
    params: LinkParams = SIBLING_PARAMS,
    boilerplate: set[str] | None = None,
) -> list[Link]:
    """SIBLING_OF links between two peer documents: the pairs linking accepts in both directions.

    Each link runs from the item of ``a`` to the item of ``b``; its score is the mean of the two
    directions' scores, its evidence the shared key phrases.
    """
    if boilerplate is None:
        boilerplate = boilerplate_clauses(index, a.items) | boilerplate_clauses(index, b.items)
    forward, _, _ = link_pair(index, a, b, params, boilerplate)
    backward, _, _ = link_pair(index, b, a, params, boilerplate)
    back = {(l.parent, l.child): l for l in backward}
    out = []
    for l in forward:
        other = back.get((l.child, l.parent))
        if other is not None:
            score = round((l.score + other.score) / 2, 4)
            out.append(Link(l.child, l.parent, "SIBLING_OF", score, SIBLING_METHOD, "auto", list(l.evidence)))
    return out


def sibling_links(
    docs: Sequence[Document],
    pairs: Sequence[PeerPair] | None = None,
    index: TextIndex | None = None,
    params: LinkParams = SIBLING_PARAMS,
) -> list[Link]:
    """SIBLING_OF links of every peer pair of the corpus (``pairs`` computed when not given).

    The text index is fitted on the whole corpus when not given, as item linking does, so IDF
    reflects the genre.
    """
    pairs = peer_pairs(docs) if pairs is None else pairs
    if not pairs:
        return []
    index = index or corpus_index(docs)
    repeated: dict[str, set[str]] = {}
    out: list[Link] = []
    for pair in pairs:
        for d in (pair.a, pair.b):
            if d.doc_id not in repeated:
                repeated[d.doc_id] = boilerplate_clauses(index, d.items)
        out.extend(link_siblings(index, pair.a, pair.b, params, repeated[pair.a.doc_id] | repeated[pair.b.doc_id]))
    return out
