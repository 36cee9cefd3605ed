// orphans: local tasks with no higher-level duty: items of a document that answers to a
// higher-level document, implementing nothing (no IMPLEMENTS link, or only rejected ones).
// Either a task the government added itself, or a link the linker missed.
// $child: the document's ref, or its region's name; null for all
// order: region, doc, seq
// sort: parents
MATCH (cdoc:Document)-[:ANSWERS_TO]->(pdoc:Document)
WHERE (cdoc.ref = $child OR cdoc.region = $child OR $child IS NULL)
WITH cdoc, collect(pdoc.ref) AS parents
MATCH (cdoc)-[:HAS_ITEM]->(task:Item)
WHERE NOT EXISTS { MATCH (task)-[l:IMPLEMENTS]->(:Item) WHERE l.status <> 'rejected' }
RETURN task.region AS region, task.doc_ref AS doc, task.seq AS seq, task.ref AS ref,
       coalesce(task.title, left(task.text, 60)) AS title, task.units AS units, parents
ORDER BY region, doc, seq
