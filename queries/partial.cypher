// partial: duties a lower-level document implements only in part: an item of C implements the
// duty p of the document C answers to, but some clause of p is carried by none of C's
// implementing items.  Lists what was carried and what is missing, clause by clause.
// $parent: the parent document's ref (文号, else title); null for all
// $child: the child document's ref, or its region's name; null for all
// order: parent_doc, parent_seq, child_region, child_doc
// sort: implemented_by, carried by carried_idx, missing by missing_idx
MATCH (pdoc:Document)-[:HAS_ITEM]->(duty:Item)
WHERE (pdoc.ref = $parent OR $parent IS NULL) AND EXISTS { MATCH (:Document)-[:ANSWERS_TO]->(pdoc) }
MATCH (duty)-[:HAS_CLAUSE]->(k:Clause)
OPTIONAL MATCH (k)<-[:CARRIES]-(x:Item)
WHERE EXISTS { MATCH (x)-[xl:IMPLEMENTS]->(duty) WHERE xl.status <> 'rejected' }
WITH pdoc, duty, k, collect(x.doc_id) AS carrying_docs
MATCH (cdoc:Document)-[:ANSWERS_TO]->(pdoc)
WHERE (cdoc.ref = $child OR cdoc.region = $child OR $child IS NULL)
  AND EXISTS { MATCH (c_item:Item)-[l:IMPLEMENTS]->(duty) WHERE c_item.doc_id = cdoc.id AND l.status <> 'rejected' }
WITH cdoc, pdoc, duty, collect(CASE WHEN cdoc.id IN carrying_docs THEN k.text END) AS carried,
     collect(CASE WHEN NOT cdoc.id IN carrying_docs THEN k.text END) AS missing,
     collect(CASE WHEN cdoc.id IN carrying_docs THEN k.idx END) AS carried_idx,
     collect(CASE WHEN NOT cdoc.id IN carrying_docs THEN k.idx END) AS missing_idx
WHERE size(missing) > 0
MATCH (c_item:Item)-[l:IMPLEMENTS]->(duty)
WHERE c_item.doc_id = cdoc.id AND l.status <> 'rejected'
WITH cdoc, pdoc, duty, carried, missing, carried_idx, missing_idx, collect(c_item.seq) AS implemented_by
RETURN pdoc.region AS parent_region, pdoc.ref AS parent_doc, duty.seq AS parent_seq,
       coalesce(duty.title, left(duty.text, 40)) AS parent_title, cdoc.region AS child_region, cdoc.ref AS child_doc,
       implemented_by, carried, missing, carried_idx, missing_idx
ORDER BY parent_doc, parent_seq, child_region, child_doc
