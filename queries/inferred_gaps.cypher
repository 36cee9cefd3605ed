// inferred_gaps: duties inferred from peer documents (their common parent is not in the corpus,
// graph/inferred.py) that a peer lacks: for every peer P answering to an inferred document and
// every inferred duty no item of P implements, the duty's shared core, how many peers carry it
// (support) and which of their items (members).  "What 眉山 2023 carries and 万源 2023 lacks" is
// $doc = 万源's document, $carrier = 眉山's.  Rejected links do not count.
// $doc: the lacking peer's ref (文号, else title) or region name; null for all
// $carrier: keep duties a peer with this ref or region name carries; null for all
// order: inferred_doc, duty_seq, lacking_region, lacking_doc
// sort: carried_by, members
MATCH (peer:Document)-[:ANSWERS_TO]->(pdoc:Document)-[:HAS_ITEM]->(duty:Item)
WHERE duty.inferred = true AND (peer.ref = $doc OR peer.region = $doc OR $doc IS NULL)
  AND NOT EXISTS { MATCH (x:Item)-[l:IMPLEMENTS]->(duty) WHERE x.doc_id = peer.id AND l.status <> 'rejected' }
MATCH (m:Item)-[l:IMPLEMENTS]->(duty)
WHERE l.status <> 'rejected'
WITH peer, pdoc, duty, collect(DISTINCT m.doc_ref) AS carried_by, collect(DISTINCT m.region) AS carrier_regions,
     collect(m.ref) AS members, $carrier AS carrier
WHERE any(c IN carried_by WHERE c = carrier) OR any(c IN carrier_regions WHERE c = carrier) OR carrier IS NULL
RETURN pdoc.region AS parent_region, pdoc.year AS parent_year, pdoc.ref AS inferred_doc, duty.seq AS duty_seq,
       coalesce(duty.title, left(duty.text, 40)) AS duty_title, duty.text AS core,
       peer.region AS lacking_region, peer.ref AS lacking_doc, size(carried_by) AS support, carried_by, members
