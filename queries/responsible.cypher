// responsible: who answers for what: every unit assigned to a task (lead, responsible or
// guide), the task, its deadline, and the higher-level duties the task implements.
// $unit: keep units whose name contains this text (e.g. 财政); null for all
// $doc: keep tasks of this document (ref) or region; null for all
// order: unit, region, doc, seq, role
// sort: implements
MATCH (task:Item)-[a:ASSIGNED_TO]->(agency:Agency)
WHERE (agency.name CONTAINS $unit OR $unit IS NULL)
  AND (task.doc_ref = $doc OR task.region = $doc OR $doc IS NULL)
OPTIONAL MATCH (task)-[l:IMPLEMENTS]->(duty:Item)
WHERE l.status <> 'rejected'
RETURN agency.name AS unit, agency.kind AS kind, agency.collective AS collective, a.role AS role,
       task.region AS region, task.doc_ref AS doc, task.seq AS seq,
       coalesce(task.title, left(task.text, 60)) AS task, task.deadline_text AS deadline, collect(duty.ref) AS implements
ORDER BY unit, region, doc, seq, role
