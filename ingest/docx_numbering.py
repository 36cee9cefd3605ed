"""Word's automatic list numbering, written back into the paragraph text.

A plan typed in Word often numbers its sections and duties with the list feature (一、 （一） 1.)
instead of typing the numbers.  python-docx returns a paragraph's text without them, and the prose
parser finds duties by their numbers, so the reader renders each numbered paragraph's label from
the document's numbering definitions (``word/numbering.xml``): the level's format (decimal,
Chinese counting …), its label template (``%1、``, ``（%2）``) and a counter per list and level that
restarts the levels below when a level above advances.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Numbering"]

_CN_DIGITS = "〇一二三四五六七八九"
_CHINESE_FORMATS = {
    "chineseCounting",
    "chineseCountingThousand",
    "chineseLegalSimplified",
    "ideographDigital",
    "japaneseCounting",
    "taiwaneseCounting",
    "taiwaneseCountingThousand",
}


def chinese_count(n: int) -> str:
    """A counter in Chinese numerals as labels print it.

    >>> [chinese_count(n) for n in (1, 10, 12, 20, 22)]
    ['一', '十', '十二', '二十', '二十二']
    """
    if n < 10:
        return _CN_DIGITS[n]
    tens, units = divmod(n, 10)
    if n < 100:
        return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[units] if units else "")
    return str(n)


def format_counter(n: int, fmt: str) -> str:
    """A counter in a level's number format.

    >>> format_counter(3, "decimal"), format_counter(3, "chineseCounting"), format_counter(2, "lowerLetter")
    ('3', '三', 'b')
    """
    if fmt in _CHINESE_FORMATS:
        return chinese_count(n)
    if fmt == "ideographTraditional":
        return "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10]
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26)
        return letter if fmt == "lowerLetter" else letter.upper()
    if fmt == "decimalEnclosedCircleChinese" or fmt == "decimalEnclosedCircle":
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)
    if fmt == "none":
        return ""
    return str(n)


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."


@dataclass
class Numbering:
    """Numbering definitions of one Word document and the running counters of its lists."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # numId → ilvl → level
    abstract_of: dict[str, str] = field(default_factory=dict)  # numId → abstractNumId
    counters: dict[str, dict[int, int]] = field(default_factory=dict)  # abstractNumId → ilvl → n

    @classmethod
    def of(cls, document) -> "Numbering":
        """Read the numbering part of a python-docx ``Document`` (empty when it has none)."""
        from docx.oxml.ns import qn

        self = cls()
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return self
        abstract: dict[str, dict[int, _Level]] = {}
        for an in root.findall(qn("w:abstractNum")):
            levels = {}
            for lvl in an.findall(qn("w:lvl")):
                levels[int(lvl.get(qn("w:ilvl"), "0"))] = _Level(
                    start=int(_val(lvl, "w:start") or 1),
                    fmt=_val(lvl, "w:numFmt") or "decimal",
                    text=_val(lvl, "w:lvlText") or "",
                )
            abstract[an.get(qn("w:abstractNumId"))] = levels
        for num in root.findall(qn("w:num")):
            aid = _val(num, "w:abstractNumId")
            if aid in abstract:
                self.levels[num.get(qn("w:numId"))] = abstract[aid]
                self.abstract_of[num.get(qn("w:numId"))] = aid
        return self

    def label(self, paragraph) -> str:
        """The label Word prints before ``paragraph`` (advancing its list), or ``""``."""
        num_id, ilvl = _num_pr(paragraph)
        levels = self.levels.get(num_id or "")
        if not levels or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(self.abstract_of[num_id], {})
        counters[ilvl] = counters.get(ilvl, levels[ilvl].start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        text = levels[ilvl].text
        for k, level in levels.items():
            if f"%{k + 1}" in text:
                n = counters.get(k, level.start)
                text = text.replace(f"%{k + 1}", format_counter(n, level.fmt))
        return text


def _val(el, tag: str) -> str | None:
    from docx.oxml.ns import qn

    child = el.find(qn(tag))
    return None if child is None else child.get(qn("w:val"))


def _num_pr(paragraph) -> tuple[str | None, int]:
    """The list (numId) and level of a paragraph: its own numPr, else its style's (inherited)."""
    from docx.oxml.ns import qn

    pPr = paragraph._p.pPr
    num_pr = None if pPr is None else pPr.find(qn("w:numPr"))
    style = paragraph.style
    while num_pr is None and style is not None:
        spPr = style.element.find(qn("w:pPr"))
        num_pr = None if spPr is None else spPr.find(qn("w:numPr"))
        style = style.base_style
    if num_pr is None:
        return None, 0
    num_id = _val(num_pr, "w:numId")
    ilvl = _val(num_pr, "w:ilvl")
    return (None if num_id in (None, "0") else num_id), int(ilvl or 0)
