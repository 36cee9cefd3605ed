// trace_down: one duty and every task below it, level by level, following IMPLEMENTS links
// down (rejected links excluded).  Depth 0 is the duty itself; a task reached along several
// chains is listed once, at its shortest depth.
// $item: the duty's id, or its ref: <文号 or title>#<seq>, e.g. 川办发〔2021〕16号#18
// order: depth, region, doc, seq
MATCH (duty:Item)
WHERE duty.id = $item OR duty.ref = $item
MATCH path = (task:Item)-[:IMPLEMENTS*0..10]->(duty)
WHERE all(l IN relationships(path) WHERE l.status <> 'rejected')
WITH duty, task, min(length(path)) AS depth
RETURN duty.ref AS duty, depth, task.region AS region, task.level AS level, task.year AS year,
       task.doc_ref AS doc, task.seq AS seq, task.ref AS ref, coalesce(task.title, task.text) AS text, task.units AS units
ORDER BY depth, region, doc, seq
