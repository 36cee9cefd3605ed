"""The spaCy pipeline: a blank Chinese pipeline on jieba segmentation with rule components.

No statistical Chinese model may be downloaded where this runs (an air-gapped office), so the
entities are found by rules that know the genre:

``policy_doc_no``  文号 such as 川办发〔2021〕16号 → ``DOC_NO`` (via :mod:`.docno`)
``policy_dates``   dates and time limits (2021年底前, 8月31日) → ``DATE`` (via :mod:`.deadlines`)
``policy_regions`` full region names from the division data (安居区) → ``GPE`` (via :mod:`.regions`)
``policy_agencies`` government offices and collectives (区财政局, 各县（区）人民政府) → ``ORG``

jieba segments with a user dictionary of 政务公开 vocabulary (``ingest/data/userdict.txt``) so
terms such as 政务新媒体 and 牵头单位 stay whole tokens; the linker reuses the same segmenter.
Entity spans are snapped to token boundaries (``alignment_mode="expand"``), earlier components
win overlaps, and the parser uses :func:`agency_coverage` to tell a units cell from task text.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from policy_lineage.ingest.deadlines import _ANY_TIME
from policy_lineage.ingest.docno import doc_no_spans
from policy_lineage.ingest.regions import _name_pattern

__all__ = ["get_nlp", "entities", "agency_coverage", "segment", "USERDICT"]

USERDICT = "userdict.txt"

#: A government office: optional region or rank prefix, a body, and an office word at the end.
_AGENCY = re.compile(
    r"(?:(?![等和及与])[\u4e00-\u9fff（）()]){0,14}?"
    r"(?:人民政府办公厅|人民政府办公室|人民政府|政府办公室|政府办|办公厅|办公室|委员会|管理委员会|管委会|"
    r"[厅局委办处院馆署所台会队站]|中心|部门(?:[（(]单位[)）])?|单位|街道办事处|街道|镇|乡)"
    r"(?:[（(][^）)]{1,6}[)）])?"
)
_AGENCY_START = re.compile(r"^(?:各|[省市区县]|[\u4e00-\u9fff]{2,8}(?:省|市|区|县|州))")


def _set_entities(doc: Doc, label: str, spans: list[tuple[int, int]]) -> Doc:
    """Add character spans as entities; existing entities win overlaps."""
    new = [s for s in (doc.char_span(a, b, label=label, alignment_mode="expand") for a, b in spans) if s is not None]
    doc.ents = filter_spans(list(doc.ents) + new) if new else doc.ents
    return doc


def _regex_component(pattern: re.Pattern | None, label: str, accept=None):
    def component(doc: Doc) -> Doc:
        regex = pattern if pattern is not None else _name_pattern()
        spans = [m.span() for m in regex.finditer(doc.text) if accept is None or accept(m)]
        return _set_entities(doc, label, spans)

    return component


def _doc_no_component(doc: Doc) -> Doc:
    return _set_entities(doc, "DOC_NO", [(start, end) for start, end, _ in doc_no_spans(doc.text)])


def _is_agency(m: re.Match) -> bool:
    text = m.group(0)
    return len(text) >= 3 and bool(_AGENCY_START.match(text)) and "年" not in text


@Language.factory("policy_doc_no")
def make_doc_no(nlp: Language, name: str):
    return _doc_no_component


@Language.factory("policy_dates")
def make_dates(nlp: Language, name: str):
    return _regex_component(_ANY_TIME, "DATE")


@Language.factory("policy_regions")
def make_regions(nlp: Language, name: str):
    return _regex_component(None, "GPE")


@Language.factory("policy_agencies")
def make_agencies(nlp: Language, name: str):
    return _regex_component(_AGENCY, "ORG", accept=_is_agency)


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(60)
    path = resources.files("policy_lineage.ingest").joinpath("data", USERDICT)
    with resources.as_file(path) as local:
        jieba.load_userdict(str(local))
    return jieba


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The shared pipeline (built once): jieba tokenizer, then the four rule components.

    Regions run before agencies so 安居区财政局 is one ORG only when the whole name is an office.
    """
    _jieba()
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    for component in ("policy_doc_no", "policy_dates", "policy_agencies", "policy_regions"):
        nlp.add_pipe(component)
    return nlp


def segment(text: str) -> list[str]:
    """jieba tokens with the project's user dictionary (what the linker indexes)."""
    return [t for t in _jieba().lcut(text) if t.strip()]


@lru_cache(maxsize=8192)
def entities(text: str) -> tuple[tuple[str, str], ...]:
    """(label, text) of every entity the pipeline finds, in order.

    >>> entities("牵头单位:区财政局;根据川办发〔2021〕16号,2021年底前完成")
    (('ORG', '区财政局'), ('DOC_NO', '川办发〔2021〕16号'), ('DATE', '2021年底'))
    """
    return tuple((e.label_, e.text) for e in get_nlp()(text).ents)


@lru_cache(maxsize=8192)
def agency_coverage(fragment: str) -> float:
    """Share of a fragment's characters inside ORG or GPE entities (a units cell is mostly 1.0).

    >>> agency_coverage("市财政局、市审计局等市级有关部门（单位）") > 0.8
    True
    >>> agency_coverage("推进政务公开标准化规范化建设") < 0.5
    True
    """
    text = re.sub(r"\s+", "", fragment)
    if not text:
        return 0.0
    doc = get_nlp()(text)
    covered = sum(len(e.text) for e in doc.ents if e.label_ in {"ORG", "GPE"})
    return covered / len(text)
