// trace_up: one task and every higher-level duty it answers to, level by level, following
// IMPLEMENTS links up (rejected links excluded).  Depth 0 is the task itself.
// $item: the task's id, or its ref: <文号 or title>#<seq>, e.g. 2021年全区政务公开重点任务分工方案#4
// order: depth, region, doc, seq
MATCH (task:Item)
WHERE task.id = $item OR task.ref = $item
MATCH path = (task)-[:IMPLEMENTS*0..10]->(duty:Item)
WHERE all(l IN relationships(path) WHERE l.status <> 'rejected')
WITH task, duty, min(length(path)) AS depth
RETURN task.ref AS item, depth, duty.region AS region, duty.level AS level, duty.year AS year,
       duty.doc_ref AS doc, duty.seq AS seq, duty.ref AS ref, coalesce(duty.title, duty.text) AS text, duty.units AS units
ORDER BY depth, region, doc, seq
