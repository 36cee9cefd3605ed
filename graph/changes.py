"""What changed between two versions of one duty: deadline, quantitative targets, units.

A duty carried from one cycle to the next keeps its object (政务新媒体 监管) and changes its
terms: 季度抽查比例不低于25% becomes 全覆盖抽查, 解读形式不少于3种 becomes 多元化解读比例不低于90%,
2021年底前 becomes 2023年底, a unit joins or leaves.  A reader of an ``EVOLVES_FROM`` link wants
exactly that list, so it is computed here, from the two items alone (pure functions), and stored
on the link as JSON (:meth:`Changes.to_json`).

Targets (:func:`find_targets`) are a number with a unit or a percentage, with the comparator
printed before or after it (不低于, 不少于, 达到, 以上, 以内, …), or the qualitative full target
全覆盖.  Each keeps the few words before it as its *subject* (季度抽查比例), and targets of the
two versions are paired by the character pairs their subjects share (抽查, 解读), so a target
whose number changed reads as one change, not as one removal and one addition.  Dates are not
targets: the deadline is compared on its own, and 年/月/日 are not target units.

Units are compared by the job they do (:func:`policy_lineage.ingest.units.unit_kind`):
四川省政府办公厅 and 眉山市政府办公室 are the same job at two levels, not a change.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache

from policy_lineage.graph.model import Item

__all__ = ["Target", "TargetChange", "Changes", "find_targets", "compare_targets", "compare_items"]

_PRE_OP = r"(?:不得低于|不得少于|不低于|不少于|不超过|不得超过|不高于|达到|超过|高于|多于|提高到|提升至|控制在|低于|少于|至少|最少|至多|最多)"
_NUM = r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百]+)"
_UNIT = r"(?:%|％|个工作日|工作日|个月|小时|天|种|项|个|次|篇|条|件|家|期|场|批|倍|份)"
_POST = r"(?:以上|以内|之内|内)"
_TARGET = re.compile(rf"(?P<op>{_PRE_OP})?\s*(?P<num>{_NUM})\s*(?P<unit>{_UNIT})\s*(?P<post>{_POST})?")
_FULL = re.compile(r"全覆盖")
_BREAK = re.compile(r"[，,。；;：:！？!?（）()\s]")
_DATE_LEAD = re.compile(r"^.*\d+\s*[年月日](?:底|末)?(?:前|后|起)?")
_STRIP = re.compile(rf"^(?:要|应|并|且|确保|力争|实现|达|对|将|其)+|(?:{_PRE_OP}|达|为|在|要|应|率先)+$")
#: Character pairs too common in targets to say which target it is.
_GENERIC = frozenset({"比例", "比率", "数量", "不低", "低于", "不少", "少于", "达到", "实现", "确保", "以上"})
_LE = ("不超过", "不得超过", "不高于", "控制在", "低于", "少于", "至多", "最多")
_CN = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


@dataclass(frozen=True)
class Target:
    """One quantitative target: ``subject`` (the words before it), comparator, value, unit.

    ``op`` is ``>=``, ``<=``, ``>`` or ``=``; ``value`` is None for 全覆盖 (``unit`` ``全覆盖``).
    ``text`` is the target as printed (不低于25%).
    """

    subject: str
    op: str
    value: float | None
    unit: str
    text: str

    def reads(self) -> str:
        """The subject and the target as one phrase: 季度抽查比例不低于25%."""
        return self.text if self.unit == "全覆盖" else f"{self.subject}{self.text}"


@dataclass(frozen=True)
class TargetChange:
    """A target in the earlier version (``before``), the later one (``after``), or both."""

    before: str | None
    after: str | None


@dataclass
class Changes:
    """Everything that differs between an earlier and a later version of a duty."""

    deadline: TargetChange | None = None
    targets: list[TargetChange] = field(default_factory=list)
    units_added: list[str] = field(default_factory=list)
    units_removed: list[str] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (self.deadline or self.targets or self.units_added or self.units_removed)

    def to_json(self) -> str:
        """Compact JSON, Chinese kept readable; the form stored on an ``EVOLVES_FROM`` link."""
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str | None) -> "Changes":
        data = json.loads(text) if text else {}
        dl = data.get("deadline")
        return cls(
            deadline=TargetChange(**dl) if dl else None,
            targets=[TargetChange(**t) for t in data.get("targets", [])],
            units_added=list(data.get("units_added", [])),
            units_removed=list(data.get("units_removed", [])),
        )

    def summary(self) -> str:
        """One line for a table: 时限 a → b；指标 a → b；单位 +x −y.

        >>> Changes(TargetChange("2021年底前", "2023年底"), [TargetChange("不低于25%", None)], ["x"]).summary()
        '时限 2021年底前 → 2023年底；指标 不低于25% → （无）；单位 +x'
        """
        parts = []
        if self.deadline:
            parts.append(f"时限 {_show(self.deadline.before)} → {_show(self.deadline.after)}")
        for t in self.targets:
            parts.append(f"指标 {_show(t.before)} → {_show(t.after)}")
        units = [f"+{u}" for u in self.units_added] + [f"−{u}" for u in self.units_removed]
        if units:
            parts.append("单位 " + " ".join(units))
        return "；".join(parts)


def _show(value: str | None) -> str:
    return value if value else "（无）"


def _number(text: str) -> float:
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    try:
        import cn2an

        return float(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, ImportError):  # pragma: no cover - odd numerals
        return float(_CN.get(text, 0))


def _subject(before: str) -> str:
    """The words right before a target, back to the previous punctuation, at most 12 characters."""
    piece = _BREAK.split(before)[-1]
    piece = _DATE_LEAD.sub("", piece) or piece  # 2023年底前实现一级标准率 → 实现一级标准率
    return _STRIP.sub("", piece[-12:])


def find_targets(text: str) -> list[Target]:
    """Quantitative targets in a text, in order.

    >>> [t.reads() for t in find_targets("开展季度抽查和半年检查，政务新媒体季度抽查比例不低于 25% 。")]
    ['政务新媒体季度抽查比例不低于25%']
    >>> [(t.op, t.value, t.unit) for t in find_targets("解读形式不少于三种，3个工作日内报备")]
    [('>=', 3.0, '种'), ('<=', 3.0, '个工作日')]
    >>> [t.reads() for t in find_targets("政务新媒体开展月度、季度全覆盖抽查。2021年底前完成。")]
    ['政务新媒体开展月度、季度全覆盖抽查']
    """
    found: list[Target] = []
    for m in _TARGET.finditer(text):
        num, op, post = m["num"], m["op"], m["post"]
        if not op and not post and not re.fullmatch(r"\d+(?:\.\d+)?", num):
            continue  # 一批, 两个: a Chinese numeral counts only with a comparator
        if not op and not post and m["unit"] not in "%％":
            continue  # a bare count (3个平台) describes, it does not set a target
        if op in _LE or (post and post != "以上"):
            sign = "<="
        elif op in ("超过", "高于", "多于"):
            sign = ">"
        elif op or post:
            sign = ">="
        else:
            sign = "="
        unit = "%" if m["unit"] in "%％" else m["unit"]
        printed = re.sub(r"\s+", "", m.group(0))
        found.append(Target(_subject(text[: m.start()]), sign, _number(num), unit, printed))
    for m in _FULL.finditer(text):
        after = re.split(r"[和及与并、]", _BREAK.split(text[m.end() :])[0])[0][:6]  # 全覆盖抽查和半年检查 → 抽查
        subject = _subject(text[: m.start()])
        found.append(Target(subject + after, "=", None, "全覆盖", f"{subject}全覆盖{after}"))
    return found


@lru_cache(maxsize=4096)
def _pairs(text: str) -> frozenset[str]:
    bare = re.sub(r"[^\u4e00-\u9fffA-Za-z]", "", text)
    return frozenset(bare[i : i + 2] for i in range(len(bare) - 1)) - _GENERIC


def _same(a: Target, b: Target) -> bool:
    return (a.op, a.value, a.unit) == (b.op, b.value, b.unit)


def compare_targets(before: list[Target], after: list[Target]) -> list[TargetChange]:
    """Targets changed, dropped and added, pairing the two lists by shared subject words.

    >>> old = find_targets("政务新媒体季度抽查比例不低于25%。解读形式不少于3种。")
    >>> new = find_targets("多元化解读比例不得低于90%。政务新媒体开展季度全覆盖抽查。")
    >>> [(c.before, c.after) for c in compare_targets(old, new)]
    [('政务新媒体季度抽查比例不低于25%', '政务新媒体开展季度全覆盖抽查'), ('解读形式不少于3种', '多元化解读比例不得低于90%')]
    """
    scored = []
    for i, a in enumerate(before):
        for j, b in enumerate(after):
            shared = len(_pairs(a.subject) & _pairs(b.subject))
            if shared:
                scored.append((-shared, i, j))
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs: dict[int, int] = {}
    for _, i, j in sorted(scored):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs[i] = j
    out: list[TargetChange] = []
    for i, a in enumerate(before):
        if i in pairs:
            b = after[pairs[i]]
            if not _same(a, b):
                out.append(TargetChange(a.reads(), b.reads()))
        else:
            out.append(TargetChange(a.reads(), None))
    out.extend(TargetChange(None, b.reads()) for j, b in enumerate(after) if j not in used_b)
    return out


def _deadline_text(item: Item) -> str | None:
    d = item.deadline
    if d is None or not (d.text or d.date):
        return None
    if d.date and d.date not in (d.text or ""):
        return f"{d.text}（{d.date}）" if d.text else d.date
    return d.text


def _deadline_change(before: Item, after: Item) -> TargetChange | None:
    a, b = before.deadline, after.deadline
    key_a = (a.date, a.kind, a.text) if a else None
    key_b = (b.date, b.kind, b.text) if b else None
    if key_a == key_b or (a and b and a.date == b.date and a.kind == b.kind and a.date):
        return None
    return TargetChange(_deadline_text(before), _deadline_text(after))


def _unit_changes(before: Item, after: Item) -> tuple[list[str], list[str]]:
    from policy_lineage.ingest.units import unit_kind

    # collective units (各市(州)人民政府, 市级有关部门) name "everyone below", not an office doing
    # the job, and differ by level by construction: they are left out of the comparison
    a = [u.name for u in (*before.lead_units, *before.units) if not u.collective]
    b = [u.name for u in (*after.lead_units, *after.units) if not u.collective]
    ka, kb = {unit_kind(n) for n in a}, {unit_kind(n) for n in b}
    added = list(dict.fromkeys(n for n in b if unit_kind(n) not in ka))
    removed = list(dict.fromkeys(n for n in a if unit_kind(n) not in kb))
    return added, removed


def compare_items(before: Item, after: Item) -> Changes:
    """What changed from ``before`` (the earlier cycle's item) to ``after`` (the later one).

    >>> from policy_lineage.graph.model import Deadline, Unit
    >>> old = Item(19, "政务新媒体季度抽查比例不低于25%。", deadline=Deadline("2021年底前", "2021-12-31", "date"),
    ...            units=[Unit("四川省政府办公厅", "省政府办公厅"), Unit("四川省大数据中心", "省大数据中心")])
    >>> new = Item(5, "政务新媒体开展季度全覆盖抽查。", deadline=Deadline("长期坚持", None, "ongoing"),
    ...            units=[Unit("眉山市政府办公室", "市政府办公室"), Unit("眉山市网信办", "市网信办")])
    >>> print(compare_items(old, new).summary())
    时限 2021年底前（2021-12-31） → 长期坚持；指标 政务新媒体季度抽查比例不低于25% → 政务新媒体开展季度全覆盖抽查；单位 +眉山市网信办 −四川省大数据中心
    """
    added, removed = _unit_changes(before, after)
    return Changes(
        deadline=_deadline_change(before, after),
        targets=compare_targets(find_targets(before.text or ""), find_targets(after.text or "")),
        units_added=added,
        units_removed=removed,
    )
