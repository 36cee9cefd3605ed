"""policy-lineage: a knowledge graph of Chinese government policy tasks with cross-level lineage.

The installed package maps the repository's top-level folders into one namespace:
``policy_lineage.ingest`` is ``ingest/``, ``policy_lineage.graph`` is ``graph/`` and
``policy_lineage.queries`` is ``queries/``.
"""

from policy_lineage.errors import LineageError, ParseError, QueryError, ReadError, StoreError

__version__ = "0.1.0"
__all__ = ["LineageError", "ParseError", "QueryError", "ReadError", "StoreError", "__version__"]
