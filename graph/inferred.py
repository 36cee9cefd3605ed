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

Only missing parents get inferred duties: peers exist only where the common parent's plan is
not in the corpus (:func:`~policy_lineage.graph.siblings.peer_pairs`), so when the real plan is
ingested later its items take the place of the inferred ones (the real parent wins).

The core sentences are the duty's clauses, each carried by the members that say it, so with three
or more peers one that says only part of a duty is ``partial`` and the gap query lists what it
misses; a duty whose members share words but no sentence has no clauses (covered or gap).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Sequence

from policy_lineage.graph.clauses import item_text, split_clauses
from policy_lineage.graph.lineage import level_rank
from policy_lineage.graph.linking import corpus_index
from policy_lineage.graph.model import LEVELS, Carry, Clause, DocLink, Document, Item, Lineage, Link
from policy_lineage.graph.siblings import PeerPair, peer_pairs, sibling_links
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
    "infer_duties",
    "add_peer_lineage",
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


def infer_duties(
    pairs: Sequence[PeerPair], links: Sequence[Link], index: TextIndex, params: InferParams = DEFAULT_INFER
) -> PeerDuties:
    """Inferred documents, duties, member links and ANSWERS_TO for every missing common parent.

    ``links`` are the SIBLING_OF links of ``pairs``.  Duties are numbered by the mean relative
    position of their members in their own documents, so the inferred plan reads in the peers'
    order.
    """
    out = PeerDuties()
    for (path, year), peers in _group_pairs(pairs).items():
        doc = inferred_document(path, year)
        owner = {it.item_id(d.doc_id): (d, k, it) for d in peers for k, it in enumerate(d.items)}
        group_links = [l for l in links if l.child in owner and l.parent in owner]
        need = max(1, math.ceil(params.min_share * len(peers) - 1e-9))
        duties = []
        for members in clusters(list(owner), group_links):
            carriers = {owner[m][0].doc_id for m in members}
            if len(carriers) < need:
                continue
            position = sum(owner[m][1] / len(owner[m][0].items) for m in members) / len(members)
            duties.append((position, members))
        duties.sort(key=lambda pm: (pm[0], pm[1]))
        for seq, (_, members) in enumerate(duties, start=1):
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


def add_peer_lineage(docs: Sequence[Document], lineage: Lineage, params: InferParams = DEFAULT_INFER) -> Lineage:
    """SIBLING_OF links between peers and the inferred duties of their missing parents, added to ``lineage``.

    Does nothing (and fits no index) when the corpus has no peers.
    """
    pairs = peer_pairs(docs)
    if not pairs:
        return lineage
    index = corpus_index(docs)
    siblings = sibling_links(docs, pairs, index)
    inferred = infer_duties(pairs, siblings, index, params)
    lineage.links.extend(siblings)
    lineage.links.extend(inferred.links)
    lineage.doc_links.extend(inferred.doc_links)
    lineage.clauses.extend(inferred.clauses)
    lineage.carries.extend(inferred.carries)
    lineage.inferred_documents.extend(inferred.documents)
    return lineage
