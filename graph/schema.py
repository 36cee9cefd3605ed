"""The graph's shape, declared once for networkx, LadybugDB and Neo4j.

Every node has a string ``id`` (its key in every store) and the properties listed here; every
relationship has the properties listed for its type.  LadybugDB needs this declaration to
create its tables; Neo4j uses it for constraints and to know which properties to write; the
networkx builder fills exactly these fields, so a store round trip gives the same graph.

Properties are denormalised where the questions need them (an ``Item`` carries its document's
``doc_ref``, ``region`` and ``year``) so the queries in ``queries/`` stay short and run the
same on both stores.
"""

from __future__ import annotations

__all__ = ["NODES", "RELATIONSHIPS", "PY_TYPES"]

#: Property types in LadybugDB's vocabulary; Neo4j stores the same Python values.
PY_TYPES = {"STRING": str, "INT64": int, "DOUBLE": float, "BOOLEAN": bool, "STRING[]": list}

#: label -> {property: type}.  ``id`` is the primary key of every node table.
NODES: dict[str, dict[str, str]] = {
    "Region": {"id": "STRING", "name": "STRING", "level": "STRING", "path": "STRING"},
    "Agency": {
        "id": "STRING",
        "name": "STRING",
        "region": "STRING",
        "kind": "STRING",  # the agency's function without its region (财政局 → 财政), to match across levels
        "collective": "BOOLEAN",
    },
    "Document": {
        "id": "STRING",
        "ref": "STRING",  # 文号 where the document has one, else its title (the contracts' *_doc)
        "title": "STRING",
        "doc_no": "STRING",
        "issuer": "STRING",
        "region": "STRING",
        "level": "STRING",
        "date": "STRING",
        "year": "INT64",
        "source_file": "STRING",
        "source_hash": "STRING",
        "stub": "BOOLEAN",  # cited but not ingested
        "inferred": "BOOLEAN",  # stands in for the missing common parent of peers (graph/inferred.py)
        "superseded_by": "STRING",  # an inferred plan whose real parent arrived: that plan's ref (graph/superseded.py)
    },
    "Item": {
        "id": "STRING",
        "doc_id": "STRING",
        "doc_ref": "STRING",
        "ref": "STRING",  # <doc_ref>#<seq>: how people, curation and `lineage trace` name an item
        "region": "STRING",
        "level": "STRING",
        "year": "INT64",
        "seq": "INT64",
        "printed": "STRING",  # the number as printed ((十八), 3., 一): Item.label of the model
        "section": "STRING",  # section path joined with " / "
        "title": "STRING",
        "text": "STRING",
        "deadline_text": "STRING",
        "deadline_date": "STRING",
        "deadline_kind": "STRING",
        "units": "STRING",  # every assigned unit, joined with "、" (for display; ASSIGNED_TO is the truth)
        "line": "INT64",
        "inferred": "BOOLEAN",  # a duty inferred from sibling documents, not printed anywhere
        # Read off ASSIGNED_TO at build time for queries/gaps.cypher, which would otherwise join
        # the whole ASSIGNED_TO table (the largest, ~700k rows at 3,000 documents) twice per run;
        # no curation command changes an item's units, so they cannot go stale in the store.
        "unit_kinds": "STRING[]",  # the kinds of every assigned unit (Agency.kind), sorted
        "unit_names": "STRING[]",  # the names of the assigned units that are not collective, sorted
    },
    "Clause": {"id": "STRING", "item_id": "STRING", "idx": "INT64", "text": "STRING"},
}

_LINK = {"link_id": "STRING", "score": "DOUBLE", "method": "STRING", "status": "STRING", "evidence": "STRING"}

#: type -> (list of (from label, to label), {property: type}).
RELATIONSHIPS: dict[str, tuple[list[tuple[str, str]], dict[str, str]]] = {
    "PART_OF": ([("Region", "Region")], {}),
    "IN": ([("Document", "Region"), ("Agency", "Region")], {}),
    "ISSUED": ([("Agency", "Document")], {}),
    "HAS_ITEM": ([("Document", "Item")], {}),
    "HAS_CLAUSE": ([("Item", "Clause")], {}),
    "ASSIGNED_TO": ([("Item", "Agency")], {"role": "STRING", "original": "STRING"}),
    "IMPLEMENTS": ([("Item", "Item")], dict(_LINK)),
    "SIBLING_OF": ([("Item", "Item")], dict(_LINK)),
    # changes: what differs from the earlier item (deadline, targets, units), JSON (graph/changes.py)
    "EVOLVES_FROM": ([("Item", "Item")], {**_LINK, "changes": "STRING"}),
    # an inferred duty → the real duty it was, once the real parent plan is ingested (graph/superseded.py)
    "RESOLVES_TO": ([("Item", "Item")], dict(_LINK)),
    "CANDIDATE": ([("Item", "Item")], {"score": "DOUBLE", "evidence": "STRING"}),
    "CARRIES": ([("Item", "Clause")], {"score": "DOUBLE", "evidence": "STRING"}),
    "ANSWERS_TO": ([("Document", "Document")], {"basis": "STRING", "skipped_levels": "INT64"}),
    "CITES": ([("Document", "Document")], {"link_id": "STRING"}),  # link_id as for item links (links CSV)
    # a human decided a duty does not apply to a subordinate government (see graph/curation.py)
    "GAP_ACCEPTED": ([("Item", "Region")], {"reason": "STRING"}),
}
