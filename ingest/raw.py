"""What shape parsers hand to the enricher: numbered lines in, raw items out.

Every shape parser (numbered prose, tab tables, flattened PDF tables, annex tables) works on the
same :class:`Line` list and returns :class:`RawItem` records whose unit and deadline fields are
still the printed text.  :mod:`policy_lineage.ingest.parser` then interprets those strings once,
in one place, whatever shape they came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Line", "RawItem", "to_lines"]


@dataclass(frozen=True)
class Line:
    """One line of the extracted text with its 1-based line number."""

    no: int
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()


@dataclass
class RawItem:
    """An item as printed, before units and deadlines are interpreted.

    ``number`` is the printed number (``None`` in tables that number only groups);
    ``units`` maps a role (``lead``, ``responsible`` or ``cell``: a units cell whose roles are
    still to be told) to the printed text; ``deadline`` is the printed deadline cell, if any.
    """

    number: int | None
    label: str
    text: str
    line: int
    section: list[str] = field(default_factory=list)
    title: str | None = None
    units: dict[str, str] = field(default_factory=dict)
    deadline: str | None = None
    extra: dict = field(default_factory=dict)


def to_lines(text: str) -> list[Line]:
    """Split text into numbered lines (1-based), keeping blank lines so numbers match the file.

    >>> [(l.no, l.text) for l in to_lines("a\\n\\nb")]
    [(1, 'a'), (2, ''), (3, 'b')]
    """
    return [Line(i, t) for i, t in enumerate(text.split("\n"), start=1)]
