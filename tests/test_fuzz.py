"""Fuzzing the parser and the deadline normaliser: whatever the text, a parse or one clean error.

The inputs are the seed documents mutated the way real files go wrong — lines deleted,
duplicated, swapped, cut short, junk inserted (stray numbering, table headers, unit tails,
control characters), the whole text truncated — and deadline cells built from the pieces real
ones are made of.  The properties: ``parse_text`` returns a Document whose items all have a
number and text, or raises a ParseError / LineageError whose message is one line naming the
source; the deadline functions never raise and return a Deadline of a known kind.

CI runs a fixed, bounded budget (derandomized, so a run is reproducible); set
LINEAGE_FUZZ_EXAMPLES=2000 for a longer random search on a workstation.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from policy_lineage.errors import LineageError
from policy_lineage.graph.model import Document
from policy_lineage.ingest.deadlines import find_deadlines, parse_deadline
from policy_lineage.ingest.parser import parse_text
from policy_lineage.ingest.readers import read_document

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_LINES = {f.name: read_document(f).text.split("\n") for f in sorted(SEEDS.iterdir()) if f.is_file()}
SOURCE = "fuzz.txt"

_EXAMPLES = os.environ.get("LINEAGE_FUZZ_EXAMPLES")
_SETTINGS = dict(
    deadline=None,
    derandomize=_EXAMPLES is None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)


def budget(ci_examples: int) -> settings:
    return settings(max_examples=int(_EXAMPLES) if _EXAMPLES else ci_examples, **_SETTINGS)


#: Pieces that steer the parser's shape detection: numbering, headers, tails, page furniture.
FRAGMENTS = [
    "（一）", "（二十二）", "(十九)", "一、", "二十、", "1.", "57", "12、", "序号", "序号\t重点任务\t工作进度\t责任单位",
    "\t", "\t\t", "〔牵头单位:", "责任单位:", "；", "〕", "牵头单位：市政府办公室", "附件", "附件1", "— 3 —", "- 12 -",
    "川办发〔2021〕16号", "〔2023〕", "2021年底前", "长期坚持", "8月31日", "每季度", "| 序号 | 任务 |", "|---|---|", "#",
    "\x00", "\x0c", "\ufeff", "\u3000\u3000", "　", "表格", "眉山市人民政府办公室", "2021年3月1日",
]  # fmt: skip
JUNK = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.text(alphabet=st.sampled_from("（）()一二三十0123456789、.:：;；\t 　〔〕年月日前底政务公开市区县单位\n"), max_size=30),
    st.text(max_size=20),
)
OPS = ("delete", "duplicate", "insert", "swap", "cut", "truncate")


@st.composite
def mutated_seed(draw) -> str:
    """A seed document after a few random edits of the kinds real files suffer."""
    lines = list(SEED_LINES[draw(st.sampled_from(sorted(SEED_LINES)))])
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(OPS))
        if not lines:
            lines = [""]
        i = draw(st.integers(0, len(lines) - 1))
        if op == "delete":
            span = draw(st.integers(1, 10))
            del lines[i : i + span]
        elif op == "duplicate":
            span = draw(st.integers(1, 10))
            lines[i:i] = lines[i : i + span]
        elif op == "insert":
            lines.insert(i, draw(JUNK))
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "cut":  # characters deleted inside a line
            a = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:a] + lines[i][a + draw(st.integers(1, 12)) :]
        else:  # the file ends early
            lines = lines[: i + 1]
            lines[-1] = lines[-1][: draw(st.integers(0, len(lines[-1])))]
    return "\n".join(lines)


@pytest.fixture(scope="module", autouse=True)
def warm():
    """Load the NLP tables once, outside the examples (the first parse loads jieba and jionlp)."""
    parse_text("\n".join(SEED_LINES[sorted(SEED_LINES)[0]]), SOURCE)


#: Inputs the random search once crashed on, kept as regression examples.
FOUND = [
    # a flattened PDF table cut off right after its first row number (IndexError in ingest/tables.py)
    "眉府办函〔2023〕19号\n\n眉山市人民政府办公室\n\n2023年 5月 23日\n 2023年眉山市政务公开重点任务分解表\n\n序\n\n号\n"
    "任务名称 具体内容 责任单位 完成时限\n\n1\n",
]


@budget(60)
@given(mutated_seed())
@example(FOUND[0])
def test_parser_parses_or_fails_cleanly(text):
    try:
        doc = parse_text(text, SOURCE)
    except LineageError as e:
        message = str(e)
        assert message.startswith(SOURCE) and "\n" not in message, message
        return
    assert isinstance(doc, Document) and doc.items
    for item in doc.items:
        assert isinstance(item.seq, int) and isinstance(item.text, str)
        assert item.deadline is None or item.deadline.kind in DEADLINE_KINDS


DEADLINE_KINDS = {"date", "ongoing", "timely", "dynamic", "periodic", "unknown"}
#: The pieces deadline cells are made of, to combine into plausible and implausible ones.
DEADLINE_PIECES = [
    "2021年", "2022 年", "1999年", "2099年", "20", "21", "年", "3月", "12月", "13月", "0月", "二月", "十二月", "十三月",
    "31日", "32日", "30日", "二十九日", "2月30日", "底", "底前", "前", "之前", "以前", "末", "中旬", "上旬", "下旬", "份",
    "年底", "年底前", "上半年", "下半年", "一季度", "第四季度", "4季度", "季度末", "完成", "上线", "长期坚持", "持续推进",
    "及时公开", "动态调整", "每季度", "每月", "定期", "全年", "、", "，", "；", "—", "-", "~", "至", " ", "\t", "\n",
]  # fmt: skip
DEADLINE_TEXT = st.one_of(
    st.lists(st.sampled_from(DEADLINE_PIECES), max_size=8).map("".join),
    st.text(alphabet=st.sampled_from("0123456789年月日底前末季度上下半旬一二三四十 \t"), max_size=24),
    st.text(max_size=30),
)
YEARS = st.one_of(st.none(), st.integers(1900, 2100))


@budget(300)
@given(DEADLINE_TEXT, YEARS)
def test_deadline_normaliser_never_crashes(text, year):
    deadline = parse_deadline(text, year)
    assert deadline.kind in DEADLINE_KINDS
    assert deadline.date is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", deadline.date)
    for found in find_deadlines(text, year):
        assert found.kind == "date"
        assert found.date is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", found.date)
