"""A tiny, hand-built corpus and lineage whose gaps can be worked out on paper.

Three documents of the 2021 cycle (texts shortened from the seeds' style):

* ``P`` 川办发〔2021〕16号, 四川省 — three duties, two clauses each:

  ====  ==========================  =================================  ==================
  seq   clause 0                    clause 1                           units
  ====  ==========================  =================================  ==================
  1     推进财政预决算公开          细化部门预算公开到项目             四川省财政厅 (lead)
  2     加强政策解读                开展政策吹风会                     四川省司法厅 (lead)
  3     推进统计数据公开            发布统计公报                       四川省统计局 (lead)
  ====  ==========================  =================================  ==================

* ``A`` 2021年全区政务公开重点任务分工方案, 安居区 (no 文号; answers to P, skipping 遂宁市):

  - A#1 implements P#1 and carries both clauses → P#1 covered;
  - A#2 implements P#2 but carries only clause 0 → P#2 **partial**, missing 开展政策吹风会;
  - A#3 implements nothing (a rejected link to P#3 does not count) → A#3 is an **orphan**;
    P#3 is a **gap**; its best candidate is A#3 (CANDIDATE 0.21 beats A#1's 0.12); no 安居区
    agency does P#3's job (统计), so the responsible unit is A#3's: 安居区卫生健康局.

* ``M`` 眉山市政务公开重点任务分工, 眉山市 (no 文号; answers to P):

  - M#1 implements P#1 and carries both clauses → P#1 covered;
  - P#2: no item → gap, but a supervisor accepted it for 眉山市 → **accepted**; no candidate and
    no 眉山市 司法 agency, so responsible falls back to M's issuer 眉山市人民政府办公室;
  - P#3: no item → **gap**; best candidate M#1 (0.15); responsible M#1's 眉山市财政局.

Expected ``gaps`` rows (parent seq, child region, status, missing, best seq, best score,
responsible)::

    2  安居区  partial   [开展政策吹风会]  2     0.8   [安居区司法局]
    3  安居区  gap       []                3     0.21  [安居区卫生健康局]
    2  眉山市  accepted  []                None  None  [眉山市人民政府办公室]
    3  眉山市  gap       []                1     0.15  [眉山市财政局]

For P#2 × 安居区 the best local item is the implementing A#2 (IMPLEMENTS 0.8), and the
responsible unit is the 安居区 agency doing P#2's job (司法): 安居区司法局.

:func:`chain` is a second, separate corpus: one duty passed down province → city → county, for
the trace queries.
"""

from __future__ import annotations

from policy_lineage.graph.model import (
    Carry,
    Clause,
    Deadline,
    DocLink,
    Document,
    Item,
    Lineage,
    Link,
    SourceRef,
    Unit,
)

__all__ = ["P_REF", "A_REF", "M_REF", "NEO4J_SKIP", "corpus", "chain", "item_id", "open_test_store", "same_graph"]

P_REF = "川办发〔2021〕16号"
A_REF = "2021年全区政务公开重点任务分工方案"
M_REF = "眉山市政务公开重点任务分工"

P_CLAUSES = {
    1: ["推进财政预决算公开", "细化部门预算公开到项目"],
    2: ["加强政策解读", "开展政策吹风会"],
    3: ["推进统计数据公开", "发布统计公报"],
}


def _unit(name: str, region: str, role: str = "lead", original: str | None = None) -> Unit:
    return Unit(name=name, original=original or name, role=role, region=region)


def _item(seq: int, text: str, units: list[Unit], file: str, line: int, section: list[str] | None = None) -> Item:
    leads = [u for u in units if u.role == "lead"]
    others = [u for u in units if u.role != "lead"]
    return Item(
        seq=seq,
        text=text,
        label=str(seq),
        section=section or [],
        lead_units=leads,
        units=others,
        deadline=Deadline("2021年底前", "2021-12-31", "date"),
        source=SourceRef(file, line),
    )


def _documents() -> tuple[Document, Document, Document]:
    province = Document(
        title="2021年全省政务公开重点工作安排",
        doc_no=P_REF,
        issuer="四川省人民政府办公厅",
        region="四川省",
        region_path=["四川省"],
        level="province",
        date="2021-05-08",
        year=2021,
        source_file="p.txt",
        items=[
            _item(s, "，".join(P_CLAUSES[s]) + "。", [_unit(u, "四川省")], "p.txt", 10 + s, ["一、加大公开力度"])
            for s, u in ((1, "四川省财政厅"), (2, "四川省司法厅"), (3, "四川省统计局"))
        ],
    )
    anju = Document(
        title=A_REF,
        issuer="遂宁市安居区人民政府办公室",
        region="安居区",
        region_path=["四川省", "遂宁市", "安居区"],
        level="county",
        year=2021,
        source_file="a.md",
        cites=[P_REF, "国办发〔2021〕12号"],
        items=[
            _item(1, "推进财政预决算公开，细化部门预算公开到项目。", [_unit("安居区财政局", "安居区", original="区财政局")], "a.md", 5),
            _item(2, "加强政策解读。", [_unit("安居区司法局", "安居区"), _unit("各镇、街道", "安居区", "responsible")], "a.md", 6),
            _item(3, "做好疫情防控信息发布。", [_unit("安居区卫生健康局", "安居区")], "a.md", 7),
        ],
    )
    anju.items[1].units[0].collective = True
    meishan = Document(
        title=M_REF,
        issuer="眉山市人民政府办公室",
        region="眉山市",
        region_path=["四川省", "眉山市"],
        level="city",
        year=2021,
        source_file="m.txt",
        items=[
            _item(1, "推进财政预决算公开，细化部门预算公开到项目。", [_unit("眉山市财政局", "眉山市")], "m.txt", 3),
        ],
    )
    return province, anju, meishan


def item_id(doc: Document, seq: int) -> str:
    """The graph id of a document's item ``seq``."""
    return next(it for it in doc.items if it.seq == seq).item_id(doc.doc_id)


def corpus() -> tuple[list[Document], Lineage]:
    """The three documents and their lineage, as described in the module docstring."""
    p, a, m = _documents()
    pid = {s: item_id(p, s) for s in (1, 2, 3)}
    clauses = [Clause(pid[s], k, t) for s, texts in P_CLAUSES.items() for k, t in enumerate(texts)]
    clause = {(s, k): f"{pid[s]}/c{k}" for s in P_CLAUSES for k in (0, 1)}
    lineage = Lineage(
        doc_links=[
            DocLink(a.doc_id, p.doc_id, "ANSWERS_TO", "inferred", 1),
            DocLink(m.doc_id, p.doc_id, "ANSWERS_TO", "inferred", 0),
            DocLink(a.doc_id, p.doc_id, "CITES", "citation"),
        ],
        links=[
            Link(item_id(a, 1), pid[1], "IMPLEMENTS", 0.9, "tfidf", "auto", ["财政预决算", "部门预算"]),
            Link(item_id(a, 2), pid[2], "IMPLEMENTS", 0.8, "tfidf", "confirmed", ["政策解读"]),
            Link(item_id(a, 3), pid[3], "IMPLEMENTS", 0.4, "tfidf", "rejected", ["信息发布"]),
            Link(item_id(m, 1), pid[1], "IMPLEMENTS", 0.85, "tfidf", "auto", ["财政预决算"]),
            Link(item_id(m, 1), item_id(a, 1), "SIBLING_OF", 0.95, "tfidf", "auto", ["财政预决算"]),
        ],
        clauses=clauses,
        carries=[
            Carry(item_id(a, 1), clause[1, 0], 0.9, ["财政预决算"]),
            Carry(item_id(a, 1), clause[1, 1], 0.8, ["部门预算"]),
            Carry(item_id(a, 2), clause[2, 0], 0.9, ["政策解读"]),
            Carry(item_id(m, 1), clause[1, 0], 0.9, ["财政预决算"]),
            Carry(item_id(m, 1), clause[1, 1], 0.8, ["部门预算"]),
        ],
        candidates=[
            Link(item_id(a, 3), pid[3], "CANDIDATE", 0.21, "tfidf", "auto", ["公开"]),
            Link(item_id(a, 1), pid[3], "CANDIDATE", 0.12, "tfidf", "auto", ["公开"]),
            Link(item_id(m, 1), pid[3], "CANDIDATE", 0.15, "tfidf", "auto", ["公开"]),
        ],
        accepted_gaps=[(pid[2], "眉山市", "本市已由市司法局另行部署")],
    )
    return [p, a, m], lineage


def chain() -> tuple[list[Document], Lineage]:
    """One duty passed down three levels: 四川省 #1 ← 遂宁市 #1 ← 安居区 #2 (and 安居区 #1 unlinked)."""
    province = Document("省要点", doc_no="川办发〔2021〕16号", region="四川省", region_path=["四川省"], level="province", year=2021)
    city = Document("市要点", doc_no="遂府办发〔2021〕3号", region="遂宁市", region_path=["四川省", "遂宁市"], level="city", year=2021)
    county = Document("区方案", region="安居区", region_path=["四川省", "遂宁市", "安居区"], level="county", year=2021)
    province.items = [Item(seq=1, text="推进财政预决算公开。")]
    city.items = [Item(seq=1, text="全面推进财政预决算公开。")]
    county.items = [Item(seq=1, text="做好防汛信息发布。"), Item(seq=2, text="推进区级财政预决算公开。")]
    lineage = Lineage(
        doc_links=[DocLink(city.doc_id, province.doc_id), DocLink(county.doc_id, city.doc_id)],
        links=[
            Link(item_id(city, 1), item_id(province, 1), score=0.9, method="tfidf"),
            Link(item_id(county, 2), item_id(city, 1), score=0.7, method="tfidf"),
        ],
    )
    return [province, city, county], lineage


# --------------------------------------------------------------------------- stores

NEO4J_SKIP = "NEO4J_URI not set: Neo4j runtime tests need a server (docker compose up -d)"


def open_test_store(backend: str, folder, *, read_only: bool = False):
    """A store of ``backend`` for one test: LadybugDB in ``folder``, Neo4j from NEO4J_URI.

    Skips (never passes silently) when Neo4j is asked for and NEO4J_URI is not set.
    """
    import os

    import pytest

    from policy_lineage.graph.store import open_store

    if backend == "neo4j":
        if not os.environ.get("NEO4J_URI"):
            pytest.skip(NEO4J_SKIP)
        return open_store("neo4j", read_only=read_only)
    return open_store("ladybug", folder / "graph.lbdb", read_only=read_only)


def same_graph(a, b) -> bool:
    """Same nodes with the same attributes and the same relationships, whatever the edge keys."""
    from policy_lineage.graph.nxgraph import edge_records

    return dict(a.nodes(data=True)) == dict(b.nodes(data=True)) and edge_records(a) == edge_records(b)
