// evolution: one item's line of duty across cycles: the earlier items it continues and the
// later items that continue it, following EVOLVES_FROM both ways (rejected links excluded), one
// row per link on those chains, with score, evidence and what changed (changes: JSON with
// deadline, targets, units_added, units_removed; see graph/changes.py).
// $item: the item's id, or its ref: <文号 or title>#<seq>, e.g. 眉府办函〔2023〕19号#44
// order: later_year, later_doc, later_seq, earlier_year, earlier_doc, earlier_seq
MATCH (start:Item)
WHERE start.id = $item OR start.ref = $item
MATCH chain = (start)-[:EVOLVES_FROM*0..6]->(a:Item)
MATCH (a)-[l:EVOLVES_FROM]->(b:Item)
WHERE all(x IN relationships(chain) WHERE x.status <> 'rejected') AND l.status <> 'rejected'
RETURN DISTINCT 'earlier' AS direction, l.link_id AS link_id,
       a.ref AS later_ref, a.region AS later_region, a.year AS later_year, a.doc_ref AS later_doc, a.seq AS later_seq,
       coalesce(a.title, a.text) AS later_text,
       b.ref AS earlier_ref, b.region AS earlier_region, b.year AS earlier_year, b.doc_ref AS earlier_doc, b.seq AS earlier_seq,
       coalesce(b.title, b.text) AS earlier_text,
       l.score AS score, l.status AS status, l.evidence AS evidence, l.changes AS changes
UNION ALL
MATCH (start:Item)
WHERE start.id = $item OR start.ref = $item
MATCH chain = (b:Item)-[:EVOLVES_FROM*0..6]->(start)
MATCH (a:Item)-[l:EVOLVES_FROM]->(b)
WHERE all(x IN relationships(chain) WHERE x.status <> 'rejected') AND l.status <> 'rejected'
RETURN DISTINCT 'later' AS direction, l.link_id AS link_id,
       a.ref AS later_ref, a.region AS later_region, a.year AS later_year, a.doc_ref AS later_doc, a.seq AS later_seq,
       coalesce(a.title, a.text) AS later_text,
       b.ref AS earlier_ref, b.region AS earlier_region, b.year AS earlier_year, b.doc_ref AS earlier_doc, b.seq AS earlier_seq,
       coalesce(b.title, b.text) AS earlier_text,
       l.score AS score, l.status AS status, l.evidence AS evidence, l.changes AS changes
