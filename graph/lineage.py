"""Document lineage: which higher-level documents each document answers to, and which it cites.

A local plan answers to the plan of the nearest higher government *of the same cycle year*: a
county's 分工方案 to its city's, or — when the city's plan is not in the corpus — to its
province's (``skipped_levels=1``), and so on up to a national plan.  Three sources decide, in
order of precedence:

1. ``manifest`` — an override from the user (child ref → parent refs), always wins;
2. ``stated`` — the child names the parent by 文号 (in its preamble, as a document it forwards,
   or in an item of the same cycle), and the parent is a document of an ancestor region;
3. ``inferred`` — region ancestry (``Document.region_path``) and cycle year.

Every 文号 a document cites also gives a ``CITES`` link, to a stub id (``doc:`` + 文号) when
the cited document is not in the corpus.  The stub id is the id the document gets once it is
ingested (``Document.doc_id`` is ``doc:`` + its normalised 文号), so a later build turns the stub
into the real document without any merge step; the title is kept where the citing text gives it
(``《…》（川办函〔2022〕89号）``), so a stub is readable before the document arrives.

Notes
-----
A cited 文号 inside one *item* of a later cycle (a 2023 plan asking to apply a 2022 notice on
政务新媒体) is a reference, not a statement of parenthood, so item-level citations count as
``stated`` only within the same year.  References: seeds/wanyuan-2023-key-points-division.txt
cites 川办函〔2022〕89号 in item 35 only.
"""

from __future__ import annotations

import re
from typing import Iterable, Mapping, Sequence

from policy_lineage.graph.model import LEVELS, DocLink, Document
from policy_lineage.ingest.docno import doc_no_spans, normalise_doc_no

__all__ = ["level_rank", "is_ancestor", "document_parents", "citations", "cited_titles"]

#: A book-title-marked name right before a 文号, with at most an opening bracket between them.
_TITLE_BEFORE = re.compile(r"《(?P<title>[^《》]{4,200})》\s*[（(〔\[［]?\s*\Z")


def level_rank(doc: Document) -> int | None:
    """0 for national … 3 for county; from ``level``, else from the length of ``region_path``.

    >>> level_rank(Document("x", level="city"))
    2
    >>> level_rank(Document("x", region_path=["四川省", "遂宁市", "安居区"]))
    3
    >>> level_rank(Document("x")) is None
    True
    """
    if doc.level in LEVELS:
        return LEVELS.index(doc.level)
    if doc.region_path:
        return min(len(doc.region_path), len(LEVELS) - 1)
    return None


def is_ancestor(parent: Document, child: Document) -> bool:
    """Whether ``parent`` was issued by a government above ``child``'s, on its region path.

    A national document is above every regional one; otherwise the parent's region path must be
    a proper prefix of the child's.

    >>> prov = Document("p", level="province", region_path=["四川省"])
    >>> county = Document("c", level="county", region_path=["四川省", "遂宁市", "安居区"])
    >>> is_ancestor(prov, county), is_ancestor(county, prov)
    (True, False)
    >>> is_ancestor(Document("q", level="province", region_path=["重庆市"]), county)
    False
    """
    pr, cr = level_rank(parent), level_rank(child)
    if pr is None or cr is None or pr >= cr:
        return False
    if parent.level == "national":
        return True
    pp, cp = list(parent.region_path), list(child.region_path)
    return bool(pp) and len(pp) < len(cp) and cp[: len(pp)] == pp


def _skipped(parent: Document, child: Document) -> int:
    pr, cr = level_rank(parent), level_rank(child)
    if pr is None or cr is None:
        return 0
    return max(0, cr - pr - 1)


def _doc_level_cites(doc: Document) -> list[str]:
    """文号 the document cites outside its items (preamble, title, notice) plus what it forwards."""
    in_items = {c for it in doc.items for c in it.cites}
    out = [c for c in doc.cites if c not in in_items]
    if doc.forwards:
        out.insert(0, doc.forwards)
    return list(dict.fromkeys(out))


def citations(doc: Document) -> list[str]:
    """Every 文号 the document cites (preamble and items), in order, without its own.

    >>> from policy_lineage.graph.model import Item
    >>> d = Document("x", doc_no="A〔2021〕1号", cites=["B〔2021〕2号"],
    ...              items=[Item(1, "t", cites=["C〔2020〕3号", "A〔2021〕1号"])])
    >>> citations(d)
    ['B〔2021〕2号', 'C〔2020〕3号']
    """
    found = list(doc.cites) + [c for it in doc.items for c in it.cites]
    if doc.forwards:
        found.insert(0, doc.forwards)
    return [c for c in dict.fromkeys(found) if c and c != doc.doc_no]


def cited_titles(doc: Document) -> dict[str, str]:
    """Titles the document's own text gives to the 文号 it cites: ``《title》（文号）``.

    Read from the items and the document title (a notice that 转发《…》 names what it forwards);
    the first title found for a 文号 wins.  PDF line breaks are already repaired in item text.

    >>> from policy_lineage.graph.model import Item
    >>> d = Document("x", items=[Item(1, "全面落实《关于加强政务新媒体管理的通知》（川办函[2022] 89号）要求。")])
    >>> cited_titles(d)
    {'川办函〔2022〕89号': '关于加强政务新媒体管理的通知'}
    """
    titles: dict[str, str] = {}
    for text in [doc.title, *(it.text for it in doc.items)]:
        for start, _, no in doc_no_spans(text or ""):
            m = _TITLE_BEFORE.search(text[:start])
            if m and no != doc.doc_no:
                titles.setdefault(no, m["title"].strip())
    return titles


def _stated_parents(child: Document, by_no: Mapping[str, Document]) -> list[Document]:
    found = []
    for no in _doc_level_cites(child):
        parent = by_no.get(no)
        if parent is not None and is_ancestor(parent, child):
            found.append(parent)
    for it in child.items:
        for no in it.cites:
            parent = by_no.get(no)
            if parent is not None and parent.year == child.year and is_ancestor(parent, child):
                found.append(parent)
    return list({p.doc_id: p for p in found}.values())


def _inferred_parents(child: Document, same_year: Sequence[Document]) -> list[Document]:
    if child.year is None:
        return []
    above = [d for d in same_year if d.items and is_ancestor(d, child)]
    if not above:
        return []
    nearest = max(level_rank(d) for d in above)
    return [d for d in above if level_rank(d) == nearest]


def _find(ref: str, docs: Sequence[Document]) -> Document | None:
    """The document a manifest names by 文号 (in any bracket form), title or id."""
    names = {ref, normalise_doc_no(ref), ref.removeprefix("doc:")}
    for d in docs:
        if names & {d.ref, d.doc_no, d.title, d.doc_id}:
            return d
    return None


def document_parents(
    docs: Sequence[Document], overrides: Mapping[str, Iterable[str]] | None = None
) -> list[DocLink]:
    """``ANSWERS_TO`` and ``CITES`` links between documents.

    Parameters
    ----------
    docs : sequence of Document
        The corpus, parsed.
    overrides : mapping, optional
        Child ref (文号 or title, as :attr:`Document.ref`) → refs of the documents it answers
        to, from a manifest.  A parent ref not in the corpus becomes a stub ``doc:<ref>``.

    Returns
    -------
    list of DocLink
        Sorted by child, relation, parent, so the result is the same on every run.

    Examples
    --------
    >>> from policy_lineage.graph.model import Item
    >>> prov = Document("省安排", doc_no="川办发〔2021〕16号", level="province",
    ...                 region_path=["四川省"], year=2021, items=[Item(1, "a")])
    >>> county = Document("区方案", level="county", region_path=["四川省", "遂宁市", "安居区"],
    ...                   region="安居区", year=2021, items=[Item(1, "a")])
    >>> later = Document("区要点", level="county", region_path=["四川省", "遂宁市", "安居区"],
    ...                  region="安居区", year=2023, items=[Item(1, "a")])
    >>> [(l.parent, l.basis, l.skipped_levels) for l in document_parents([prov, county, later])]
    [('doc:川办发〔2021〕16号', 'inferred', 1)]
    """
    overrides = dict(overrides or {})
    by_no = {d.doc_no: d for d in docs if d.doc_no}
    by_year: dict[int | None, list[Document]] = {}
    for d in docs:
        by_year.setdefault(d.year, []).append(d)
    links: list[DocLink] = []
    for child in docs:
        manifest = overrides.get(child.ref) or overrides.get(child.title) or overrides.get(child.doc_id)
        if manifest:
            for ref in manifest:
                parent = _find(ref, docs)
                pid = parent.doc_id if parent is not None else "doc:" + normalise_doc_no(ref)
                skipped = _skipped(parent, child) if parent is not None else 0
                links.append(DocLink(child.doc_id, pid, "ANSWERS_TO", "manifest", skipped))
        else:
            stated = _stated_parents(child, by_no)
            basis = "stated" if stated else "inferred"
            for parent in stated or _inferred_parents(child, by_year.get(child.year, [])):
                links.append(DocLink(child.doc_id, parent.doc_id, "ANSWERS_TO", basis, _skipped(parent, child)))
        titles = {**cited_titles(child), **child.cited_titles}  # the parser read the whole text, preamble too
        for no in citations(child):
            parent = by_no.get(no)
            pid = parent.doc_id if parent else "doc:" + no
            links.append(DocLink(child.doc_id, pid, "CITES", "citation", title=titles.get(no)))
    unique = {(l.child, l.relation, l.parent): l for l in links}
    return [unique[k] for k in sorted(unique)]
