"""The project's Cypher, one question per file, and the runner that runs them by name.

The ``*.cypher`` files are package data; each opens with a header comment (purpose,
``$parameters``, row ``order``, list columns to ``sort``) read by :mod:`.runner`.  They are
written in the Cypher both LadybugDB and Neo4j 5 accept; see the Notes of
:mod:`policy_lineage.graph.ladybug_store` for the dialect differences they avoid.
"""

from policy_lineage.queries.runner import QueryFile, load_query, parse_header, query_names, read_query, run_cypher, run_query

__all__ = ["QueryFile", "load_query", "parse_header", "query_names", "read_query", "run_cypher", "run_query"]
