// citations: which documents cite which, by 文号.  A cited document that was not ingested is a
// stub (stub = true): its 文号, and its title where a citing text gives it (《…》（文号）); it
// becomes the real document when a document with that 文号 is built in.
// $doc: a document's 文号, title or id, citing or cited; null for every citation
// order: cited_doc, citing_doc
MATCH (c:Document)-[l:CITES]->(p:Document)
WHERE (c.ref = $doc OR c.title = $doc OR c.id = $doc
       OR p.ref = $doc OR p.title = $doc OR p.id = $doc OR $doc IS NULL)
RETURN l.link_id AS link_id, c.ref AS citing_doc, c.region AS citing_region, c.year AS citing_year,
       p.ref AS cited_doc, p.title AS cited_title, p.stub AS stub, p.region AS cited_region, p.year AS cited_year
