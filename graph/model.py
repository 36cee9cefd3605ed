"""Store-neutral records: what the parser returns, what linking consumes, what both stores load.

Every record is a plain dataclass with no driver object inside, so the same values feed networkx,
LadybugDB and Neo4j, and ``lineage parse --format json`` serialises them as they are
(:func:`to_dict`).

Identifiers are derived, never assigned: a document is known by its 文号 where it has one, else by
region, year and title; an item by its document and printed sequence number.  Rebuilding the same
inputs therefore yields the same ids, which is what makes writes idempotent and link ids stable.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "LEVELS",
    "ROLES",
    "DEADLINE_KINDS",
    "RELATIONS",
    "LINK_STATUSES",
    "SourceRef",
    "Deadline",
    "Unit",
    "Region",
    "Item",
    "AnnexTable",
    "Document",
    "Link",
    "Clause",
    "Carry",
    "DocLink",
    "Lineage",
    "stable_id",
    "to_dict",
    "document_from_dict",
]

#: Administrative levels, top down.  ``county`` covers 县, 县级市 and 市辖区.
LEVELS = ("national", "province", "city", "county")

#: How a unit is attached to an item: 牵头单位, 责任单位, or a higher unit that 加强指导.
ROLES = ("lead", "responsible", "guide")

#: Deadline kinds.  Only ``date`` carries a normalised ``date``; the others say why there is none.
#: ``date``     a point or an end of period: 2021年底前, 2022年3月底前, 8月31日, 2023年底
#: ``ongoing``  长期坚持 / 持续推进 / 常态化
#: ``timely``   及时公开 / 即时
#: ``dynamic``  动态调整 / 动态更新
#: ``periodic`` 每年 / 每季度 / 定期
#: ``unknown``  text present but not understood (kept verbatim)
DEADLINE_KINDS = ("date", "ongoing", "timely", "dynamic", "periodic", "unknown")

#: Relationship types between items (and CITES between documents).  RESOLVES_TO joins a duty
#: inferred for a missing parent to the real parent's duty once that plan is ingested.
RELATIONS = ("IMPLEMENTS", "SIBLING_OF", "EVOLVES_FROM", "RESOLVES_TO", "CITES")

#: A link's review status; ``suspect`` means the parent's text changed since a human decided.
LINK_STATUSES = ("auto", "confirmed", "rejected", "suspect")


def stable_id(*parts: object, length: int = 16) -> str:
    """A short, deterministic id from its parts (SHA-1 of the parts joined by U+241F).

    >>> stable_id("川办发〔2021〕16号", 3) == stable_id("川办发〔2021〕16号", 3)
    True
    >>> len(stable_id("x"))
    16
    """
    raw = "\u241f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:length]


@dataclass(frozen=True)
class SourceRef:
    """Where a record came from: file name and 1-based line in the text the reader produced."""

    file: str
    line: int


@dataclass
class Deadline:
    """A completion deadline (完成时限 / 工作进度) as printed and as understood.

    ``date`` is an ISO date (the last day of the period for 年底/月底 forms) or ``None``;
    ``kind`` is one of :data:`DEADLINE_KINDS`.
    """

    text: str
    date: str | None = None
    kind: str = "unknown"


@dataclass
class Unit:
    """A responsible unit of one item.

    ``name`` is canonical and absolute (区财政局 in 安居区's plan becomes 安居区财政局);
    ``original`` is the text as printed.  ``collective`` flags names that stand for many units
    (各县（区）人民政府, 市级有关部门（单位）), which supervision cannot hold to account one by one.
    ``region`` is the region the unit belongs to, where it can be told.
    """

    name: str
    original: str
    role: str = "responsible"
    collective: bool = False
    region: str | None = None


@dataclass
class Region:
    """An administrative division with its ancestry (``path`` from the province down)."""

    name: str
    level: str
    path: tuple[str, ...] = ()

    @property
    def parent(self) -> str | None:
        return self.path[-2] if len(self.path) > 1 else None


@dataclass
class Item:
    """One task row or numbered duty.

    ``seq`` is the printed number as an integer (Chinese numerals converted), or the 1-based
    position in document order where the document numbers only groups; ``label`` keeps the
    number as printed ("（十八）", "12").  ``section`` is the path of headings above the item,
    outermost first.  ``text`` is the clean body with page furniture removed and PDF line breaks
    repaired; ``title`` is the item's own heading where the document gives one.
    """

    seq: int
    text: str
    label: str = ""
    section: list[str] = field(default_factory=list)
    title: str | None = None
    lead_units: list[Unit] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    deadline: Deadline | None = None
    cites: list[str] = field(default_factory=list)
    standards: list[str] = field(default_factory=list)
    source: SourceRef | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def item_id(self, doc_id: str) -> str:
        """The item's stable id within its document."""
        return f"{doc_id}#{self.seq}"


@dataclass
class AnnexTable:
    """A table attached to a document that is not a task list (e.g. yearly target counts per unit).

    ``columns`` name the fields of each row in ``rows``.
    """

    title: str
    columns: list[str]
    rows: list[dict[str, Any]]
    source: SourceRef | None = None


@dataclass
class Document:
    """One policy document: metadata read from its text, its sections, items and annex tables.

    ``region_path`` runs from the province down to the issuing region (四川省 > 遂宁市 > 安居区).
    ``year`` is the work cycle (the year the plan is for), which can differ from the issue date.
    ``forwards`` is the 文号 of a higher-level document this one forwards (转发), if any.
    ``cited_titles`` maps a cited 文号 to the title the text prints beside it (《…》（文号）), which
    is all the corpus may know of a document it does not hold.
    ``metadata_origin`` says, per field, whether it came from the ``text`` or a ``manifest``.
    """

    title: str
    doc_no: str | None = None
    issuer: str | None = None
    region: str | None = None
    region_path: list[str] = field(default_factory=list)
    level: str | None = None
    date: str | None = None
    year: int | None = None
    sections: list[str] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    annexes: list[AnnexTable] = field(default_factory=list)
    cites: list[str] = field(default_factory=list)
    forwards: str | None = None
    source_file: str | None = None
    source_hash: str | None = None
    source_format: str | None = None
    metadata_origin: dict[str, str] = field(default_factory=dict)
    cited_titles: dict[str, str] = field(default_factory=dict)

    @property
    def doc_id(self) -> str:
        """Stable id: the normalised 文号 where there is one, else region + year + title."""
        if self.doc_no:
            return "doc:" + self.doc_no
        return "doc:" + stable_id(self.region, self.year, self.title)

    @property
    def ref(self) -> str:
        """How contracts name the document: its 文号, else its title."""
        return self.doc_no or self.title


@dataclass
class Link:
    """A relationship between two items (or two documents for CITES).

    ``evidence`` lists what the decision rests on (shared key phrases, the clause carried).
    ``link_id`` depends only on the two ends and the relation, so it survives rebuilds.
    """

    child: str
    parent: str
    relation: str = "IMPLEMENTS"
    score: float = 0.0
    method: str = ""
    status: str = "auto"
    evidence: list[str] = field(default_factory=list)
    #: for EVOLVES_FROM: what changed from the earlier item to the later one, as JSON
    #: (see :mod:`policy_lineage.graph.changes`); None for other relations
    changes: str | None = None

    @property
    def link_id(self) -> str:
        return "L" + stable_id(self.relation, self.child, self.parent, length=12)


def to_dict(record: Any) -> Any:
    """Serialise a record (or a list of them) to plain JSON-ready values.

    >>> to_dict(Deadline("2021年底前", "2021-12-31", "date"))
    {'text': '2021年底前', 'date': '2021-12-31', 'kind': 'date'}
    """
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        return {f.name: to_dict(getattr(record, f.name)) for f in dataclasses.fields(record)}
    if isinstance(record, (list, tuple)):
        return [to_dict(r) for r in record]
    if isinstance(record, dict):
        return {k: to_dict(v) for k, v in record.items()}
    return record


def document_from_dict(data: dict[str, Any]) -> "Document":
    """The inverse of :func:`to_dict` for a :class:`Document`, so a parse can be cached as JSON.

    >>> d = Document("要点", doc_no="川办发〔2021〕16号", items=[Item(1, "推进财政预决算公开。",
    ...              units=[Unit("四川省财政厅", "省财政厅")], deadline=Deadline("2021年底前", "2021-12-31", "date"),
    ...              source=SourceRef("a.txt", 3))])
    >>> document_from_dict(to_dict(d)) == d
    True
    """

    def source(raw: dict | None) -> SourceRef | None:
        return SourceRef(**raw) if raw else None

    def item(raw: dict[str, Any]) -> Item:
        return Item(
            **{
                **raw,
                "lead_units": [Unit(**u) for u in raw.get("lead_units", [])],
                "units": [Unit(**u) for u in raw.get("units", [])],
                "deadline": Deadline(**raw["deadline"]) if raw.get("deadline") else None,
                "source": source(raw.get("source")),
            }
        )

    return Document(
        **{
            **data,
            "items": [item(i) for i in data.get("items", [])],
            "annexes": [AnnexTable(**{**a, "source": source(a.get("source"))}) for a in data.get("annexes", [])],
        }
    )


@dataclass
class Clause:
    """One obligation sentence of a higher-level item, so coverage can be partial.

    ``idx`` is the clause's 0-based position in its item.
    """

    item: str
    idx: int
    text: str

    @property
    def clause_id(self) -> str:
        return f"{self.item}/c{self.idx}"


@dataclass
class Carry:
    """A local item carries one clause of a higher-level item (evidence: shared key phrases)."""

    child: str
    clause: str
    score: float = 0.0
    evidence: list[str] = field(default_factory=list)


@dataclass
class DocLink:
    """Document-level lineage.

    ``relation`` is ``ANSWERS_TO`` (the child document implements the parent document in the
    same cycle) or ``CITES`` (the child's text cites the parent's 文号).  ``basis`` says why:
    ``stated`` (the text says 根据…/cites it), ``inferred`` (region ancestry and cycle),
    ``manifest`` (a user override), ``citation``.  ``skipped_levels`` counts levels jumped
    (a county linked to its province because its city's document is missing).  ``title`` is,
    for ``CITES``, the cited document's title as the citing text gives it (《…》 before the 文号),
    which names a stub until the document itself is ingested.
    """

    child: str
    parent: str
    relation: str = "ANSWERS_TO"
    basis: str = "inferred"
    skipped_levels: int = 0
    title: str | None = None


@dataclass
class Lineage:
    """Everything linking produces, ready for the graph builder.

    ``candidates`` are the best sub-threshold matches (relation ``CANDIDATE``) kept so a gap
    report can name the nearest local item and its score.
    """

    doc_links: list[DocLink] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)
    carries: list[Carry] = field(default_factory=list)
    candidates: list[Link] = field(default_factory=list)
    #: (parent item id, child region name, reason): duties a human accepted as not applying
    accepted_gaps: list[tuple[str, str, str]] = field(default_factory=list)
    #: documents that stand in for a missing common parent of peers (graph/inferred.py)
    inferred_documents: list[Document] = field(default_factory=list)
    #: inferred document id -> id of the real plan that arrived since (graph/superseded.py):
    #: kept as a record, linked by RESOLVES_TO, answered to by no one
    superseded: dict[str, str] = field(default_factory=dict)
