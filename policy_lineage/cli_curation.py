"""The review commands of ``lineage``: review, accept, reject, link, accept-gap.

A supervisor's decision is data: each command checks what it names against the store, appends
one decision to the curation file beside the database (graph/curation.py; re-applied on every
build), and then changes the store in place so ``lineage links`` and ``lineage gaps`` show the
decision at once, without a rebuild.  Anything unknown (link id, item ref, region) is refused
before the file is touched.

LadybugDB has no ``type(r)``: every link lookup runs once per item-link relation, whose names
come from a fixed tuple and never from user input; user values travel as parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from policy_lineage.cli import _errors_as_one_line, cli, format_option
from policy_lineage.cli_graph import ITEM_LINK_RELATIONS, _echo_rows, _open, store_options
from policy_lineage.errors import LineageError, StoreError
from policy_lineage.graph.curation import Decision, append_decision, load_decisions, text_fingerprint
from policy_lineage.graph.model import Link
from policy_lineage.graph.nxgraph import EVIDENCE_SEP
from policy_lineage.output import FORMATS
from policy_lineage.pipeline import curation_path

__all__ = ["REVIEW_COLUMNS", "link_rows_cypher", "set_status_cypher", "StoredLink", "StoredItem", "review", "accept", "reject", "link", "accept_gap"]

REVIEW_COLUMNS = (
    "link_id", "score", "status", "relation", "child", "child_text", "parent", "parent_text", "evidence",
)  # fmt: skip

def link_rows_cypher(rel: str, by_id: bool = False) -> str:
    """The review columns of every link of one relation (or of the one ``$link_id``).

    ``rel`` comes from ITEM_LINK_RELATIONS, never from a user.
    """
    where = "WHERE l.link_id = $link_id " if by_id else ""
    return (
        f"MATCH (c:Item)-[l:{rel}]->(p:Item) {where}"
        f"RETURN l.link_id AS link_id, l.score AS score, l.status AS status, '{rel}' AS relation, "
        "c.ref AS child, c.text AS child_text, p.ref AS parent, p.text AS parent_text, l.evidence AS evidence"
    )


def set_status_cypher(rel: str) -> str:
    """Set a link's status and evidence in place (``rel`` from ITEM_LINK_RELATIONS)."""
    return f"MATCH (:Item)-[l:{rel}]->(:Item) WHERE l.link_id = $link_id SET l.status = $status, l.evidence = $evidence"


@dataclass(frozen=True)
class StoredLink:
    """A link as the store holds it: enough to write a decision and to update it in place."""

    link_id: str
    relation: str
    child: str
    parent: str
    parent_text: str
    evidence: str


@dataclass(frozen=True)
class StoredItem:
    """An item named by a user: its store id, the ref decisions use, its text and region."""

    item_id: str
    ref: str
    text: str
    region: str | None


# --------------------------------------------------------------------------- store look-ups


def _links(store, link_id: str | None = None) -> list[dict[str, Any]]:
    """Every item link (or the one with ``link_id``), one query per relation."""
    params = {"link_id": link_id} if link_id is not None else {}
    rows: list[dict[str, Any]] = []
    for rel in ITEM_LINK_RELATIONS:
        rows.extend(store.query(link_rows_cypher(rel, by_id=link_id is not None), params))
    return rows


def find_link(store, link_id: str, where: str) -> StoredLink:
    """The link with this id, or a LineageError that says how to find one."""
    rows = _links(store, link_id)
    if not rows:
        raise LineageError(f"no link {link_id!r} in {where}; `lineage review` or `lineage links` lists the link ids")
    r = rows[0]
    return StoredLink(r["link_id"], r["relation"], r["child"], r["parent"], r["parent_text"] or "", r["evidence"] or "")


def find_item(store, ref: str, where: str) -> StoredItem:
    """The item a ref (``<文号 or title>#<seq>``) or item id names, or a LineageError."""
    rows = store.query(
        "MATCH (i:Item) WHERE i.ref = $ref OR i.id = $ref RETURN i.id AS id, i.ref AS ref, i.text AS text, i.region AS region",
        {"ref": ref},
    )
    if not rows:
        raise LineageError(f"no item {ref!r} in {where}; name it as <文号 or title>#<seq>, e.g. 川办发〔2021〕16号#18")
    if len(rows) > 1:
        raise LineageError(f"{ref!r} names {len(rows)} items in {where}; use an item id from `lineage trace`")
    r = rows[0]
    return StoredItem(r["id"], r["ref"], r["text"] or "", r["region"])


def _where(backend: str, db: Path) -> str:
    return str(db) if backend == "ladybug" else "the Neo4j store"


def _record(db: Path, decision: Decision, update, *args) -> Path:
    """Append the decision, then update the store; the file is the truth if the update fails.

    A curation file that no longer reads (a bad hand edit) is refused first: appending to it
    would bury the new decision in a file the next build rejects.
    """
    path = curation_path(db)
    load_decisions(path)
    append_decision(path, decision)
    try:
        update(*args)
    except LineageError as e:
        raise StoreError(f"decision saved in {path} but the store was not updated ({e}); `lineage build` applies it") from e
    return path


# --------------------------------------------------------------------------- review


@cli.command()
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Only the N lowest-scoring links.")
@click.option("--status", "status", type=click.Choice(["auto", "confirmed", "rejected", "suspect"]), default=None, help="Only links with this status.")
@store_options
@format_option(*FORMATS)
@_errors_as_one_line
def review(limit: int | None, status: str | None, db: Path, backend: str, fmt: str) -> None:
    """Links to review, least confident first: child and parent text side by side, with evidence.

    Decide with `lineage accept LINK_ID` or `lineage reject LINK_ID`; decisions go to
    curation.toml beside the database and survive every rebuild.

    \b
    Example:
      lineage review --limit 10
      lineage review --status suspect --format csv
    """
    with _open(backend, db) as store:
        rows = _links(store)
    rows = [r for r in rows if status is None or r["status"] == status]
    rows.sort(key=lambda r: (r["score"] if r["score"] is not None else 0.0, r["link_id"] or ""))
    _echo_rows(rows[:limit] if limit else rows, REVIEW_COLUMNS, fmt)


# --------------------------------------------------------------------------- accept / reject


def _set_status(store, found: StoredLink, status: str, reason: str) -> None:
    evidence = EVIDENCE_SEP.join(e for e in (found.evidence, f"reviewer: {reason}" if reason else "") if e)
    store.query(
        set_status_cypher(found.relation),
        {"link_id": found.link_id, "status": status, "evidence": evidence},
        write=True,
    )


def _decide(kind: str, link_id: str, reason: str, db: Path, backend: str) -> None:
    with _open(backend, db, read_only=False) as store:
        found = find_link(store, link_id, _where(backend, db))
        decision = Decision(
            kind, parent=found.parent, child=found.child, reason=reason,
            parent_text=text_fingerprint(found.parent_text), relation=found.relation,
        )  # fmt: skip
        status = "rejected" if kind == "reject" else "confirmed"
        path = _record(db, decision, _set_status, store, found, status, reason)
    click.echo(f"{status} {found.link_id}: {found.child} → {found.parent} ({found.relation}); recorded in {path}")


def _decision_command(kind: str, summary: str, example: str) -> click.Command:
    """``lineage accept`` and ``lineage reject``: one shape, two statuses."""

    @click.argument("link_id")
    @click.option("--reason", default="", help="Why (kept in the curation file and the link's evidence).")
    @store_options
    @_errors_as_one_line
    def command(link_id: str, reason: str, db: Path, backend: str) -> None:
        _decide(kind, link_id, reason, db, backend)

    command.__doc__ = f"{summary}\n\n\b\nExample:\n  {example}\n"
    return cli.command(kind)(command)


accept = _decision_command(
    "accept", "Confirm a link: status confirmed now and after every rebuild.", 'lineage accept L2711c958e72e --reason "同一任务"'
)
reject = _decision_command(
    "reject",
    "Reject a link: status rejected now and after every rebuild; gaps ignore it.",
    'lineage reject L16667bd21bdf --reason "只是措辞相近"',
)


# --------------------------------------------------------------------------- manual link


def _add_link(store, child: StoredItem, parent: StoredItem, reason: str) -> None:
    """Confirm the child → parent IMPLEMENTS link, creating it when the linker did not."""
    new = Link(child=child.item_id, parent=parent.item_id, relation="IMPLEMENTS", score=1.0, method="manual", status="confirmed")
    rows = _links(store, new.link_id)
    evidence = f"reviewer: {reason}" if reason else ""
    if rows:
        old = rows[0]
        store.query(
            "MATCH (:Item)-[l:IMPLEMENTS]->(:Item) WHERE l.link_id = $link_id "
            "SET l.status = 'confirmed', l.method = 'manual', l.score = $score, l.evidence = $evidence",
            {
                "link_id": new.link_id,
                "score": max(float(old["score"] or 0.0), 1.0),
                "evidence": EVIDENCE_SEP.join(e for e in (old["evidence"] or "", evidence) if e),
            },
            write=True,
        )
    else:
        store.query(
            "MATCH (c:Item), (p:Item) WHERE c.id = $child AND p.id = $parent "
            "CREATE (c)-[:IMPLEMENTS {link_id: $link_id, score: $score, method: 'manual', status: 'confirmed', evidence: $evidence}]->(p)",
            {"child": child.item_id, "parent": parent.item_id, "link_id": new.link_id, "score": 1.0, "evidence": evidence},
            write=True,
        )


@cli.command("link")
@click.argument("child_ref")
@click.argument("parent_ref")
@click.option("--reason", default="", help="Why (kept in the curation file and the link's evidence).")
@store_options
@_errors_as_one_line
def link(child_ref: str, parent_ref: str, reason: str, db: Path, backend: str) -> None:
    """Link a local task to the higher-level duty it implements (a link the linker missed).

    Items are named <文号 or title>#<seq>, as `lineage links` and `lineage trace` print them.

    \b
    Example:
      lineage link 2021年全区政务公开重点任务分工方案#5 川办发〔2021〕16号#6 --reason "同一任务"
    """
    where = _where(backend, db)
    with _open(backend, db, read_only=False) as store:
        child = find_item(store, child_ref, where)
        parent = find_item(store, parent_ref, where)
        if child.item_id == parent.item_id:
            raise LineageError(f"{child_ref!r} and {parent_ref!r} are the same item; a link joins two items")
        decision = Decision("link", parent=parent.ref, child=child.ref, reason=reason, parent_text=text_fingerprint(parent.text))
        path = _record(db, decision, _add_link, store, child, parent, reason)
    link_id = Link(child=child.item_id, parent=parent.item_id).link_id
    click.echo(f"linked {link_id}: {child.ref} → {parent.ref} (IMPLEMENTS, confirmed); recorded in {path}")


# --------------------------------------------------------------------------- accepted gap


def _documents_in(store, region: str, parent: StoredItem) -> tuple[int, int]:
    """(documents of the region, those among them answering to the duty's document)."""
    docs = store.query(
        "MATCH (d:Document) WHERE d.region = $region AND NOT coalesce(d.stub, false) RETURN count(d) AS n", {"region": region}
    )[0]["n"]
    answering = store.query(
        "MATCH (c:Document)-[:ANSWERS_TO]->(:Document)-[:HAS_ITEM]->(i:Item) WHERE i.id = $item AND c.region = $region "
        "RETURN count(c) AS n",
        {"item": parent.item_id, "region": region},
    )[0]["n"]
    return int(docs), int(answering)


def _accept_gap(store, parent: StoredItem, region_id: str, reason: str) -> None:
    existing = store.query(
        "MATCH (i:Item)-[g:GAP_ACCEPTED]->(r:Region) WHERE i.id = $item AND r.id = $region RETURN count(g) AS n",
        {"item": parent.item_id, "region": region_id},
    )[0]["n"]
    verb = "MATCH (i:Item)-[g:GAP_ACCEPTED]->(r:Region) WHERE i.id = $item AND r.id = $region SET g.reason = $reason" if existing else (
        "MATCH (i:Item), (r:Region) WHERE i.id = $item AND r.id = $region CREATE (i)-[:GAP_ACCEPTED {reason: $reason}]->(r)"
    )  # fmt: skip
    store.query(verb, {"item": parent.item_id, "region": region_id, "reason": reason}, write=True)


@cli.command("accept-gap")
@click.argument("parent_ref")
@click.argument("child_region")
@click.option("--reason", required=True, help="Why the duty does not apply there (required: it is the record).")
@store_options
@_errors_as_one_line
def accept_gap(parent_ref: str, child_region: str, reason: str, db: Path, backend: str) -> None:
    """Accept that a higher-level duty does not apply to a subordinate government.

    Its gap shows as `accepted` in `lineage gaps` from now on and after every rebuild.  A region
    without an ingested document is recorded but reported: nothing is accepted until one is.

    \b
    Example:
      lineage accept-gap 川办发〔2021〕16号#17 安居区 --reason "本区无此职能"
    """
    where = _where(backend, db)
    if not reason.strip():
        raise click.BadParameter("give the reason in words", param_hint="--reason")
    with _open(backend, db, read_only=False) as store:
        parent = find_item(store, parent_ref, where)
        regions = store.query("MATCH (r:Region) WHERE r.name = $name RETURN r.id AS id ORDER BY id", {"name": child_region})
        if not regions:
            raise LineageError(f"no region {child_region!r} in {where}; give a region by its name as `lineage gaps` prints it (child_region)")
        docs, answering = _documents_in(store, child_region, parent)
        decision = Decision("accept-gap", parent=parent.ref, region=child_region, reason=reason)
        path = _record(db, decision, _accept_gap, store, parent, regions[0]["id"], reason)
    click.echo(f"accepted gap {parent.ref} in {child_region}; recorded in {path}")
    if not docs:
        click.echo(f"note: no document of {child_region} is ingested, so no gap shows as accepted until one is; `lineage build` reports the decision as stale meanwhile", err=True)
    elif not answering:
        click.echo(f"note: no document of {child_region} answers to the document of {parent.ref}, so this decision changes no gap row", err=True)
