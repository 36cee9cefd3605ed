"""Obligation clauses: a higher-level duty cut into the sentences a local plan can carry or drop.

A provincial duty is several obligations in one paragraph: (十八) 加强建设维护 asks for platform
interconnection, media–website integration, content review, periodic checks *and* IPv6 on every
county website by the end of 2021.  A local item that repeats four of the five is a *partial*
answer; coverage needs the clauses to say which one is missing.

Splitting rules (:func:`split_clauses`):

* sentences end at 。；;！？!? (outside brackets and book-title marks; a bracket nothing closes
  does not count);
* inline enumerations 一是…二是…, （1）…（2）…, ①…② start new clauses;
* the item's own heading (the first sentence when it repeats ``Item.title``) is not an
  obligation and is dropped;
* fragments with fewer than :data:`MIN_CLAUSE_CHARS` Chinese characters or letters are merged
  into the previous clause (开展政务开放日活动 stays, a stray 等 does not).
"""

from __future__ import annotations

import re
from functools import lru_cache

from policy_lineage.graph.model import Clause, Item

__all__ = ["MIN_CLAUSE_CHARS", "split_clauses", "item_clauses", "item_text"]

#: Shorter fragments are not obligations of their own (measured: the shortest real clause in the
#: seeds, 开展政务开放日活动, has 9).
MIN_CLAUSE_CHARS = 6

_ENDS = "。；;！？!?"
_OPEN = "（(《「【“\"〔["
_CLOSE = "）)》」】”\"〕]"
_ENUM = re.compile(r"(?:[二三四五六七八九十]是|[（(][2-9一二三四五六七八九十][)）]|[②③④⑤⑥⑦⑧⑨⑩])")
_CONTENT = re.compile(r"[\u4e00-\u9fffA-Za-z]")


def _content_len(text: str) -> int:
    return len(_CONTENT.findall(text))


def _unclosed(text: str) -> set[int]:
    """Positions of opening brackets that no bracket closes later in the text.

    A heading cut short by the parser (市政府办公室将适时对各乡镇（街) or a typo leaves a bracket
    open; counted as open, it would hide every sentence end after it and turn the rest of the
    item into one clause.
    """
    stack: list[int] = []
    for i, ch in enumerate(text):
        if ch in _OPEN and not (ch == '"' and stack):
            stack.append(i)
        elif ch in _CLOSE and stack:
            stack.pop()
    return set(stack)


def _sentences(text: str) -> list[str]:
    """Cut at sentence ends and before inline enumerations, outside brackets (closed ones)."""
    out, buf, depth = [], [], 0
    unclosed = _unclosed(text)
    i = 0
    while i < len(text):
        ch = text[i]
        if i in unclosed:
            pass
        elif ch in _OPEN and not (ch == '"' and depth):
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
        if depth == 0 and buf and _ENUM.match(text, i) and (i == 0 or text[i - 1] in "，,、：:；;。 "):
            out.append("".join(buf))
            buf = []
        buf.append(ch)
        if ch in _ENDS and depth == 0:
            out.append("".join(buf))
            buf = []
        i += 1
    if buf:
        out.append("".join(buf))
    return [s.strip() for s in out if s.strip()]


def _bare(text: str) -> str:
    return re.sub(r"[\s。；;，,：:！？!?]", "", text)


def split_clauses(text: str, title: str | None = None) -> list[str]:
    """The obligation clauses of an item's text, in order.

    Parameters
    ----------
    text : str
        The item's body.
    title : str, optional
        The item's heading; a first sentence that only repeats it is dropped.

    Examples
    --------
    >>> split_clauses("加强建设维护。推动省市集约化平台互联互通和协同联动。2021年底前,县级以上政府门户网站全部支持互联网协议第六版(IPv6)。", "加强建设维护")
    ['推动省市集约化平台互联互通和协同联动。', '2021年底前,县级以上政府门户网站全部支持互联网协议第六版(IPv6)。']
    >>> split_clauses("一是公开预算信息，二是公开决算信息；等。")
    ['一是公开预算信息，', '二是公开决算信息；等。']
    """
    return list(_split_clauses(text or "", title))


@lru_cache(maxsize=1 << 17)
def _split_clauses(text: str, title: str | None) -> tuple[str, ...]:
    parts = _sentences(text or "")
    if parts and title and _bare(parts[0]) == _bare(title):
        parts = parts[1:]
    clauses: list[str] = []
    for p in parts:
        if clauses and _content_len(p) < MIN_CLAUSE_CHARS:
            clauses[-1] += p
        else:
            clauses.append(p)
    if clauses and _content_len(clauses[0]) < MIN_CLAUSE_CHARS and len(clauses) > 1:
        clauses[1] = clauses[0] + clauses[1]
        clauses = clauses[1:]
    kept = [c for c in clauses if _content_len(c) >= MIN_CLAUSE_CHARS]
    return tuple(kept or ([text.strip()] if _content_len(text) else []))


def item_clauses(item_id: str, item: Item) -> list[Clause]:
    """:class:`Clause` records of one item (``idx`` from 0), ids derived from the item's id.

    >>> [c.clause_id for c in item_clauses("doc:X#1", Item(1, "公开预算。公开决算信息。"))]
    ['doc:X#1/c0']
    """
    return [Clause(item_id, k, t) for k, t in enumerate(split_clauses(item.text, item.title))]


def item_text(item: Item) -> str:
    """The text to compare: the body, preceded by the heading when the body does not start with it.

    Table rows carry their task name (任务名称) apart from the content; prose items repeat the
    heading as their first sentence.

    >>> item_text(Item(1, "及时公布清理结果。", title="做好专栏内容保障工作"))
    '做好专栏内容保障工作。及时公布清理结果。'
    >>> item_text(Item(1, "推进财政信息公开。不断扩大预决算公开范围。", title="推进财政信息公开"))
    '推进财政信息公开。不断扩大预决算公开范围。'
    """
    return _item_text(item.text or "", item.title)


@lru_cache(maxsize=1 << 17)  # linking asks for the same items' texts once per view and document pair
def _item_text(text: str, title: str | None) -> str:
    if title and not _bare(text).startswith(_bare(title)):
        return f"{title}。{text}"
    return text
