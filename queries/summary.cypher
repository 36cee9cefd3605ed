// summary: what the store holds: documents (ingested, inferred from peers, cited but not ingested), items,
// clauses, agencies, regions, and relationships by type (IMPLEMENTS split by review status).
// (OPTIONAL MATCH so that an empty table still counts 0 on LadybugDB)
OPTIONAL MATCH (d:Document) WHERE NOT d.stub AND NOT coalesce(d.inferred, false) RETURN 'documents' AS what, count(d) AS n
UNION ALL OPTIONAL MATCH (d:Document) WHERE d.inferred RETURN 'documents inferred from peers' AS what, count(d) AS n
UNION ALL OPTIONAL MATCH (d:Document) WHERE d.stub RETURN 'cited documents not ingested' AS what, count(d) AS n
UNION ALL OPTIONAL MATCH (i:Item) RETURN 'items' AS what, count(i) AS n
UNION ALL OPTIONAL MATCH (k:Clause) RETURN 'clauses' AS what, count(k) AS n
UNION ALL OPTIONAL MATCH (a:Agency) RETURN 'agencies' AS what, count(a) AS n
UNION ALL OPTIONAL MATCH (r:Region) RETURN 'regions' AS what, count(r) AS n
UNION ALL OPTIONAL MATCH (:Document)-[l:ANSWERS_TO]->(:Document) RETURN 'ANSWERS_TO' AS what, count(l) AS n
UNION ALL OPTIONAL MATCH (:Document)-[l:CITES]->(:Document) RETURN 'CITES' AS what, count(l) AS n
UNION ALL OPTIONAL MATCH (:Item)-[l:IMPLEMENTS]->(:Item) WHERE l.status <> 'rejected' RETURN 'IMPLEMENTS' AS what, count(l) AS n
UNION ALL OPTIONAL MATCH (:Item)-[l:IMPLEMENTS]->(:Item) WHERE l.status = 'rejected' RETURN 'IMPLEMENTS rejected' AS what, count(l) AS n
UNION ALL OPTIONAL MATCH (:Item)-[l:SIBLING_OF]->(:Item) RETURN 'SIBLING_OF' AS what, count(l) AS n
UNION ALL OPTIONAL MATCH (:Item)-[l:EVOLVES_FROM]->(:Item) RETURN 'EVOLVES_FROM' AS what, count(l) AS n
UNION ALL OPTIONAL MATCH (:Item)-[l:CANDIDATE]->(:Item) RETURN 'CANDIDATE' AS what, count(l) AS n
UNION ALL OPTIONAL MATCH (:Item)-[l:CARRIES]->(:Clause) RETURN 'CARRIES' AS what, count(l) AS n
UNION ALL OPTIONAL MATCH (:Item)-[l:GAP_ACCEPTED]->(:Region) RETURN 'GAP_ACCEPTED' AS what, count(l) AS n
