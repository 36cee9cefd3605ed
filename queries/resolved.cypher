// resolved: which inferred duty was which real duty.  A plan inferred from peers for a missing
// parent (graph/inferred.py) is kept as a superseded record once the real parent plan is
// ingested and something names it (a curation decision); each of its duties RESOLVES_TO the
// real duties its members implement (graph/superseded.py).  One row per inferred duty and real
// duty, with the inferred duty's members; an inferred duty that resolves to nothing has a row
// with real_seq null (the real plan lacks it, or the linker missed it).
// $doc: the inferred plan's ref, or the real plan's ref; null for all
// order: inferred_doc, duty_seq, real_seq
// sort: members
MATCH (idoc:Document)-[:HAS_ITEM]->(duty:Item)
WHERE idoc.superseded_by IS NOT NULL AND (idoc.ref = $doc OR idoc.superseded_by = $doc OR $doc IS NULL)
OPTIONAL MATCH (m:Item)-[ml:IMPLEMENTS]->(duty)
WHERE ml.status <> 'rejected'
WITH idoc, duty, collect(m.ref) AS members
OPTIONAL MATCH (duty)-[l:RESOLVES_TO]->(real:Item)
WHERE l.status <> 'rejected'
RETURN idoc.ref AS inferred_doc, duty.seq AS duty_seq, coalesce(duty.title, left(duty.text, 40)) AS duty_title,
       idoc.superseded_by AS real_doc, real.seq AS real_seq, coalesce(real.title, left(real.text, 40)) AS real_title,
       l.score AS score, l.evidence AS evidence, members
