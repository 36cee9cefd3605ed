// siblings: the items two peer documents of one cycle share (SIBLING_OF, stored one way, matched
// both ways), aligned row by row, then the items of each that have no sibling in the other.
// A row with b_seq null is an item only $a has; a_seq null, an item only $b has.  Rejected links
// do not align items.  Peers are linked only while their common parent is not in the corpus
// (graph/siblings.py); with the parent present, items implementing one duty are its siblings.
// (typed nulls, CASE WHEN false THEN '' END: LadybugDB's UNION needs each column's type)
// $a: the first document's ref (文号, else title) or id
// $b: the second document's ref or id
// order: a_seq, b_seq
MATCH (x:Item)-[l:SIBLING_OF]-(y:Item)
WHERE (x.doc_ref = $a OR x.doc_id = $a) AND (y.doc_ref = $b OR y.doc_id = $b) AND l.status <> 'rejected'
RETURN x.doc_ref AS a_doc, x.seq AS a_seq, x.text AS a_text,
       y.doc_ref AS b_doc, y.seq AS b_seq, y.text AS b_text,
       l.score AS score, l.status AS status, l.evidence AS evidence, l.link_id AS link_id
UNION ALL
MATCH (x:Item)
WHERE (x.doc_ref = $a OR x.doc_id = $a)
  AND NOT EXISTS { MATCH (x)-[l:SIBLING_OF]-(y:Item) WHERE (y.doc_ref = $b OR y.doc_id = $b) AND l.status <> 'rejected' }
RETURN x.doc_ref AS a_doc, x.seq AS a_seq, x.text AS a_text,
       CASE WHEN false THEN '' END AS b_doc, CASE WHEN false THEN 0 END AS b_seq, CASE WHEN false THEN '' END AS b_text,
       CASE WHEN false THEN 0.0 END AS score, CASE WHEN false THEN '' END AS status, CASE WHEN false THEN '' END AS evidence, CASE WHEN false THEN '' END AS link_id
UNION ALL
MATCH (y:Item)
WHERE (y.doc_ref = $b OR y.doc_id = $b)
  AND NOT EXISTS { MATCH (y)-[l:SIBLING_OF]-(x:Item) WHERE (x.doc_ref = $a OR x.doc_id = $a) AND l.status <> 'rejected' }
RETURN CASE WHEN false THEN '' END AS a_doc, CASE WHEN false THEN 0 END AS a_seq, CASE WHEN false THEN '' END AS a_text,
       y.doc_ref AS b_doc, y.seq AS b_seq, y.text AS b_text,
       CASE WHEN false THEN 0.0 END AS score, CASE WHEN false THEN '' END AS status, CASE WHEN false THEN '' END AS evidence, CASE WHEN false THEN '' END AS link_id
