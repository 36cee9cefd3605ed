"""Inferred plans whose real parent arrived: the peers that made them, and the real duties they were.

An inferred plan (:mod:`policy_lineage.graph.inferred`) stands in for a common parent missing
from the corpus.  When that parent is ingested later, the peers answer to it and their items
link to its duties; the inferred plan is no longer needed for gaps, but it was a *record*:
supervisors took decisions on its duties (``accept-gap 四川省2023年任务（由同期下级文件推断）#7
万源市``) and researchers read it.  This module finds, for a superseded plan, the peers that
inferred it (:func:`arrived_pairs`) and which real duty each inferred duty was
(:func:`resolution_links`), so the record can be rebuilt beside the real plan and decisions on it
carried over (graph/curation.py).

``RESOLVES_TO`` (inferred duty → real duty) is its own relation rather than an ``IMPLEMENTS``
with another method: an inferred duty does not implement the real one, it *is* a reconstruction
of it, and keeping it out of ``IMPLEMENTS`` keeps trace, orphan and link-quality queries, which
follow ``IMPLEMENTS``, free of province-to-province links.
"""

from __future__ import annotations

from typing import Collection, Sequence

from policy_lineage.graph.clauses import item_text
from policy_lineage.graph.model import Document, Link
from policy_lineage.graph.siblings import PeerPair, peer_pairs
from policy_lineage.graph.textsim import TextIndex

__all__ = ["RESOLVES_TO", "RESOLVED_METHOD", "Key", "real_plans", "arrived_pairs", "resolution_links"]

RESOLVES_TO = "RESOLVES_TO"
#: ``Link.method`` of a RESOLVES_TO: decided by the members' own links to the real plan.
RESOLVED_METHOD = "members"

#: A common parent: its region path (empty for the national level) and the cycle year.
Key = tuple[tuple[str, ...], int]


def _path(doc: Document) -> tuple[str, ...]:
    return () if doc.level == "national" else tuple(doc.region_path)


def real_plans(docs: Sequence[Document], keys: Collection[Key]) -> dict[Key, list[Document]]:
    """The ingested plans (with items) issued at each of ``keys``, for the keys that have one."""
    out: dict[Key, list[Document]] = {}
    for doc in docs:
        key = (_path(doc), doc.year)
        if doc.items and doc.year is not None and key in keys:
            out.setdefault(key, []).append(doc)
    return out


def arrived_pairs(docs: Sequence[Document], keys: Collection[Key]) -> dict[Key, tuple[list[Document], list[PeerPair]]]:
    """For each common parent of ``keys`` whose plan is now in ``docs``: its plans, and the peer
    pairs that would answer to it if those plans were missing (the pairs that inferred it).

    Only the real plans of that parent are set aside, so peers are found by the same rule as
    before the parent arrived (cycle and common parent region); a key whose plan is still
    missing, or whose peers are gone, is left out.

    >>> from policy_lineage.graph.model import Item
    >>> d = lambda *p: Document("要点" + p[-1], region_path=list(p), region=p[-1], year=2031,
    ...                         level=("province", "city", "county")[len(p) - 1], items=[Item(1, "a")])
    >>> docs = [d("四川省", "眉山市"), d("四川省", "达州市", "万源市"), d("四川省")]
    >>> [(k, [p.region for p in plans], len(pairs)) for k, (plans, pairs) in arrived_pairs(docs, {(("四川省",), 2031)}).items()]
    [((('四川省',), 2031), ['四川省'], 1)]
    >>> arrived_pairs(docs[:2], {(("四川省",), 2031)})  # the parent is still missing
    {}
    """
    out: dict[Key, tuple[list[Document], list[PeerPair]]] = {}
    for key, plans in real_plans(docs, keys).items():
        path, year = key
        rest = [d for d in docs if d.year == year and d not in plans]
        pairs = [p for p in peer_pairs(rest) if p.parent_path == path]
        if pairs:
            out[key] = (plans, pairs)
    return out


def resolution_links(
    inferred: Document, plans: Sequence[Document], links: Sequence[Link], index: TextIndex, rejected: Collection[tuple[str, str]] = ()
) -> list[Link]:
    """RESOLVES_TO from each inferred duty to the real duties its members implement.

    A real duty gets a vote from every peer with a member implementing it (IMPLEMENTS, not
    rejected: ``rejected`` holds (child, parent) ids a human rejected, which may not carry a
    status yet); the duty resolves to those with the most votes (several on a tie: the real plan
    may split what the peers merged).  Score = the share of the duty's peers that voted for it;
    evidence = the key phrases the two texts share.  A duty none of whose members implements a
    real duty resolves to nothing (the real plan lacks it, or the linker missed it).
    """
    real = {it.item_id(p.doc_id): it for p in plans for it in p.items}
    implements: dict[str, set[str]] = {}
    for l in links:
        if l.relation == "IMPLEMENTS" and l.parent in real and l.status != "rejected" and (l.child, l.parent) not in rejected:
            implements.setdefault(l.child, set()).add(l.parent)
    out = []
    for duty in inferred.items:
        members = duty.extra.get("members", [])
        votes: dict[str, set[str]] = {}
        for m in members:
            for r in implements.get(m, ()):
                votes.setdefault(r, set()).add(m.rpartition("#")[0])
        if not votes:
            continue
        top = max(len(v) for v in votes.values())
        peers = len({m.rpartition("#")[0] for m in members})
        for r in sorted(votes):
            if len(votes[r]) == top:
                evidence = index.shared_phrases(item_text(duty), item_text(real[r]))
                out.append(Link(duty.item_id(inferred.doc_id), r, RESOLVES_TO, round(top / peers, 4), RESOLVED_METHOD, "auto", evidence))
    return out
