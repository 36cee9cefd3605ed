"""Coverage of higher-level duties by each answering document, computed from a Lineage in Python.

For every ``ANSWERS_TO`` pair and every duty of the parent document the status is:

``covered``   some local item implements the duty and, together, the linked items carry every
              clause of it;
``partial``   linked, but some clauses are carried by no linked item (``missing`` lists them);
``gap``       no local item implements the duty (``best_candidate`` names the nearest one);
``accepted``  no local item, but a human accepted that the duty does not apply there.

The store answers the same question with a Cypher query (``queries/``); this function is what
tests and the evaluation compare against the hand annotation, and what the query must agree with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from policy_lineage.graph.model import Document, Lineage

__all__ = ["STATUSES", "Coverage", "coverage", "gap_tuples"]

STATUSES = ("covered", "partial", "gap", "accepted")


@dataclass
class Coverage:
    """One duty × one answering document."""

    parent: str  # parent item id
    parent_doc: str  # contracts' naming: 文号 else title
    parent_seq: int
    child_doc: str
    child_region: str | None
    status: str
    missing: list[str] = field(default_factory=list)  # clause texts not carried
    children: list[str] = field(default_factory=list)  # linked local item ids
    best_candidate: str | None = None
    best_score: float | None = None


def coverage(docs: Sequence[Document], lineage: Lineage) -> list[Coverage]:
    """Coverage of every duty of every parent document by every document answering to it.

    Rejected links do not count.  Examples are in ``tests/test_linking.py`` (they need a
    linked corpus).
    """
    by_id = {d.doc_id: d for d in docs}
    clauses: dict[str, list] = {}
    for c in lineage.clauses:
        clauses.setdefault(c.item, []).append(c)
    carried = {(k.child, k.clause) for k in lineage.carries}
    links: dict[tuple[str, str], list[str]] = {}
    for l in lineage.links:
        if l.relation == "IMPLEMENTS" and l.status != "rejected":
            links.setdefault((l.parent, l.child.split("#", 1)[0]), []).append(l.child)
    candidates = {(l.parent, l.child.split("#", 1)[0]): l for l in lineage.candidates}
    accepted = {(p, region) for p, region, _ in lineage.accepted_gaps}
    out: list[Coverage] = []
    for dl in lineage.doc_links:
        if dl.relation != "ANSWERS_TO" or dl.child not in by_id or dl.parent not in by_id:
            continue
        child, parent = by_id[dl.child], by_id[dl.parent]
        for it in parent.items:
            pid = it.item_id(parent.doc_id)
            kids = sorted(set(links.get((pid, child.doc_id), [])))
            row = Coverage(pid, parent.ref, it.seq, child.ref, child.region, "covered", children=kids)
            if not kids:
                row.status = "accepted" if (pid, child.region) in accepted else "gap"
                cand = candidates.get((pid, child.doc_id))
                if cand is not None:
                    row.best_candidate, row.best_score = cand.child, cand.score
            else:
                row.missing = [c.text for c in sorted(clauses.get(pid, []), key=lambda c: c.idx) if not any((k, c.clause_id) in carried for k in kids)]
                row.status = "partial" if row.missing else "covered"
            out.append(row)
    return out


def gap_tuples(rows: Sequence[Coverage]) -> list[tuple[str, str, int, str]]:
    """``(child_doc, parent_doc, parent_seq, status)`` of the gap and partial rows (for evaluation)."""
    return [(r.child_doc, r.parent_doc, r.parent_seq, r.status) for r in rows if r.status in ("gap", "partial")]
