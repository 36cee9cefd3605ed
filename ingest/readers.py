"""Turn a file into text: txt, md, html, docx and pdf, in any common Chinese encoding.

The parser (:mod:`policy_lineage.ingest.parser`) works on one string per document.  This module
is the only place that knows about file formats, and it hands over text in the shapes the parser
reads:

* prose as one paragraph per line;
* tables as **one row per line, each cell led by a tab** (``"\\t序号\\t重点任务\\t责任单位"``), a
  cell's own line breaks joined, a cell continued from a merged cell above or to the left printed
  empty (the parser lets an empty cell inherit the value above, which is what the merged cell
  showed), and a row that is one cell across the whole table (a group heading such as
  ``一、深化行政决策公开``) printed as that single cell;
* container metadata (an HTML page's 信息公开 block, a Word file's title property) in
  :attr:`SourceText.metadata`, never in the text.

What a file *is* is told from its bytes, not its name: government sites serve Word files named
``.doc`` that are really ``.docx``, and a download saved under the wrong suffix is common.  A
file that is no document at all (an image, an archive, a legacy ``.doc``) gets a
:class:`~policy_lineage.errors.ReadError` saying what it looks like.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from policy_lineage.errors import ReadError
from policy_lineage.ingest.text import CJK, PORTAL_FURNITURE, join_lines

__all__ = ["SourceText", "read_document", "decode_bytes", "table_lines", "MAX_BYTES"]

#: Larger files are refused before reading: no policy document is this big, a mistaken path is.
MAX_BYTES = 50 * 1024 * 1024
_CJK_CHAR = re.compile(f"[{CJK}]")


@dataclass(frozen=True)
class SourceText:
    """What a reader extracted from one file.

    Attributes
    ----------
    text : str
        The document's text with ``\\n`` line ends; tables as tab-led row lines.
    sha256 : str
        Hex SHA-256 of the file's raw bytes, so a changed file is noticed even if its text is not.
    format : str
        ``txt``, ``md``, ``html``, ``docx`` or ``pdf`` — what the bytes are, whatever the suffix.
    metadata : dict
        Facts the container states outside the text, under the portal's Chinese labels
        (``文号``, ``发布机构``, ``成文日期``, ``标题``, ``索引号`` …); may be empty.
    """

    text: str
    sha256: str
    format: str
    metadata: dict[str, str] = field(default_factory=dict, hash=False)


def read_document(path: str | Path) -> SourceText:
    """Read one document file and return its text, hash, format and container metadata.

    Parameters
    ----------
    path : str or Path
        The file; its suffix is only a hint, the bytes decide the format.

    Returns
    -------
    SourceText

    Raises
    ------
    ReadError
        The file is missing, empty, larger than :data:`MAX_BYTES`, not a document (the message
        says what it looks like), undecodable text, a damaged Word/PDF file, or a PDF without a
        text layer.

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = os.path.join(d, "a.txt")
    ...     _ = open(p, "wb").write("（一）公开目录。\\r\\n".encode("gb18030"))
    ...     src = read_document(p)
    >>> src.text, src.format
    ('（一）公开目录。\\n', 'txt')
    """
    name = str(path)
    data = _read_bytes(Path(path), name)
    fmt = _sniff(data, Path(path).suffix.lower(), name)
    if fmt == "pdf":
        text, metadata = _read_pdf(data, name), {}
    elif fmt == "docx":
        text, metadata = _read_docx(data, name)
    else:
        text = decode_bytes(data, name)
        if fmt == "html" or (fmt == "txt" and _looks_like_html(text)):
            fmt = "html"
            text, metadata = _read_html(text)
        else:
            metadata = {}
    return SourceText(_normalise_newlines(text), hashlib.sha256(data).hexdigest(), fmt, metadata)


# --------------------------------------------------------------------------- bytes and sniffing


def _read_bytes(path: Path, name: str) -> bytes:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ReadError(name, "no such file") from None
    except OSError as e:
        raise ReadError(name, f"cannot open file: {e.strerror}") from e
    if path.is_dir():
        raise ReadError(name, "is a directory, not a file")
    if size > MAX_BYTES:
        raise ReadError(name, "file is larger than 50 MB")
    if size == 0:
        raise ReadError(name, "empty file")
    try:
        return path.read_bytes()
    except OSError as e:
        raise ReadError(name, f"cannot read file: {e.strerror}") from e


#: File signatures of things that are not documents we read, and what to call them.
_MAGIC: list[tuple[bytes, str]] = [
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x7fELF", "an ELF executable"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Office 97-2003 file (.doc/.xls/.wps); save it as .docx"),
    (b"{\\rtf", "an RTF file; save it as .docx"),
]
_TEXT_SUFFIXES = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".shtml": "html"}


def _sniff(data: bytes, suffix: str, name: str) -> str:
    """The format the bytes hold; raise for bytes that are no document we read."""
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        what = _zip_kind(data)
        if what is None:
            return "docx"
        raise ReadError(name, f"looks like {what}, not a Word .docx document")
    what = _magic(data)
    if what is not None:
        raise ReadError(name, f"looks like {what}, not a text, HTML, Word or PDF document")
    if suffix in (".docx", ".pdf"):
        kind = "binary data" if _looks_binary(data) else "plain text"
        expected = "is not a ZIP container" if suffix == ".docx" else "has no %PDF header"
        raise ReadError(name, f"is named {suffix} but {expected}: it looks like {kind}")
    return _TEXT_SUFFIXES.get(suffix, "txt")


def _magic(data: bytes) -> str | None:
    return next((what for sig, what in _MAGIC if data.startswith(sig)), None)


def _zip_kind(data: bytes) -> str | None:
    """``None`` for a Word .docx; otherwise what kind of ZIP file this is."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
    except zipfile.BadZipFile:
        return "a damaged ZIP archive"
    if "word/document.xml" in names:
        return None
    if "xl/workbook.xml" in names:
        return "an Excel workbook (.xlsx)"
    if "ppt/presentation.xml" in names:
        return "a PowerPoint presentation (.pptx)"
    if "OFD.xml" in names:
        return "an OFD document (export it as PDF)"
    if "content.xml" in names and "mimetype" in names:
        return "an OpenDocument file (save it as .docx)"
    return "a ZIP archive"


#: Bytes that plain text may hold below 0x20: tab, newline, form feed, carriage return, escape.
_TEXT_CONTROLS = bytes([9, 10, 12, 13, 27])
_CONTROLS = bytes(range(32))


def _looks_binary(data: bytes) -> bool:
    """NUL anywhere, or more than 1% other control bytes in the first 64 KB.

    Neither UTF-8 nor GB18030 uses bytes below 0x20 inside a multibyte character, so control
    bytes mean the file is not text in either.
    """
    if b"\x00" in data:
        return True
    sample = data[:65536]
    controls = len(sample) - len(sample.translate(None, _CONTROLS)) - sum(sample.count(c) for c in _TEXT_CONTROLS)
    return controls > 0.01 * len(sample)


# --------------------------------------------------------------------------- text decoding

_BOMS = [(b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")]
#: A guessed encoding is trusted only when at most this share of characters come out as U+FFFD.
MAX_REPLACEMENT_SHARE = 0.001


def decode_bytes(data: bytes, source: str) -> str:
    """Decode the bytes of a text document: UTF-8 (with or without BOM), GB18030/GBK/GB2312.

    The order matters.  A BOM is authoritative.  Strict UTF-8 almost never succeeds on GBK
    bytes, so it goes first; GB18030 (a superset of GBK and GB2312, in which Chinese government
    files are still published) second; only then charset-normalizer's best guess, accepted when
    it decodes with almost no replacement characters.

    Parameters
    ----------
    data : bytes
        The raw file content.
    source : str
        File name for error messages.

    Raises
    ------
    ReadError
        ``binary file, not a text document`` for NUL or control bytes; ``cannot decode text``
        when no encoding fits.

    Examples
    --------
    >>> decode_bytes("政务公开".encode("gbk"), "a.txt")
    '政务公开'
    >>> decode_bytes(b"\\xef\\xbb\\xbf" + "政务公开".encode(), "a.txt")
    '政务公开'
    >>> decode_bytes(b"\\x80\\xff" * 40, "a.txt")
    Traceback (most recent call last):
    ...
    policy_lineage.errors.ReadError: a.txt: cannot decode text: not UTF-8 or GB18030
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding).lstrip("\ufeff")
            except UnicodeDecodeError:
                break  # a BOM followed by something else: let the checks below judge the bytes
    if _looks_binary(data):
        raise ReadError(source, "binary file, not a text document")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding).lstrip("\ufeff")
        except UnicodeDecodeError:
            continue
    guess = _charset_guess(data)
    if guess is None:
        raise ReadError(source, "cannot decode text: not UTF-8 or GB18030")
    return guess


def _charset_guess(data: bytes) -> str | None:
    """charset-normalizer's best guess, if it reads as Chinese/CJK text without damage.

    Single-byte code pages decode any bytes into *some* letters (``\\x80\\xff`` becomes
    Cyrillic in cp1125), so a guess is trusted only when most of its non-ASCII characters are
    CJK and hardly any came out as U+FFFD.
    """
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return None
    text = str(best)
    non_ascii = [ch for ch in text if not ch.isascii()]
    if text.count("\ufffd") > MAX_REPLACEMENT_SHARE * max(1, len(text)):
        return None
    if non_ascii and sum(1 for ch in non_ascii if _CJK_CHAR.match(ch)) < 0.5 * len(non_ascii):
        return None
    return text


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --------------------------------------------------------------------------- tables


def table_lines(rows: list[list[str]]) -> list[str]:
    """Table rows as the parser's tab-cell lines: each cell led by a tab, one row per line.

    Rows whose cells are all empty (spacer rows, a row wholly continued from merged cells above)
    carry nothing and are dropped; tabs and line breaks inside a cell would break the shape, so
    a cell is joined into one line first.

    Examples
    --------
    >>> table_lines([["序号", "重点任务"], ["1", "公开目录\\n清单"], ["", ""], ["二、平台"]])
    ['\\t序号\\t重点任务', '\\t1\\t公开目录清单', '\\t二、平台']
    """
    out = []
    for row in rows:
        cells = [join_lines(cell.split("\n")) for cell in row]
        if any(cells):
            out.append("".join("\t" + cell for cell in cells))
    return out


def _prose_line(text: str) -> str:
    """A paragraph as one line that cannot be mistaken for a table row (no leading tab)."""
    return text.replace("\t", " ").strip(" \u3000\xa0")


# --------------------------------------------------------------------------- txt / md / html

_HTML_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S)


def _looks_like_html(text: str) -> bool:
    """Whether text saved under another suffix is an HTML page.

    >>> _looks_like_html("<!DOCTYPE html><html><body>x</body></html>"), _looks_like_html("<b>x</b>")
    (True, False)
    """
    return bool(_HTML_START.match(text[:2048]))


def _read_html(text: str) -> tuple[str, dict[str, str]]:
    """Text and 信息公开 metadata of a page saved from a government portal."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "lxml")
    for tag in soup.find_all(_ALWAYS_DROPPED):
        tag.decompose()
    metadata = _take_portal_block(soup)
    _drop_chrome(soup)
    body = soup.body or soup
    content = _main_content(body)
    lines = _html_lines(content)
    title = body.find("h1")
    if content is not body and title is not None and content.find("h1") is None:
        lines.insert(0, _inline_text(title))
    return "\n".join(lines) + "\n", metadata


_ALWAYS_DROPPED = [
    "script", "style", "noscript", "nav", "iframe", "button", "select",
    "input", "textarea", "template", "svg", "object", "embed", "link", "meta", "head",
]
#: class/id words of portal furniture (当前位置 breadcrumbs are often ``position``/``dqwz``).
_CHROME_NAME = re.compile(
    r"nav|menu|footer|header|breadcrumb|crumb|share|toolbar|sidebar|topbar|banner|search|login|"
    r"copyright|position|location|dqwz|fontsize|font-size|related|xgwz|qrcode|ewm|print|bottom",
    re.I,
)
#: Furniture is short; an element named like it but holding this much Chinese text is content.
MAX_CHROME_CJK = 200


def _cjk_count(el) -> int:
    return len(_CJK_CHAR.findall(el.get_text()))


def _names(el) -> str:
    return " ".join([*(el.get("class") or []), el.get("id") or ""])


def _in_data_table(el) -> bool:
    """Removing anything inside a data table would shift its columns, so furniture never is."""
    tables = ([el] if el.name == "table" else []) + el.find_parents("table")
    return any(not _is_layout_table(t) for t in tables)


def _drop_chrome(soup) -> None:
    """Remove navigation, headers, share bars and counters, but never the title or a table.

    Elements are judged by their class/id words and kept anyway when they hold an ``h1``, a
    table, or more Chinese text than furniture ever does, because portals also wrap the
    article in ``<div class="article-header">`` or ``<div id="printContent">``.  Nothing inside
    a data table is removed (a cell named ``tableheader`` is still a cell), and ``<form>`` is
    kept because ASP.NET portals wrap the whole page in one.
    """
    for el in soup.find_all(["header", "footer"]):  # an article's own header/footer is content
        if el.find_parent(["article", "main"]) is None and el.find("h1") is None:
            el.decompose()
    for el in soup.find_all(lambda t: _CHROME_NAME.search(_names(t)) is not None):
        if el.decomposed or _in_data_table(el):
            continue
        if el.find(["h1", "table"]) is None and _cjk_count(el) <= MAX_CHROME_CJK:
            el.decompose()
    for s in soup.find_all(string=PORTAL_FURNITURE):
        el = getattr(s, "parent", None)  # a string inside an element removed above has none
        if el is not None and not el.decomposed:
            el = _furniture_around(el)
            if el is not None:
                el.decompose()


#: A counter or font-size switch sits in a short line; a longer element mentioning 点击数 is text.
MAX_FURNITURE_CHARS = 80
_PAGE_LEVEL = ("body", "html", "[document]")


def _furniture_around(el):
    """The largest short element around a furniture string (the whole 发布时间/浏览次数 line)."""
    def short(e) -> bool:  # and no sentence: furniture never ends one with 。
        text = e.get_text(strip=True)
        return len(text) <= MAX_FURNITURE_CHARS and "。" not in text

    if el.name in _PAGE_LEVEL or not short(el) or _in_data_table(el):
        return None
    while el.parent is not None and el.parent.name not in _PAGE_LEVEL and short(el.parent):
        el = el.parent
    return None if el.find(["h1", "table"]) is not None else el


_CONTENT_NAME = re.compile(r"content|article|detail|zoom|main|trs_editor|editor|zhengwen|\bzw|wzy|text", re.I)
#: The named container is used when it holds at least this share of the page's Chinese text.
MIN_CONTENT_SHARE = 0.5


def _main_content(body):
    """The article container: the element named like one with the most Chinese text.

    Portals name it differently (``div#zoom``, ``.TRS_Editor``, ``.article-content``,
    ``<article>``), so the name only proposes candidates and the amount of text decides.  When
    no candidate holds most of the page's text the whole body is used: losing content is worse
    than keeping a stray link.
    """
    candidates = body.find_all(
        lambda t: t.name in ("article", "main") or (t.name in ("div", "section", "td") and _CONTENT_NAME.search(_names(t)) is not None)
    )
    total = _cjk_count(body)
    best = max(candidates, key=_cjk_count, default=None)
    if best is None or total == 0 or _cjk_count(best) < MIN_CONTENT_SHARE * total:
        return body
    return best


_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "aside", "h1", "h2", "h3", "h4", "h5", "h6", "li",
    "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "center", "address", "figure",
    "figcaption", "tr", "td", "th", "table", "tbody", "thead", "tfoot", "hr", "caption", "header",
}
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


def _collapse(text: str) -> str:
    """HTML white-space collapsing, with CSS Text 3's rule for line breaks between CJK.

    A source line break between two Chinese characters disappears (it is the editor's wrap, not
    a space); any other run of spaces becomes one space.

    >>> _collapse("区域规\\n  划 and\\nIPv6")
    '区域规划 and IPv6'
    """

    def repl(m: re.Match) -> str:
        s, i, j = m.string, m.start(), m.end()
        if "\n" in m.group() and 0 < i and j < len(s) and _CJK_CHAR.match(s[i - 1]) and _CJK_CHAR.match(s[j]):
            return ""
        return " "

    return _HTML_SPACE.sub(repl, text).replace("\xa0", " ")


def _html_lines(root) -> list[str]:
    """Lines of an element: one per block (paragraph, div, list item, ``<br>``), tables as rows."""
    from bs4 import NavigableString
    from bs4.element import CData, Comment, Declaration, Doctype, ProcessingInstruction

    skipped = (Comment, Declaration, Doctype, ProcessingInstruction)
    lines: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        line = _prose_line(_collapse("".join(buf)))
        buf.clear()
        if line:
            lines.append(line)

    def walk(el) -> None:
        for child in el.children:
            if isinstance(child, NavigableString):
                if isinstance(child, CData) or not isinstance(child, skipped):
                    buf.append(str(child))
            elif child.name == "br":
                flush()
            elif child.name == "table" and not _is_layout_table(child):
                flush()
                lines.extend(table_lines(_html_table_rows(child)))
                lines.append("")
            elif child.name in _BLOCK_TAGS:
                flush()
                walk(child)
                flush()
            else:
                walk(child)

    walk(root)
    flush()
    return _squeeze_blank(lines)


def _squeeze_blank(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return out


def _inline_text(el) -> str:
    return " ".join(_html_lines(el))


def _is_layout_table(table) -> bool:
    """A table used for page layout (older portals), read as blocks rather than as rows.

    A table holding another table lays out the page; a data table never does.
    """
    return table.find("table") is not None or table.get("role") == "presentation"


def _span(cell, attr: str) -> int:
    try:
        return min(max(int(cell.get(attr, 1)), 1), 1000)
    except (TypeError, ValueError):
        return 1


def _html_table_rows(table) -> list[list[str]]:
    """Rows of a data table with ``colspan``/``rowspan`` continuations as empty cells."""
    rows: list[list[str]] = []
    below: dict[int, int] = {}  # column → how many more rows a rowspan above still covers
    for tr in (tr for tr in table.find_all("tr") if tr.find_parent("table") is table):
        cells = tr.find_all(["td", "th"], recursive=False)
        todo = list(cells)
        row: list[str] = []
        while todo or any(n > 0 for c, n in below.items() if c >= len(row)):
            col = len(row)
            if below.get(col, 0) > 0 or not todo:  # covered from above, or a gap before one
                below[col] = max(below.get(col, 0) - 1, 0)
                row.append("")
                continue
            cell = todo.pop(0)
            across, down = _span(cell, "colspan"), _span(cell, "rowspan")
            row += ["\n".join(_html_lines(cell))] + [""] * (across - 1)
            for c in range(col, col + across):
                below[c] = down - 1
        spans_row = len(cells) == 1 and len(row) == _span(cells[0], "colspan")
        rows.append(row[:1] if spans_row else row)
    return rows


#: Labels of the 信息公开 block and the key each is stored under.
_PORTAL_LABELS = {
    "索引号": "索引号",
    "发布机构": "发布机构",
    "发文机关": "发布机构",
    "发文单位": "发布机构",
    "发布单位": "发布机构",
    "发文字号": "文号",
    "发文号": "文号",
    "文号": "文号",
    "成文日期": "成文日期",
    "成文时间": "成文日期",
    "发布日期": "发布日期",
    "发布时间": "发布日期",
    "公开日期": "发布日期",
    "标题": "标题",
    "文件名称": "标题",
    "名称": "标题",
    "主题分类": "主题分类",
    "主题词": "主题词",
    "体裁分类": "体裁分类",
    "公文种类": "公文种类",
    "有效性": "有效性",
}
#: A block is the 信息公开 block when it states at least two of these.
_PORTAL_CORE = {"索引号", "发布机构", "文号", "成文日期"}
_LABEL_RE = "|".join(r"\s*".join(label) for label in sorted(_PORTAL_LABELS, key=len, reverse=True))
_PORTAL_PAIR = re.compile(
    rf"(?:^|(?<=\s))(?P<label>{_LABEL_RE})\s*[:：]?[ \t]*\n?[ \t]*"
    rf"(?P<value>(?!(?:{_LABEL_RE})\s*[:：]?\s)[^\n]*?)(?=\s+(?:{_LABEL_RE})\s*[:：]|\s*\n|\s*$)",
    re.M,
)
#: A 信息公开 block is short; a longer element holding the labels is the page around it.
MAX_PORTAL_BLOCK = 1000


def portal_pairs(text: str) -> dict[str, str]:
    """Label → value pairs of a 信息公开 block's text (one cell or ``label：value`` per line).

    >>> portal_pairs("索 引 号：\\n11510000/2021-00012\\n发布机构：四川省人民政府办公厅\\n文号：川办发〔2021〕16号 成文日期：2021-03-30")
    {'索引号': '11510000/2021-00012', '发布机构': '四川省人民政府办公厅', '文号': '川办发〔2021〕16号', '成文日期': '2021-03-30'}
    """
    found: dict[str, str] = {}
    for m in _PORTAL_PAIR.finditer(text):
        key = _PORTAL_LABELS[re.sub(r"\s+", "", m["label"])]
        value = m["value"].strip(" \t:：\u3000\xa0")
        if value and key not in found:
            found[key] = value
    return found


def _take_portal_block(soup) -> dict[str, str]:
    """Read the 信息公开 block and remove it from the page.

    The block is the element stating the most of 索引号/发布机构/文号/成文日期 (at least two),
    the smallest such when several do: portals split the block over sibling rows or lists,
    and the element around the block must not take the article with it.
    """
    best, best_rank = None, (2, -MAX_PORTAL_BLOCK)
    for el in soup.find_all(["table", "tbody", "dl", "ul", "ol", "div", "section", "p"]):
        text = "\n".join(el.stripped_strings)
        if len(text) > MAX_PORTAL_BLOCK:
            continue
        pairs = portal_pairs(text)
        rank = (len(_PORTAL_CORE & set(pairs)), -len(text))  # the whole block, and no more
        if rank >= best_rank:
            best, best_rank, found = el, rank, pairs
    if best is None:
        return {}
    best.decompose()
    return found


# --------------------------------------------------------------------------- docx


def _read_docx(data: bytes, name: str) -> tuple[str, dict[str, str]]:
    """Body text of a Word file in document order, tables as tab-led rows; title property."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, XMLSyntaxError) as e:
        reason = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise ReadError(name, f"damaged Word document: {reason}") from e
    from policy_lineage.ingest.docx_numbering import Numbering

    lines = list(_docx_blocks(document.element.body, document, Numbering.of(document)))
    metadata = {}
    title = (document.core_properties.title or "").strip()
    if title and not title.lower().startswith(("microsoft word", "untitled")):
        metadata["标题"] = title
    return "\n".join(lines) + "\n", metadata


def _docx_blocks(container, document, numbering):
    """Lines of the body's paragraphs and tables, in order (content controls opened); a list
    paragraph gets the number Word prints before it (一、 （一） 1.), which its text lacks."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = Paragraph(child, document)
            text = paragraph.text
            if text.strip():
                text = numbering.label(paragraph) + text
            yield from (_prose_line(part) for part in text.split("\n"))
        elif child.tag == qn("w:tbl"):
            yield from table_lines(_docx_table_rows(child, document))
            yield ""
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _docx_blocks(content, document, numbering)


def _docx_table_rows(tbl, document) -> list[list[str]]:
    """Rows of a Word table on its layout grid, merged continuations as empty cells.

    python-docx's ``row.cells`` repeats a merged cell's text in every grid position it covers;
    the parser would then read one units cell as several items' own units, so the XML is read
    directly: ``w:gridSpan`` adds empty cells to the right, ``w:vMerge="continue"`` prints empty.
    """
    rows = []
    for tr in tbl.tr_lst:
        tcs = tr.tc_lst
        row = [""] * tr.grid_before
        for tc in tcs:
            text = "" if tc.vMerge == "continue" else _docx_cell_text(tc, document)
            row += [text] + [""] * (tc.grid_span - 1)
        row += [""] * tr.grid_after
        one_cell = len(tcs) == 1 and not tr.grid_before and not tr.grid_after and tcs[0].vMerge != "continue"
        rows.append(row[:1] if one_cell else row)
    return rows


def _docx_cell_text(tc, document) -> str:
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    return "\n".join(Paragraph(p, document).text for p in tc.iter(qn("w:p")))


# --------------------------------------------------------------------------- pdf


def _read_pdf(data: bytes, name: str) -> str:
    """The text layer page by page; a scan without one is refused with a pointer to OCR."""
    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = _pdf_pages(pdf.pages)
    except Exception as e:  # pdfminer raises many unrelated types on damaged files
        raise ReadError(name, _pdf_failure(e)) from e
    text = "\n".join(_join_pages(pages))
    if not text.strip():
        raise ReadError(name, "PDF has no text layer (scanned image); run OCR first")
    if len(re.findall(r"\(cid:\d+\)", text)) * 8 > len(text):
        raise ReadError(name, "PDF text layer has no Unicode mapping ((cid:N) glyphs); run OCR first")
    return text


#: A ruled region is a data table when it has at least this many rows and columns.
MIN_PDF_TABLE = (2, 3)


def _pdf_pages(pages) -> list[list[str | list[str]]]:
    """Every page's lines (:func:`_pdf_page_lines`); a task table printed without rules is read
    from its words' positions (:mod:`policy_lineage.ingest.pdf_unruled`), its columns carried
    to the pages it continues on."""
    from policy_lineage.ingest.pdf_unruled import find_columns, read_unruled

    out: list[list[str | list[str]]] = []
    columns, continued = None, False
    for page in pages:
        ruled = [t for t in page.find_tables() if _is_data_table(t.extract())]
        unruled = None
        if not ruled:
            # a continued table keeps its columns: a page with few rows can hide a narrow one
            columns = columns if continued else find_columns(page)
            unruled = read_unruled(page, columns, continued) if columns else None
        continued = unruled is not None
        out.append(unruled if unruled is not None else _pdf_page_lines(page, ruled))
    return out


def _pdf_page_lines(page, tables) -> list[str | list[str]]:
    """A page's lines in reading order: prose as text lines, each ruled table's rows as lists of
    cells.  A table's text extracted as lines interleaves its wrapped cells (a cell's middle line
    shares a line with the row number, its other lines come above and below), so ruled tables
    are read cell by cell instead, and become tab-led rows like a Word or web table."""
    tables = sorted(tables, key=lambda t: t.bbox[1])
    out: list[str | list[str]] = []
    top = page.bbox[1]
    for table in tables:
        out += _text_lines(page, top, table.bbox[1])
        out += [[cell or "" for cell in row] for row in table.extract()]
        top = table.bbox[3]
    return out + _text_lines(page, top, page.bbox[3])


def _is_data_table(rows: list[list]) -> bool:
    return len(rows) >= MIN_PDF_TABLE[0] and max((len(r) for r in rows), default=0) >= MIN_PDF_TABLE[1]


def _text_lines(page, top: float, bottom: float) -> list[str]:
    if bottom - top < 1:
        return []
    region = page.crop((page.bbox[0], top, page.bbox[2], bottom), strict=False)
    return (region.extract_text() or "").split("\n")


def _join_pages(pages: list[list[str | list[str]]]) -> list[str]:
    """Pages as text lines, table rows as tab-led lines; a table row that a page break cut in two
    (the next page's first row has no number, nothing between them) is joined back."""
    rows: list[str | list[str]] = []
    for page in pages:
        first = page[0] if page else None
        if isinstance(first, list) and rows and isinstance(rows[-1], list) and first and not first[0].strip():
            previous = rows.pop()
            page = [[a + ("\n" + b if a and b else b) for a, b in zip(previous, first)]] + page[1:]
        rows += page
    return [line if isinstance(line, str) else table_lines([line])[0] if any(line) else "" for line in rows]


def _pdf_failure(e: Exception) -> str:
    """One line for a PDF library failure; pdfplumber wraps pdfminer's error in its first arg."""
    cause = e.args[0] if e.args and isinstance(e.args[0], Exception) else e
    kind = type(cause).__name__
    if "Password" in kind or "Encrypt" in kind:
        return "PDF is encrypted with a password; save an unprotected copy first"
    detail = str(cause).strip().splitlines()[0] if str(cause).strip() else kind
    return f"damaged PDF: {detail}"
