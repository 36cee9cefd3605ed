"""Text repair shared by every shape parser: spacing, page furniture, numerals, widths.

Government documents reach us as text extracted from PDFs, Word files and web pages.  Extraction
leaves three kinds of damage that every parser must undo the same way:

* line breaks and spaces inside Chinese text (``区域规 划``, ``2021 年底前``), because the PDF
  broke a line where the page ended, or a converter put a space at every old line end;
* page furniture: page numbers (``—01—``, ``- 17 -``, ``第 3 页``) and running heads;
* numerals written in Chinese (``（二十二）``).
"""

from __future__ import annotations

import re
import unicodedata

import cn2an

__all__ = [
    "CJK",
    "repair_spacing",
    "join_lines",
    "is_page_number",
    "display_width",
    "chinese_number",
    "squash",
    "PORTAL_FURNITURE",
]

#: Characters treated as "Chinese text" when deciding whether a space is an artefact:
#: CJK ideographs, CJK/full-width punctuation and the curly quotes used in Chinese text.
CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef\u2018-\u201d\u2014\u2026\u00b7"
_CJK_CHAR = re.compile(f"[{CJK}]")

_PAGE_NUMBER = re.compile(
    r"""^\s*(?:
        [—–\-－―]+\s*\d{1,3}\s*[—–\-－―]+      # —01—, - 17 -
      | 第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?   # 第 3 页 / 第3页 共10页
      | \d{1,3}\s*/\s*\d{1,3}                    # 3/10
      | \d{1,3}                                  # a bare number alone (only when asked)
    )\s*$""",
    re.X,
)
_DASHED_PAGE_NUMBER = re.compile(r"^\s*[—–\-－―]+\s*\d{1,3}\s*[—–\-－―]+\s*$|^\s*第\s*\d{1,3}\s*页")


#: Strings that only a portal page's furniture holds: visit counters and share bars (always with
#: a colon, so a task about 点击量 is not one), font-size switches, print/close links, the
#: previous/next links and the site's copyright line.
PORTAL_FURNITURE = re.compile(
    r"(?:访问量|浏览次数|阅读次数|点击数|点击量|访问次数|浏览量|阅读量|分享到|字体|(?<!文)字号|当前位置)\s*[:：]|"
    r"打印本页|关闭窗口|扫一扫|【打印】|【关闭】|\[打印\]|\[关闭\]|收藏本页|返回顶部|"
    r"^(?:上一篇|下一篇)\s*[:：]|版权所有\s*[:：]|ICP备\d|网站标识码"
)


def repair_spacing(text: str) -> str:
    """Remove whitespace that extraction put inside Chinese text; keep it between Latin words.

    A space or line break is kept only when the characters on both sides are ASCII letters or
    digits (``DB51/T 2658``, ``VR and H5``); everywhere else it is an artefact of a PDF line end
    or of a converter, and removing it restores the words.

    Examples
    --------
    >>> repair_spacing("区域规 划及配套政策文件")
    '区域规划及配套政策文件'
    >>> repair_spacing("川办发〔2021〕16 号")
    '川办发〔2021〕16号'
    >>> repair_spacing("按照《政府信息依申请公开工作规范》(DB51/T 2658-2019)")
    '按照《政府信息依申请公开工作规范》(DB51/T 2658-2019)'
    >>> repair_spacing("县级以上政府门户网站全\\n部支持互联网协议第六版( IPv6)。")
    '县级以上政府门户网站全部支持互联网协议第六版(IPv6)。'
    """
    text = text.replace("\u3000", " ").replace("\u00a0", " ")

    def keep_or_drop(m: re.Match) -> str:
        before = text[m.start() - 1] if m.start() > 0 else ""
        after = text[m.end()] if m.end() < len(text) else ""
        if before.isascii() and after.isascii() and before.isalnum() and after.isalnum():
            return " "
        return ""

    return re.sub(r"\s+", keep_or_drop, text).strip()


def join_lines(lines: list[str]) -> str:
    """Join the lines of one paragraph or cell, repairing the breaks between them."""
    return repair_spacing("\n".join(line.strip() for line in lines if line.strip()))


def squash(text: str) -> str:
    """Text with all whitespace and punctuation removed, for comparing two extractions.

    >>> squash("202 1 年底前 ， 建立制度 。") == squash("2021年底前，建立制度。")
    True
    """
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch)[0] != "P")


def is_page_number(line: str, *, bare: bool = False) -> bool:
    """Whether a line is page furniture: a page number such as ``—01—``, ``- 17 -``, ``第3页``.

    A bare number (``17``) is a page number only when ``bare`` is true: in tables a bare number
    is usually a row number, so only the caller knows.

    >>> is_page_number("—01—"), is_page_number(" - 17 - "), is_page_number("第 2 页 共 9 页")
    (True, True, True)
    >>> is_page_number("17"), is_page_number("17", bare=True), is_page_number("一、总体要求")
    (False, True, False)
    """
    if _DASHED_PAGE_NUMBER.match(line):
        return True
    if not bare:
        return bool(re.match(r"^\s*\d{1,3}\s*/\s*\d{1,3}\s*$", line))
    return bool(_PAGE_NUMBER.match(line))


def display_width(text: str) -> float:
    """Printed width in CJK character cells: ASCII counts half, everything else one.

    Flattened PDF tables keep each column's lines within a fixed width, so widths tell columns
    apart where words cannot.

    >>> display_width("市级有关部门（单位），天"), display_width("2023年底")
    (12.0, 4.0)
    """
    return sum(0.5 if ch.isascii() else 1.0 for ch in text.strip())


def chinese_number(text: str) -> int | None:
    """An integer from Chinese or Arabic numerals as printed in item labels.

    >>> chinese_number("二十二"), chinese_number("十"), chinese_number("17"), chinese_number("甲")
    (22, 10, 17, None)
    """
    text = text.strip()
    if text.isdigit():
        return int(text)
    try:
        value = cn2an.cn2an(text, "strict")
    except (ValueError, KeyError, TypeError):
        return None
    return int(value) if float(value).is_integer() and value > 0 else None


def has_cjk(text: str) -> bool:
    """Whether the text contains any Chinese character or punctuation."""
    return bool(_CJK_CHAR.search(text))
