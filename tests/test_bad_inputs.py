"""The bad-input matrix: every input a user can get wrong, through the ``lineage`` command line.

Each case writes its input in the test's folder, runs one command with click's CliRunner, and
expects either one clear line on stderr (naming the file and the problem, exit status 1, no
traceback) or a correct result.  Deeper tests of the same ground live beside the code they
exercise (``see``): tests/test_readers.py (formats and encodings), tests/test_parser.py (document
shapes), tests/test_cli_graph.py (queries), tests/test_atomic.py (a failed build keeps the
store).  This file is the list: a case missing here is a case nobody promised.

The 50 MB case is decided as *refused before reading*: a 政务公开 document is well under 2 MB even
as a PDF with images, a text of 50 MB would be some ten thousand of them in one file, and the
parser holds a document's text in memory several times over.  So a file over the limit
(readers.MAX_BYTES) is refused from its size alone; the test writes a real 50 MB text and checks
that reading it allocated almost nothing.
"""

from __future__ import annotations

import json
import tracemalloc
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner, Result

from policy_lineage.cli import cli
from policy_lineage.ingest.readers import MAX_BYTES

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
PROSE = SEEDS / "suining-anju-2021-task-division.md"  # numbered prose with unit tails
TABLE = SEEDS / "meishan-grassroots-annex1-task-division.txt"  # a tab-cell table

#: Three duties in numbered prose, no units; ``{region}`` and ``{no}`` are filled per case.
SMALL = (
    "{region}人民政府办公室关于印发2021年政务公开工作要点的通知\n{no}\n\n"
    "（一）推进财政预决算公开。2021年底前完成部门预算公开。\n"
    "（二）加强政策解读。重要政策同步发布解读材料。\n"
    "（三）推进统计数据公开。按季度发布统计公报。\n"
)


@dataclass(frozen=True)
class Case:
    """One bad input.

    ``make`` writes the input under a folder and returns the command's arguments and the file
    the error must name (or None when it names no file).  ``error`` is the problem the one line
    must state; None means the command succeeds and ``check`` looks at its result.
    """

    id: str
    make: Callable[[Path, Path], tuple[list[str], Path | None]]
    error: str | None = None
    check: Callable[[Result, Path], None] | None = None
    see: str = ""
    max_memory_mb: int | None = None  # Python allocations the command may make, when it matters


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def parse(path: Path) -> tuple[list[str], Path]:
    return ["parse", str(path), "--format", "json"], path


def build(folder: Path, db: Path, named: Path | None) -> tuple[list[str], Path | None]:
    return ["build", str(folder), "--db", str(folder / "new.lbdb")], named


def query(db: Path, *args: str) -> tuple[list[str], None]:
    return ["query", "--db", str(db), *args, "--format", "json"], None


# --------------------------------------------------------------------------- the cases


def big_text(tmp: Path, _db: Path):
    """A real text just over the limit: the seed repeated, written in full (not sparse)."""
    chunk = PROSE.read_bytes()
    path = tmp / "huge.md"
    with path.open("wb") as f:
        for _ in range(MAX_BYTES // len(chunk) + 1):
            f.write(chunk)
    assert path.stat().st_size > MAX_BYTES
    return parse(path)


def mixed_encodings(tmp: Path, _db: Path):
    lines = PROSE.read_text(encoding="utf-8").split("\n")
    half = len(lines) // 2
    data = "\n".join(lines[:half]).encode("utf-8") + b"\n" + "\n".join(lines[half:]).encode("gb18030")
    return parse(write(tmp / "mixed.md", data))


def html_page(tmp: Path, _db: Path):
    page = (
        "<html><head><style>body { color: red } .task::before { content: '（九）样式任务' }</style>"
        "<script>var t = '（八）脚本里的任务。';</script></head><body>"
        "<div class='nav'><a href='/'>首页</a></div><div class='content'><h1>2021年政务公开工作要点</h1>"
        "<p>（一）推进财政预决算公开。</p><p>（二）加强政策解读。</p><p>（三）推进统计数据公开。</p></div>"
        "<script>document.write('（四）写出来的任务');</script><noscript>请启用脚本</noscript></body></html>"
    )
    return parse(write(tmp / "page.html", page))


def check_html(result: Result, _tmp: Path) -> None:
    doc = json.loads(result.output)
    assert [(i["seq"], i["text"]) for i in doc["items"]] == [(1, "推进财政预决算公开。"), (2, "加强政策解读。"), (3, "推进统计数据公开。")]


def scanned_pdf(tmp: Path, _db: Path):
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.set_fill_color(200, 200, 200)
    pdf.rect(20, 20, 170, 250, style="F")  # all picture, no text
    path = tmp / "scan.pdf"
    pdf.output(str(path))
    return parse(path)


def truncated_table(tmp: Path, _db: Path):
    lines = TABLE.read_text(encoding="utf-8").split("\n")
    return parse(write(tmp / "cut.txt", "\n".join(lines[:27])))  # ends inside row 3, after its task cell


def gb18030(tmp: Path, _db: Path):
    return parse(write(tmp / "gb.md", PROSE.read_text(encoding="utf-8").encode("gb18030")))


def check_same_as_utf8(result: Result, _tmp: Path) -> None:
    ours = json.loads(result.output)
    utf8 = json.loads(CliRunner().invoke(cli, ["parse", str(PROSE), "--format", "json"]).output)
    assert len(ours["items"]) == len(utf8["items"]) > 10
    assert [i["text"] for i in ours["items"]] == [i["text"] for i in utf8["items"]]
    assert (ours["doc_no"], ours["region"], ours["year"]) == (utf8["doc_no"], utf8["region"], utf8["year"])


def duplicate_document(tmp: Path, db: Path):
    write(tmp / "docs" / "a.md", PROSE.read_bytes())
    return build(tmp / "docs", db, write(tmp / "docs" / "b.md", PROSE.read_bytes()))


def same_docno_other_text(tmp: Path, db: Path):
    write(tmp / "docs" / "a.txt", SMALL.format(region="眉山市", no="眉府办发〔2021〕3号"))
    other = SMALL.format(region="眉山市", no="眉府办发〔2021〕3号").replace("按季度", "每月")
    return build(tmp / "docs", db, write(tmp / "docs" / "b.txt", other))


def unknown_region(tmp: Path, _db: Path):
    return parse(write(tmp / "mars.txt", SMALL.format(region="火星市", no="火府办发〔2021〕3号")))


def check_unknown_region(result: Result, _tmp: Path) -> None:
    doc = json.loads(result.output)
    assert (doc["region"], doc["level"], doc["doc_no"]) == (None, None, "火府办发〔2021〕3号")
    assert [i["seq"] for i in doc["items"]] == [1, 2, 3]


def check_no_units(result: Result, _tmp: Path) -> None:
    doc = json.loads(result.output)
    assert len(doc["items"]) == 3
    assert all(i["units"] == [] and i["lead_units"] == [] for i in doc["items"])
    assert doc["items"][0]["deadline"]["date"] == "2021-12-31"


def broken_curation(tmp: Path, db: Path):
    write(tmp / "docs" / "a.txt", SMALL.format(region="眉山市", no="眉府办发〔2021〕3号"))
    return build(tmp / "docs", db, write(tmp / "docs" / "curation.toml", "[[decision]\nkind = 'reject'\n"))


def broken_manifest(tmp: Path, db: Path):
    write(tmp / "docs" / "a.txt", SMALL.format(region="眉山市", no="眉府办发〔2021〕3号"))
    return build(tmp / "docs", db, write(tmp / "docs" / "manifest.toml", '["a.txt"\nissuer = 1\n'))


NASTY = "x' OR 1=1 RETURN 1 // \"} DETACH DELETE n"


def check_value_back(result: Result, _tmp: Path) -> None:
    assert json.loads(result.output) == [{"v": NASTY}]


def check_no_rows(result: Result, _tmp: Path) -> None:
    assert json.loads(result.output) == []


CASES = [
    Case("empty", lambda t, d: parse(write(t / "empty.txt", b"")), "empty file", see="test_readers.py::TestBadInputs"),
    Case("whitespace only", lambda t, d: parse(write(t / "blank.md", " \n\t\n　\n")), "empty", see="test_parser.py::TestBadInput"),
    Case("binary", lambda t, d: parse(write(t / "blob.txt", bytes(range(256)) * 8)), "binary file, not a text document", see="test_readers.py::TestBadInputs"),
    Case("image named .txt", lambda t, d: parse(write(t / "photo.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)), "looks like a PNG image", see="test_readers.py::TestBadInputs"),
    Case("missing file", lambda t, d: parse(t / "nowhere.txt"), "no such file", see="test_readers.py::TestBadInputs"),
    Case("over 50 MB", big_text, "file is larger than 50 MB", see="test_readers.py::TestBadInputs", max_memory_mb=16),
    Case("GB18030", gb18030, check=check_same_as_utf8, see="test_readers.py::TestEncodings"),
    Case("mixed encodings", mixed_encodings, "cannot decode text: not UTF-8 or GB18030"),
    Case("HTML with scripts and styles", html_page, check=check_html, see="test_readers.py::TestHtml"),
    Case("PDF without a text layer", scanned_pdf, "PDF has no text layer (scanned image); run OCR first", see="test_readers.py::TestPdf"),
    Case("truncated table", truncated_table, "table is truncated", see="test_parser.py::TestBadInput"),
    Case("no task items", lambda t, d: parse(write(t / "note.txt", "这是一段普通的文字。\n第二段。\n")), "no task items found", see="test_parser.py::TestBadInput"),
    Case("duplicate document", duplicate_document, "is the same document as"),
    Case("one 文号, different text", same_docno_other_text, "has the same 文号/title but different text than"),
    Case("unknown region", unknown_region, check=check_unknown_region),
    Case("items without units", lambda t, d: parse(write(t / "nounits.txt", SMALL.format(region="眉山市", no=""))), check=check_no_units),
    Case("broken curation file", broken_curation, "not a valid curation file", see="test_curation.py"),
    Case("broken manifest", broken_manifest, "invalid manifest"),
    Case("malformed Cypher", lambda t, d: query(d, "-c", "MATCH (n:Item RETURN n.id"), "Parser exception", see="test_cli_graph.py::TestQuery"),
    Case("write in read-only mode", lambda t, d: query(d, "-c", "MATCH (i:Item) SET i.title = 'x' RETURN i.id"), "query writes to the store (SET); pass --write", see="test_cli_graph.py::TestQuery"),
    Case("lower-case write after a comment", lambda t, d: query(d, "-c", "// list\nmatch (i:Item) detach delete i"), "query writes to the store (DETACH); pass --write"),
    Case("unknown parameter", lambda t, d: query(d, "gaps", "-p", "parnet=x"), "takes no parameter $parnet", see="test_cli_graph.py::TestQuery"),
    Case("quotes and Cypher in a value", lambda t, d: query(d, "-c", "RETURN $v AS v", "-p", f"v={NASTY}"), check=check_value_back, see="test_cli_graph.py::TestQuery"),
    Case("Cypher in a filter value", lambda t, d: query(d, "gaps", "-p", "child=安居区' OR 1=1 OR '' = '"), check=check_no_rows),
]


# --------------------------------------------------------------------------- the test


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """A real embedded store holding the hand-built corpus (tests/graph_fixtures.py)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from graph_fixtures import corpus

    from policy_lineage.graph.ladybug_store import LadybugStore
    from policy_lineage.graph.nxgraph import build_graph

    db = tmp_path_factory.mktemp("store") / "graph.lbdb"
    with LadybugStore(db) as s:
        s.write(build_graph(*corpus()))
    return db


def stored(db: Path) -> list[dict]:
    result = CliRunner().invoke(cli, ["query", "--db", str(db), "-c", "MATCH (i:Item) RETURN i.id AS id, i.title AS t ORDER BY id", "--format", "json"])
    return json.loads(result.output)


def test_the_matrix_has_every_case_the_issue_names():
    assert len(CASES) >= 15 and len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case, tmp_path, store):
    before = stored(store)
    args, named = case.make(tmp_path, store)
    if case.max_memory_mb:
        tracemalloc.start()
    try:
        result = CliRunner().invoke(cli, args)
        peak = tracemalloc.get_traced_memory()[1] if case.max_memory_mb else 0
    finally:
        tracemalloc.stop()
    assert "Traceback" not in result.output and not isinstance(result.exception, (KeyError, TypeError, ValueError, AttributeError))
    if case.error is None:
        assert result.exit_code == 0, result.output
        case.check(result, tmp_path)
    else:
        assert result.exit_code == 1, result.output
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert case.error in lines[0]
        if named is not None:
            assert str(named) in lines[0]
        if args[0] == "build":
            assert not (Path(args[args.index("--db") + 1])).exists()  # nothing was stored
    if case.max_memory_mb:
        assert peak < case.max_memory_mb * 1024**2  # refused from its size: the file was never read
    assert stored(store) == before  # no case changed the store
