"""One error tree for the whole project.

Callers catch :class:`LineageError`; the CLI turns any of them into a single line on stderr and a
non-zero exit.  Leaves carry what a user needs to act: the file (and line) for input problems, the
store for database problems.
"""

from __future__ import annotations

__all__ = ["LineageError", "ParseError", "ReadError", "StoreError", "QueryError"]


class LineageError(Exception):
    """Base of every error policy-lineage raises on purpose."""


class ParseError(LineageError):
    """A document could not be read or understood.

    Parameters
    ----------
    file : str
        The file (or ``<text>`` for a string) the problem is in.
    reason : str
        One sentence saying what is wrong, in terms a user can act on.
    line : int, optional
        1-based line number, where one is known.

    Examples
    --------
    >>> str(ParseError("plan.pdf", "no text layer; it needs OCR first"))
    'plan.pdf: no text layer; it needs OCR first'
    >>> str(ParseError("a.txt", "table header without rows", line=12))
    'a.txt:12: table header without rows'
    """

    def __init__(self, file: str, reason: str, line: int | None = None):
        self.file = str(file)
        self.reason = reason
        self.line = line
        where = f"{self.file}:{line}" if line else self.file
        super().__init__(f"{where}: {reason}")


class ReadError(ParseError):
    """The bytes of a file could not be turned into text (format, encoding, no text layer)."""


class StoreError(LineageError):
    """The graph store refused or failed an operation; wraps the driver's error ``from e``."""


class QueryError(LineageError):
    """A Cypher query is malformed, unknown, or not allowed in the requested mode."""
