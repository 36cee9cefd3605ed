"""Human decisions about links, kept in a diffable file and re-applied on every build.

Automatic links are suggestions; a supervisor's decision is data.  Decisions live in a TOML file
in the workspace (``curation.toml`` beside the database by default), one ``[[decision]]`` table
per decision, appended in the order they were taken, so a diff shows who decided what.

Items are named by reference — ``<document ref>#<seq>`` (川办发〔2021〕16号#18) — not by internal
ids, so a decision survives re-ingestion of a changed file as long as the item still exists.
Each link decision remembers a fingerprint of the parent item's text: when the parent's text
changes later, the decision no longer applies blindly and the link becomes ``suspect`` until a
human looks again.  A decision whose items no longer exist is reported as stale, never dropped.

Kinds:

``accept``      the automatic (or any) link child → parent is right: status ``confirmed``;
``reject``      the link is wrong: status ``rejected`` (kept, so the decision is visible, and
                ignored by gap queries);
``link``        a manual link the linker did not find: added as ``confirmed``, method ``manual``;
``accept-gap``  a duty that does not apply to a subordinate government: its gap is ``accepted``.
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from policy_lineage.errors import LineageError
from policy_lineage.graph.model import Document, Item, Lineage, Link, stable_id

__all__ = [
    "Decision",
    "CurationResult",
    "CURATION_FILE",
    "KINDS",
    "item_ref",
    "resolve_ref",
    "load_decisions",
    "append_decision",
    "apply_decisions",
    "text_fingerprint",
    "describe",
]

CURATION_FILE = "curation.toml"
KINDS = ("accept", "reject", "link", "accept-gap")


@dataclass
class Decision:
    """One human decision.  ``child``/``parent`` are item refs; ``region`` for accept-gap."""

    kind: str
    parent: str
    child: str = ""
    region: str = ""
    reason: str = ""
    parent_text: str = ""  # fingerprint of the parent's text when decided
    decided_at: str = ""
    relation: str = "IMPLEMENTS"


@dataclass
class CurationResult:
    """What applying the decisions did: counts by outcome and the decisions that did not apply."""

    applied: int = 0
    suspect: list[Decision] = field(default_factory=list)
    stale: list[tuple[Decision, str]] = field(default_factory=list)
    accepted_gaps: list[tuple[str, str, str]] = field(default_factory=list)  # (parent item id, region, reason)


def text_fingerprint(text: str) -> str:
    """A short hash of an item's text (whitespace ignored)."""
    return stable_id("".join(text.split()), length=12)


def item_ref(doc: Document, item: Item) -> str:
    """How people name an item: ``<文号 or title>#<seq>``.

    >>> from policy_lineage.graph.model import Document, Item
    >>> item_ref(Document(title="t", doc_no="川办发〔2021〕16号"), Item(seq=18, text="x"))
    '川办发〔2021〕16号#18'
    """
    return f"{doc.ref}#{item.seq}"


def resolve_ref(ref: str, docs: list[Document]) -> tuple[Document, Item] | None:
    """The (document, item) a ref names, matching the document by 文号, title or doc id."""
    if "#" not in ref:
        return None
    doc_part, _, seq = ref.rpartition("#")
    if not seq.strip().isdigit():
        return None
    for doc in docs:
        if doc_part in {doc.ref, doc.doc_id, doc.title, doc.doc_no}:
            item = next((it for it in doc.items if it.seq == int(seq)), None)
            return (doc, item) if item is not None else None
    return None


# --------------------------------------------------------------------------- the file


def load_decisions(path: str | Path) -> list[Decision]:
    """Decisions from a curation file (none when it does not exist)."""
    path = Path(path)
    if not path.exists():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise LineageError(f"{path}: not a valid curation file: {e}") from e
    decisions = []
    for i, raw in enumerate(data.get("decision", []), start=1):
        if raw.get("kind") not in KINDS or not raw.get("parent"):
            raise LineageError(f"{path}: decision {i} needs kind ({', '.join(KINDS)}) and parent")
        known = {k: str(v) for k, v in raw.items() if k in Decision.__dataclass_fields__}
        decisions.append(Decision(**known))
    return decisions


def append_decision(path: str | Path, decision: Decision) -> None:
    """Append one decision to the file (creating it with a header), never rewriting the rest."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    decision.decided_at = decision.decided_at or dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    lines = ["", "[[decision]]"]
    for name, value in vars(decision).items():
        if value != "" and not (name == "relation" and value == "IMPLEMENTS"):
            lines.append(f"{name} = {json.dumps(value, ensure_ascii=False)}")
    header = "" if path.exists() else (
        "# policy-lineage curation: human decisions on links, re-applied on every build.\n"
        "# Edit with `lineage accept|reject|link|accept-gap`, or by hand; one [[decision]] per decision.\n"
    )
    with path.open("a", encoding="utf-8") as f:
        f.write(header + "\n".join(lines) + "\n")


# --------------------------------------------------------------------------- applying


def apply_decisions(docs: list[Document], lineage: Lineage, decisions: list[Decision]) -> CurationResult:
    """Apply decisions to a fresh lineage in place; later decisions on the same link win.

    A decision whose items are gone is reported in ``stale``; a link decision whose parent text
    changed since it was taken sets the link ``suspect`` and is reported in ``suspect``.

    Inferred duties are settled first (graph/inferred.py ``revise_peer_lineage``): a rejected
    SIBLING_OF link joins no duty, and an inferred plan a decision names is rebuilt, superseded,
    when its real parent plan has arrived — a decision on one of its duties then applies to the
    real duties it RESOLVES_TO too (an accepted gap stays accepted on the real duty), and is
    stale when it resolves to none.
    """
    from policy_lineage.graph.inferred import revise_peer_lineage  # text models: loaded by builds only
    from policy_lineage.graph.superseded import RESOLVES_TO

    result = CurationResult()
    named = {r.rpartition("#")[0] for d in decisions for r in (d.parent, d.child) if r}  # documents the refs name
    revise_peer_lineage(docs, lineage, _rejected(docs, decisions), named)
    by_key = {(l.child, l.parent, l.relation): l for l in lineage.links}
    # duties inferred for a missing common parent are linked and reviewed like printed ones; once
    # the real parent is in, a decision on one applies to the real duties it resolves to as well
    known = [*docs, *lineage.inferred_documents]
    resolved: dict[str, list[str]] = {}
    for l in lineage.links:
        if l.relation == RESOLVES_TO and l.status != "rejected":
            resolved.setdefault(l.child, []).append(l.parent)
    for d in decisions:
        parent = resolve_ref(d.parent, known)
        if parent is None:
            result.stale.append((d, f"parent item {d.parent} no longer exists"))
            continue
        parent_doc, parent_item = parent
        parent_id = parent_item.item_id(parent_doc.doc_id)
        targets = [parent_id, *(resolved.get(parent_id, []) if d.relation == "IMPLEMENTS" else [])]
        if parent_doc.doc_id in lineage.superseded and len(targets) == 1:
            result.stale.append((d, f"inferred duty {d.parent} matches no duty of the plan that replaced it"))
            continue
        if d.kind == "accept-gap":
            if not any(doc.region == d.region for doc in docs):
                # the gaps query matches a document's region: without one the decision shows nothing
                result.stale.append((d, f"no document of region {d.region} is ingested; the accepted gap applies once one is"))
                continue
            result.accepted_gaps.extend((t, d.region, d.reason) for t in targets)
            result.applied += 1
            continue
        child = resolve_ref(d.child, known)
        if child is None:
            result.stale.append((d, f"child item {d.child} no longer exists"))
            continue
        child_id = child[1].item_id(child[0].doc_id)
        changed = bool(d.parent_text) and d.parent_text != text_fingerprint(parent_item.text)
        for target in targets:
            link = by_key.get((child_id, target, d.relation))
            if link is None:
                link = Link(child=child_id, parent=target, relation=d.relation, score=0.0, method="manual")
                lineage.links.append(link)
                by_key[(child_id, target, d.relation)] = link
            if changed:
                link.status = "suspect"
                continue
            link.status = "rejected" if d.kind == "reject" else "confirmed"
            if d.kind == "link":
                link.method = "manual"
                link.score = max(link.score, 1.0)
            if d.reason:
                link.evidence = [*link.evidence, f"reviewer: {d.reason}"]
        if changed:
            result.suspect.append(d)
        else:
            result.applied += 1
    return result


def _rejected(docs: list[Document], decisions: list[Decision]) -> set[tuple[str, str]]:
    """(child, parent) item ids of the links the decisions leave rejected (a later accept or
    link undoes a reject; a reject whose parent text changed is suspect, not in force).

    Known before any decision is applied, so a rejected SIBLING_OF link joins no inferred duty.
    """
    out: set[tuple[str, str]] = set()
    for d in decisions:
        parent, child = resolve_ref(d.parent, docs), resolve_ref(d.child, docs)
        if d.kind == "accept-gap" or parent is None or child is None:
            continue
        key = (child[1].item_id(child[0].doc_id), parent[1].item_id(parent[0].doc_id))
        if d.kind == "reject" and not (d.parent_text and d.parent_text != text_fingerprint(parent[1].text)):
            out.add(key)
        else:
            out.discard(key)
    return out


def describe(result: CurationResult) -> list[str]:
    """What applying the decisions did, as the lines ``lineage build`` prints.

    Suspect and stale decisions are listed one per line with their refs, because each needs a
    human: a suspect link to be reviewed again, a stale decision to be removed or re-targeted.

    >>> describe(CurationResult(applied=2))
    ['  curation: 2 applied, 0 suspect, 0 stale']
    >>> describe(CurationResult())
    []
    """
    if not (result.applied or result.suspect or result.stale):
        return []
    lines = [f"  curation: {result.applied} applied, {len(result.suspect)} suspect, {len(result.stale)} stale"]
    for d in result.suspect:
        lines.append(f"    suspect {d.kind} {d.child} → {d.parent}: the parent's text changed since the decision; review it again")
    for d, why in result.stale:
        what = f"{d.parent} in {d.region}" if d.kind == "accept-gap" else f"{d.child} → {d.parent}"
        lines.append(f"    stale {d.kind} {what}: {why}")
    return lines
