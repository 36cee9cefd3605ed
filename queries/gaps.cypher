// gaps: higher-level duties a lower-level document does not carry down: for every document C
// that answers to a document P (ANSWERS_TO) and every duty p of P, status `gap` when no item of
// C implements p, `partial` when some do but a clause of p is carried by none of them (missing
// lists those clauses), `accepted` when a supervisor accepted that p does not apply to C's
// region (lineage accept-gap).  Rejected links do not count.  A government without a document
// is absent ("no data"), never a gap.
// best_candidate_seq/best_score: C's item nearest to p (its best sub-threshold CANDIDATE for a
// gap, its best implementing item for a partial).
// responsible: the units of C's region doing the job of a unit assigned to p (财政厅 → 区财政局),
// else the units of the best candidate item, else C's issuer; collective units are left out.
// $parent: the parent document's ref (文号, else title); null for all
// $child: the child document's ref, or its region's name; null for all
// $unit: keep rows whose responsible units contain this text; null for all
// order: parent_doc, parent_seq, child_region, child_doc
// sort: missing by missing_idx, responsible
// How: per duty clause, the documents whose (not rejected) implementing items carry it; a
// document answering to the duty's document then has a row for each clause it does not carry
// (every clause when nothing implements the duty), with the clause numbers and texts collected
// there in one pass (parallel lists); the responsible units and best candidate are looked up
// for those rows only.  LadybugDB plans every OPTIONAL MATCH from bound nodes as a hash join
// over the whole relationship table, so the query's cost is the number of such look-ups more
// than the rows they serve: hence one pass over CANDIDATE|IMPLEMENTS for `implemented` and the
// best score, and the units read off the items (unit_kinds, unit_names) instead of ASSIGNED_TO.
MATCH (pdoc:Document)-[:HAS_ITEM]->(duty:Item)
WHERE (pdoc.ref = $parent OR $parent IS NULL) AND EXISTS { MATCH (:Document)-[:ANSWERS_TO]->(pdoc) }
// an implementing link counts unless it was rejected (or has no status); the few that do not
// count are listed once per duty, so the carriers below need no per-carrier IMPLEMENTS lookup
OPTIONAL MATCH (rj:Item)-[rl:IMPLEMENTS]->(duty)
WHERE rl.status IS NULL OR rl.status = 'rejected'
WITH pdoc, duty, collect(rj.id) AS excluded
OPTIONAL MATCH (duty)-[:HAS_CLAUSE]->(k:Clause)
// LadybugDB 0.22 crashes when this cyclic pattern reads a relationship property: it reads none
OPTIONAL MATCH (k)<-[:CARRIES]-(x:Item)-[:IMPLEMENTS]->(duty)
WITH pdoc, duty, k, collect(CASE WHEN NOT x.id IN excluded THEN x.doc_id END) AS carrying_docs
MATCH (cdoc:Document)-[:ANSWERS_TO]->(pdoc)
WHERE (cdoc.ref = $child OR cdoc.region = $child OR $child IS NULL)
  AND (k IS NULL OR NOT cdoc.id IN carrying_docs)
WITH cdoc, duty, collect(k.idx) AS uncarried, collect(k.text) AS uncarried_text
// candidates have no status, implementing links do: one pass gives both whether C implements
// p (a link with a status that is not rejected) and the best score (rejected links left out)
OPTIONAL MATCH (b:Item)-[bl:CANDIDATE|IMPLEMENTS]->(duty)
WHERE b.doc_id = cdoc.id AND (bl.status IS NULL OR bl.status <> 'rejected')
WITH cdoc, duty, uncarried, uncarried_text, count(bl.status) > 0 AS implemented, max(bl.score) AS best_score
WHERE NOT implemented OR size(uncarried) > 0
OPTIONAL MATCH (duty)-[:GAP_ACCEPTED]->(r:Region)
WHERE r.name = cdoc.region
WITH cdoc, duty, implemented, uncarried, uncarried_text, best_score, count(r) AS accepted
OPTIONAL MATCH (b:Item)-[bl:CANDIDATE|IMPLEMENTS]->(duty)
WHERE b.doc_id = cdoc.id AND (bl.status IS NULL OR bl.status <> 'rejected') AND bl.score = best_score
WITH cdoc, duty, implemented, uncarried, uncarried_text, accepted, best_score, min(b.seq) AS best_seq
// unit_kinds and unit_names are the item's ASSIGNED_TO agencies, stored on it at build time
// (graph/schema.py): joining ASSIGNED_TO here cost more than half a second at 3,000 documents
OPTIONAL MATCH (ka:Agency)
WHERE ka.region = cdoc.region AND ka.kind IN duty.unit_kinds AND NOT coalesce(ka.collective, false)
WITH cdoc, duty, implemented, uncarried, uncarried_text, accepted, best_score, best_seq, collect(DISTINCT ka.name) AS by_kind
OPTIONAL MATCH (bi:Item)
WHERE bi.doc_id = cdoc.id AND bi.seq = best_seq
WITH cdoc, duty, implemented, uncarried, uncarried_text, accepted, best_score, best_seq, by_kind, coalesce(bi.unit_names, []) AS by_best
WITH cdoc, duty, implemented, uncarried, uncarried_text, accepted, best_score, best_seq, $unit AS unit,
     CASE WHEN size(by_kind) > 0 THEN by_kind
          WHEN size(by_best) > 0 OR cdoc.issuer IS NULL THEN by_best
          ELSE [cdoc.issuer] END AS responsible
WHERE (any(u IN responsible WHERE u CONTAINS unit) OR unit IS NULL)
WITH cdoc, duty, implemented, accepted, best_score, best_seq, responsible,
     CASE WHEN implemented THEN uncarried_text ELSE [] END AS missing, CASE WHEN implemented THEN uncarried ELSE [] END AS missing_idx
RETURN duty.region AS parent_region, duty.year AS parent_year, duty.doc_ref AS parent_doc, duty.seq AS parent_seq,
       coalesce(duty.title, left(duty.text, 40)) AS parent_title, cdoc.region AS child_region, cdoc.ref AS child_doc,
       CASE WHEN accepted > 0 THEN 'accepted' WHEN implemented THEN 'partial' ELSE 'gap' END AS status,
       missing, missing_idx, best_seq AS best_candidate_seq, best_score, responsible
ORDER BY parent_doc, parent_seq, child_region, child_doc
