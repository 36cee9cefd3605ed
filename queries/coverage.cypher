// coverage: duties × subordinate governments that have a document: for every document C
// answering to a document P and every duty p of P, whether C covers p (an implementing item
// carries every clause of p), covers it partly, leaves a gap, or a supervisor accepted that p
// does not apply to C's region.  Governments without a document do not appear (no data).
// $parent: the parent document's ref (文号, else title); null for all
// $child: the child document's ref, or its region's name; null for all
// order: parent_doc, parent_seq, child_region, child_doc
// sort: implemented_by
MATCH (pdoc:Document)-[:HAS_ITEM]->(duty:Item)
WHERE (pdoc.ref = $parent OR $parent IS NULL) AND EXISTS { MATCH (:Document)-[:ANSWERS_TO]->(pdoc) }
OPTIONAL MATCH (duty)-[:HAS_CLAUSE]->(k:Clause)
OPTIONAL MATCH (k)<-[:CARRIES]-(x:Item)
WHERE EXISTS { MATCH (x)-[xl:IMPLEMENTS]->(duty) WHERE xl.status <> 'rejected' }
WITH pdoc, duty, k, collect(x.doc_id) AS carrying_docs
MATCH (cdoc:Document)-[:ANSWERS_TO]->(pdoc)
WHERE (cdoc.ref = $child OR cdoc.region = $child OR $child IS NULL)
WITH cdoc, pdoc, duty, count(k) AS clauses, count(CASE WHEN cdoc.id IN carrying_docs THEN k.id END) AS carried
OPTIONAL MATCH (c_item:Item)-[l:IMPLEMENTS]->(duty)
WHERE c_item.doc_id = cdoc.id AND l.status <> 'rejected'
WITH cdoc, pdoc, duty, clauses, carried, collect(c_item.seq) AS implemented_by
OPTIONAL MATCH (duty)-[:GAP_ACCEPTED]->(r:Region)
WHERE r.name = cdoc.region
WITH cdoc, pdoc, duty, implemented_by, clauses, carried, count(r) AS accepted,
     size(implemented_by) > 0 AND carried = clauses AS covered
RETURN pdoc.region AS parent_region, pdoc.ref AS parent_doc, duty.seq AS parent_seq,
       coalesce(duty.title, left(duty.text, 40)) AS parent_title, cdoc.region AS child_region, cdoc.ref AS child_doc,
       CASE WHEN covered THEN 'covered'
            WHEN accepted > 0 THEN 'accepted'
            WHEN size(implemented_by) = 0 THEN 'gap'
            ELSE 'partial' END AS status,
       implemented_by, carried AS clauses_carried, clauses
ORDER BY parent_doc, parent_seq, child_region, child_doc
