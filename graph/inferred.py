"""Inferred duties: the missing common parent of peer documents, rebuilt from what they share.

眉山 2023 and 万源 2023 answer to a 2023 provincial plan that is not in the corpus.  Their
sibling items (:mod:`policy_lineage.graph.siblings`) say which of their tasks are one higher
duty; grouped, they stand in for the missing plan so the ordinary gap and coverage queries can
answer "what 眉山 carries and 万源 lacks", and the reverse:

* one **inferred Document** per missing parent: region = the peers' common parent region, year =
  their cycle, level = that region's, title ``<region><year>年任务（由同期下级文件推断）`` — its id
  is derived from region, year and title like any document without a 文号, so it is stable;
* one **inferred duty** (``Item`` with ``extra["inferred"] = True``, stored as ``inferred=true``)
  per cluster of items connected by SIBLING_OF (connected components: a merged row joins the
  items it merges); its text is the *shared core* — the sentences the members of different
  peers say alike, each in its shortest wording — or, when they share words but no sentence,
  the shared key phrases; its title the heading most peers give it;
* **provenance**: an ``IMPLEMENTS`` link (method ``inferred``) from every member to its duty,
  and an ``ANSWERS_TO`` (basis ``peers``) from every peer to the inferred document.

Which clusters become duties: those carried by at least :attr:`InferParams.min_share` of the
peers.  With three or more peers a task only one of them has is most likely its own addition;
with two, nothing tells a dropped duty from an added one, so every task of either is kept (and
a gap query lists it for the other, with the peer that carries it for a reader to judge).

Only missing parents get *live* inferred duties: peers exist only where the common parent's plan
is not in the corpus (:func:`~policy_lineage.graph.siblings.peer_pairs`), so when the real plan is
ingested later its items take the place of the inferred ones (the real parent wins), and a
complete corpus costs nothing here.

**When the real parent arrives.**  An inferred plan was a record people worked on: a supervisor
accepted a gap or rejected a link on ``<inferred title>#N``.  Such a plan is rebuilt as
*superseded* when something names it (``revive``: the curation file's refs,
:func:`revise_peer_lineage`): its peers are found by the same rule with the real plan set
aside (cycle and common parent region, :func:`~policy_lineage.graph.superseded.arrived_pairs`),
its duties are inferred exactly as before (same SIBLING_OF links, same numbering, so the same
refs), and each duty gets ``RESOLVES_TO`` links to the real duties its members implement
(:func:`~policy_lineage.graph.superseded.resolution_links`).  The superseded plan keeps its
members' IMPLEMENTS links (provenance) but no peer answers to it (no ANSWERS_TO), so gap,
partial, coverage and inferred-gap queries, which start from ANSWERS_TO, ignore it;
``Lineage.superseded`` names the real plan (stored as ``Document.superseded_by``).  Curation
maps a decision on a superseded duty onto the real duties it resolves to.  Nothing names an
inferred plan on a complete corpus, so this too costs nothing there.

**Rejected sibling links** do not join duties: curation runs before grouping is final
(:func:`revise_peer_lineage` regroups without them), so a rejection shapes the next build.

**Duty numbers** (the ``#N`` of a ref) follow the first peer (smallest document id): the duties
it carries in its order, then those only later peers carry, by peer and position
(:func:`duty_order`).  Same inputs give the same numbers in any input order, and the first
peer's duties keep theirs whatever another peer does (a row added, a sibling link rejected):
refs people took decisions on move as little as a dense numbering allows.

The core sentences are the duty's clauses, each carried by the members that say it, so with three
or more peers one that says only part of a duty is ``partial`` and the gap query lists what it
misses; a duty whose members share words but no sentence has no clauses (covered or gap).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Collection, Sequence

from policy_lineage.graph.clauses import item_text, split_clauses
from policy_lineage.graph.lineage import level_rank
from policy_lineage.graph.linking import corpus_index
from policy_lineage.graph.model import LEVELS, Carry, Clause, DocLink, Document, Item, Lineage, Link
from policy_lineage.graph.siblings import PeerPair, peer_pairs, sibling_links
from policy_lineage.graph.superseded import Key, arrived_pairs, resolution_links
from policy_lineage.graph.textsim import TextIndex

__all__ = [
    "INFERRED_METHOD",
    "PEERS_BASIS",
    "InferParams",
    "PeerDuties",
    "inferred_document",
    "clusters",
    "CoreSentence",
    "core_sentences",
    "shared_core",
    "duty_order",
    "infer_duties",
    "add_peer_lineage",
    "strip_peer_lineage",
    "revise_peer_lineage",
]

INFERRED_METHOD = "inferred"
#: ``DocLink.basis`` of a peer's ANSWERS_TO to its inferred parent.
PEERS_BASIS = "peers"


@dataclass(frozen=True)
class InferParams:
    """``min_share``       a cluster becomes a duty when this share of the peers carries it;
    ``core_similarity`` two peers' sentences this similar (cosine) are one shared sentence.
    """

    min_share: float = 0.5
    core_similarity: float = 0.5


DEFAULT_INFER = InferParams()


@dataclass
class PeerDuties:
    """What inference adds to a lineage: inferred documents, their ANSWERS_TO, member links, and
    the duties' clauses (their core sentences) with the members that carry each."""

    documents: list[Document] = field(default_factory=list)
    doc_links: list[DocLink] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)
    carries: list[Carry] = field(default_factory=list)


def inferred_document(parent_path: Sequence[str], year: int | None) -> Document:
    """The (empty) inferred plan of the government at ``parent_path`` for one cycle.

    >>> d = inferred_document(("四川省",), 2023)
    >>> d.title, d.region, d.level, d.year, d.doc_id == inferred_document(["四川省"], 2023).doc_id
    ('四川省2023年任务（由同期下级文件推断）', '四川省', 'province', 2023, True)
    """
    region = parent_path[-1] if parent_path else None
    level = LEVELS[min(len(parent_path), len(LEVELS) - 1)]
    title = f"{region or '全国'}{year}年任务（由同期下级文件推断）"
    origin = {k: "inferred:peers" for k in ("title", "region", "level", "year")}
    return Document(title, region=region, region_path=list(parent_path), level=level, year=year, metadata_origin=origin)


def clusters(item_ids: Sequence[str], links: Sequence[Link]) -> list[list[str]]:
    """Connected components of items under ``links`` (every item in exactly one, input order kept).

    >>> clusters(["a1", "a2", "b1", "b2"], [Link("a1", "b1"), Link("a2", "b1")])
    [['a1', 'a2', 'b1'], ['b2']]
    """
    parent = {i: i for i in item_ids}
    pos = {i: k for k, i in enumerate(item_ids)}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for l in links:
        if l.child in parent and l.parent in parent:
            ra, rb = find(l.child), find(l.parent)
            if ra != rb:
                parent[max(ra, rb, key=pos.get)] = min(ra, rb, key=pos.get)
    groups: dict[str, list[str]] = {}
    for i in item_ids:
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


@dataclass(frozen=True)
class CoreSentence:
    """One sentence members of different peers say alike: its shortest wording, and who says it.

    ``carriers`` maps the id of every member item that says it to the cosine of that member's
    wording with the shortest one (1.0 for the member whose wording it is).
    """

    text: str
    carriers: dict[str, float]


def core_sentences(index: TextIndex, members: Sequence[tuple[str, Item]], similarity: float = DEFAULT_INFER.core_similarity) -> list[CoreSentence]:
    """The sentences members of different documents share, in member order.

    ``members`` are (document id, item).  Sentences of two documents whose cosine reaches
    ``similarity`` are one shared sentence (connected components, so a merged row can join the
    sentences of several items); it is written as its shortest version, the longer ones adding
    local detail.

    >>> a = Item(1, "及时公开人大代表建议和政协提案办理结果。推进本市重点项目公开。")
    >>> b = Item(1, "及时公开人大代表建议和政协委员提案办理结果。")
    >>> idx = TextIndex.fit([a.text, b.text, "做好政策解读"])
    >>> [(c.text, sorted(c.carriers)) for c in core_sentences(idx, [("A", a), ("B", b)])]
    [('及时公开人大代表建议和政协提案办理结果。', ['A#1', 'B#1'])]
    """
    if len({d for d, _ in members}) < 2:
        return []
    sentences: list[tuple[str, str, str]] = []  # (doc, item id, sentence) in member order
    for doc, it in members:
        sentences.extend((doc, it.item_id(doc), s) for s in (split_clauses(it.text, it.title) or [item_text(it)]))
    texts = [s for _, _, s in sentences]
    sims = index.similarity(texts, texts)
    n = len(sentences)
    alike = [Link(str(i), str(j)) for i in range(n) for j in range(i + 1, n) if sentences[i][0] != sentences[j][0] and sims[i, j] >= similarity]
    out = []
    for group in clusters([str(k) for k in range(n)], alike):
        ks = [int(k) for k in group]
        if len({sentences[k][0] for k in ks}) < 2:
            continue
        rep = min(ks, key=lambda k: (len(texts[k]), texts[k]))
        carriers: dict[str, float] = {}
        for k in ks:
            item = sentences[k][1]
            carriers[item] = max(carriers.get(item, 0.0), 1.0 if k == rep else round(float(sims[k, rep]), 4))
        out.append(CoreSentence(texts[rep], carriers))
    return out


def shared_core(index: TextIndex, members: Sequence[tuple[str, Item]], similarity: float = DEFAULT_INFER.core_similarity) -> str:
    """The text members of different documents share: their :func:`core_sentences`, joined.

    When they share words but no sentence, their shared key phrases are joined instead; a
    single member's own text is its core.

    >>> a = Item(1, "及时公开人大代表建议和政协提案办理结果。推进本市重点项目公开。")
    >>> b = Item(1, "及时公开人大代表建议和政协委员提案办理结果。")
    >>> idx = TextIndex.fit([a.text, b.text, "做好政策解读"])
    >>> shared_core(idx, [("A", a), ("B", b)])
    '及时公开人大代表建议和政协提案办理结果。'
    """
    if len({d for d, _ in members}) < 2:
        return "".join(it.text for _, it in members)
    core = core_sentences(index, members, similarity)
    if core:
        return "".join(c.text for c in core)
    phrases: list[str] = []
    for i, (da, a) in enumerate(members):
        for db, b in members[i + 1 :]:
            if da != db:
                phrases.extend(index.shared_phrases(item_text(a), item_text(b)))
    return "、".join(dict.fromkeys(phrases))


def _title(members: Sequence[tuple[str, Item]]) -> str | None:
    """The heading most peers give the duty (then most members, then the shortest)."""
    by_title: dict[str, set[str]] = {}
    count: dict[str, int] = {}
    for doc, it in members:
        if it.title:
            by_title.setdefault(it.title, set()).add(doc)
            count[it.title] = count.get(it.title, 0) + 1
    if not by_title:
        return None
    return min(by_title, key=lambda t: (-len(by_title[t]), -count[t], len(t), t))


def _group_pairs(pairs: Sequence[PeerPair]) -> dict[tuple[tuple[str, ...], int | None], list[Document]]:
    """Peers of each missing parent (parent path, year), each document once, ordered by id."""
    groups: dict[tuple[tuple[str, ...], int | None], dict[str, Document]] = {}
    for p in pairs:
        g = groups.setdefault((p.parent_path, p.year), {})
        g[p.a.doc_id], g[p.b.doc_id] = p.a, p.b
    return {k: sorted(v.values(), key=lambda d: d.doc_id) for k, v in sorted(groups.items(), key=lambda kv: (kv[0][1] or 0, kv[0][0]))}


def duty_order(groups: Sequence[Sequence[str]], peers: Sequence[Document]) -> list[int]:
    """Indexes of ``groups`` (member item ids) in the order their duties are numbered.

    By the earliest member in the first peer that has one (``peers`` sorted by id): first the
    duties the first peer carries, in its order, then those only later peers carry, by peer and
    position.  So the first peer's duties keep their numbers whatever another peer does — a
    change there (a row added, a sibling link rejected, which splits a duty) moves only the
    duties numbered after the first peer's — and the same inputs give the same numbers.

    >>> a = Document("A", items=[Item(1, "x"), Item(2, "y")]); b = Document("B", items=[Item(1, "z"), Item(2, "y")])
    >>> first, other = sorted([a, b], key=lambda d: d.doc_id)
    >>> ids = lambda d, *s: [f"{d.doc_id}#{k}" for k in s]
    >>> duty_order([ids(first, 2) + ids(other, 2), ids(other, 1), ids(first, 1)], [first, other])
    [2, 0, 1]
    """
    rank = {d.doc_id: j for j, d in enumerate(peers)}
    pos = {it.item_id(d.doc_id): (rank[d.doc_id], k) for d in peers for k, it in enumerate(d.items)}
    first = [min(pos[m] for m in members) for members in groups]
    return sorted(range(len(groups)), key=lambda g: first[g])


def infer_duties(
    pairs: Sequence[PeerPair], links: Sequence[Link], index: TextIndex, params: InferParams = DEFAULT_INFER
) -> PeerDuties:
    """Inferred documents, duties, member links and ANSWERS_TO for every missing common parent.

    ``links`` are the SIBLING_OF links of ``pairs`` that may join duties (rejected ones left
    out).  Duties are numbered by :func:`duty_order`, so refs are stable.
    """
    out = PeerDuties()
    for (path, year), peers in _group_pairs(pairs).items():
        doc = inferred_document(path, year)
        owner = {it.item_id(d.doc_id): (d, k, it) for d in peers for k, it in enumerate(d.items)}
        group_links = [l for l in links if l.child in owner and l.parent in owner]
        need = max(1, math.ceil(params.min_share * len(peers) - 1e-9))
        kept = [ms for ms in clusters(list(owner), group_links) if len({owner[m][0].doc_id for m in ms}) >= need]
        for seq, g in enumerate(duty_order(kept, peers), start=1):
            members = kept[g]
            named = [(owner[m][0].doc_id, owner[m][2]) for m in members]
            core = core_sentences(index, named, params.core_similarity)
            text = "".join(c.text for c in core) or shared_core(index, named, params.core_similarity)
            duty = Item(seq, text, label=str(seq), title=_title(named), extra={"inferred": True, "members": list(members)})
            doc.items.append(duty)
            duty_id = duty.item_id(doc.doc_id)
            for k, c in enumerate(core):  # clauses, so a peer that says only part of the core is partial
                clause = Clause(duty_id, k, c.text)
                out.clauses.append(clause)
                out.carries.extend(
                    Carry(m, clause.clause_id, score, index.shared_phrases(item_text(owner[m][2]), c.text))
                    for m, score in c.carriers.items()
                )
            best = {m: max((l.score for l in group_links if m in (l.child, l.parent)), default=1.0) for m in members}
            for m in members:
                out.links.append(
                    Link(m, duty.item_id(doc.doc_id), "IMPLEMENTS", best[m], INFERRED_METHOD, "auto",
                         index.shared_phrases(item_text(owner[m][2]), text))
                )  # fmt: skip
        if not doc.items:
            continue
        out.documents.append(doc)
        for peer in peers:
            skipped = max(0, (level_rank(peer) or 0) - (level_rank(doc) or 0) - 1)
            out.doc_links.append(DocLink(peer.doc_id, doc.doc_id, "ANSWERS_TO", PEERS_BASIS, skipped))
    return out


def _extend(lineage: Lineage, duties: PeerDuties) -> None:
    lineage.links.extend(duties.links)
    lineage.doc_links.extend(duties.doc_links)
    lineage.clauses.extend(duties.clauses)
    lineage.carries.extend(duties.carries)
    lineage.inferred_documents.extend(duties.documents)


def _named_keys(docs: Sequence[Document], names: Collection[str]) -> set[Key]:
    """The common parents (path, year) of ingested plans whose inferred plan title is in ``names``."""
    keys: set[Key] = set()
    for doc in docs:
        if doc.items and doc.year is not None:
            path = () if doc.level == "national" else tuple(doc.region_path)
            if inferred_document(path, doc.year).title in names:
                keys.add((path, doc.year))
    return keys


def _joining(links: Sequence[Link], rejected: Collection[tuple[str, str]]) -> list[Link]:
    """SIBLING_OF links that may join duties: not rejected, in either direction."""
    return [l for l in links if (l.child, l.parent) not in rejected and (l.parent, l.child) not in rejected]


def add_peer_lineage(
    docs: Sequence[Document],
    lineage: Lineage,
    params: InferParams = DEFAULT_INFER,
    rejected: Collection[tuple[str, str]] = frozenset(),
    revive: Collection[str] = frozenset(),
    siblings: Sequence[Link] | None = None,
) -> Lineage:
    """SIBLING_OF links between peers and the inferred duties of their missing parents, added to ``lineage``.

    ``rejected``: (child, parent) item ids a human rejected — such sibling links join no duty,
    and such member links decide no resolution.  ``revive``: titles of inferred plans to rebuild
    as superseded where their real parent is now in ``docs``.  ``siblings``: the SIBLING_OF
    links of the live peers when already in ``lineage`` (they are not computed or added again).
    Does nothing (and fits no index) when the corpus has no peers and nothing to revive.
    """
    pairs = peer_pairs(docs)
    late = arrived_pairs(docs, _named_keys(docs, revive)) if revive else {}
    if not pairs and not late:
        return lineage
    index = corpus_index(docs)
    if siblings is None:
        siblings = sibling_links(docs, pairs, index)
        lineage.links.extend(siblings)
    _extend(lineage, infer_duties(pairs, _joining(siblings, rejected), index, params))
    for plans, late_pairs in late.values():
        old = sibling_links(docs, late_pairs, index)  # the record's provenance, as before the parent came
        lineage.links.extend(old)
        duties = infer_duties(late_pairs, _joining(old, rejected), index, params)
        duties.doc_links = []  # the peers answer to the real plan now
        for doc in duties.documents:
            lineage.superseded[doc.doc_id] = plans[0].doc_id
            duties.links.extend(resolution_links(doc, plans, lineage.links, index, rejected))
        _extend(lineage, duties)
    return lineage


def strip_peer_lineage(lineage: Lineage) -> Lineage:
    """``lineage`` without what inference added (SIBLING_OF links are kept): ready to regroup."""
    duties = {it.item_id(d.doc_id) for d in lineage.inferred_documents for it in d.items}
    lineage.links = [l for l in lineage.links if l.parent not in duties and l.child not in duties]
    lineage.doc_links = [l for l in lineage.doc_links if l.basis != PEERS_BASIS]
    lineage.clauses = [c for c in lineage.clauses if c.item not in duties]
    gone = {c for c in (l.clause for l in lineage.carries) if c.rpartition("/")[0] in duties}
    lineage.carries = [c for c in lineage.carries if c.clause not in gone]
    lineage.inferred_documents = []
    lineage.superseded = {}
    return lineage


def revise_peer_lineage(
    docs: Sequence[Document],
    lineage: Lineage,
    rejected: Collection[tuple[str, str]],
    names: Collection[str],
    params: InferParams = DEFAULT_INFER,
) -> Lineage:
    """Regroup inferred duties when human decisions change them; else leave ``lineage`` alone.

    Called before decisions are applied (graph/curation.py): a rejected SIBLING_OF link that
    joins duties, or a name in ``names`` (the document part of the decisions' refs) that is the
    title of an inferred plan whose real parent is now in ``docs``, makes it strip and redo the
    inference with the live SIBLING_OF links it already has.
    """
    siblings = [l for l in lineage.links if l.relation == "SIBLING_OF"]
    cuts = any((l.child, l.parent) in rejected or (l.parent, l.child) in rejected for l in siblings)
    live = {d.title for d in lineage.inferred_documents}
    wanted = _named_keys(docs, set(names) - live) if names else set()
    if not cuts and not wanted:
        return lineage
    strip_peer_lineage(lineage)
    return add_peer_lineage(docs, lineage, params, rejected, set(names) - live, siblings)
