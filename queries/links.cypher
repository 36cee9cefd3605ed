// links: every item link (IMPLEMENTS, SIBLING_OF, EVOLVES_FROM) with both ends named as people
// name them: region, cycle year, document (文号, else title) and printed item number.
// The `lineage links` CSV contract; rejected links are listed too, with their status.
// CITES (document cites document by 文号) is listed only when asked for: its seq columns and
// score are empty (typed nulls: LadybugDB needs one type per column across UNION ALL parts),
// status is auto, evidence is the cited title where the citing text gives it.
// $relation: IMPLEMENTS, SIBLING_OF, EVOLVES_FROM or CITES to list one relation; null for the three item links
// columns: link_id, child_region, child_year, child_doc, child_seq, parent_region, parent_year, parent_doc, parent_seq, relation, score, status, evidence
// order: child_region, child_doc, child_seq, relation, parent_doc, parent_seq
// (one MATCH per relation: LadybugDB has no type(r), Neo4j no label(r))
MATCH (c:Item)-[l:IMPLEMENTS]->(p:Item)
WHERE ('IMPLEMENTS' = $relation OR $relation IS NULL)
RETURN l.link_id AS link_id, c.region AS child_region, c.year AS child_year, c.doc_ref AS child_doc, c.seq AS child_seq,
       p.region AS parent_region, p.year AS parent_year, p.doc_ref AS parent_doc, p.seq AS parent_seq,
       'IMPLEMENTS' AS relation, l.score AS score, l.status AS status, l.evidence AS evidence
UNION ALL
MATCH (c:Item)-[l:SIBLING_OF]->(p:Item)
WHERE ('SIBLING_OF' = $relation OR $relation IS NULL)
RETURN l.link_id AS link_id, c.region AS child_region, c.year AS child_year, c.doc_ref AS child_doc, c.seq AS child_seq,
       p.region AS parent_region, p.year AS parent_year, p.doc_ref AS parent_doc, p.seq AS parent_seq,
       'SIBLING_OF' AS relation, l.score AS score, l.status AS status, l.evidence AS evidence
UNION ALL
MATCH (c:Item)-[l:EVOLVES_FROM]->(p:Item)
WHERE ('EVOLVES_FROM' = $relation OR $relation IS NULL)
RETURN l.link_id AS link_id, c.region AS child_region, c.year AS child_year, c.doc_ref AS child_doc, c.seq AS child_seq,
       p.region AS parent_region, p.year AS parent_year, p.doc_ref AS parent_doc, p.seq AS parent_seq,
       'EVOLVES_FROM' AS relation, l.score AS score, l.status AS status, l.evidence AS evidence
UNION ALL
MATCH (c:Document)-[l:CITES]->(p:Document)
WHERE 'CITES' = $relation
RETURN l.link_id AS link_id, c.region AS child_region, c.year AS child_year, c.ref AS child_doc,
       CASE WHEN false THEN 0 END AS child_seq,
       p.region AS parent_region, p.year AS parent_year, p.ref AS parent_doc, CASE WHEN false THEN 0 END AS parent_seq,
       'CITES' AS relation, CASE WHEN false THEN 0.0 END AS score, 'auto' AS status, p.title AS evidence
