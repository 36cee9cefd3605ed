"""Inferred duties: the missing parent of peers rebuilt from their sibling items, queried like a real one.

On the seeds the 2023 provincial plan is missing; on plans written here (three counties of
遂宁市, and a 2023 provincial plan) the expected duties and gaps were read off the texts.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from test_siblings import ANJU, CHUANSHAN, MEISHAN_2023, PENGXI, WANYUAN_2023  # noqa: E402

from policy_lineage.graph.inferred import INFERRED_METHOD, PEERS_BASIS, add_peer_lineage, shared_core  # noqa: E402
from policy_lineage.graph.model import Document, Item, Lineage  # noqa: E402
from policy_lineage.graph.textsim import TextIndex  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def seeds() -> list[Document]:
    from policy_lineage.ingest.parser import parse_file

    return [parse_file(p) for p in sorted((ROOT / "seeds").iterdir()) if p.suffix in (".txt", ".md")]


@pytest.fixture(scope="module")
def linked(seeds):
    from policy_lineage.pipeline import link

    return link(seeds)


def _doc(docs, ref):
    return next(d for d in docs if d.ref == ref)


def _members(lineage: Lineage, docs) -> dict[int, set[tuple[str, int]]]:
    """Inferred duty seq → its members as (region, seq), from the IMPLEMENTS links."""
    names = {it.item_id(d.doc_id): (d.region, it.seq) for d in docs for it in d.items}
    (inferred,) = lineage.inferred_documents
    seq = {it.item_id(inferred.doc_id): it.seq for it in inferred.items}
    out: dict[int, set] = {}
    for l in lineage.links:
        if l.relation == "IMPLEMENTS" and l.parent in seq:
            assert l.method == INFERRED_METHOD
            out.setdefault(seq[l.parent], set()).add(names[l.child])
    return out


class TestSeeds:
    def test_one_inferred_provincial_plan_for_2023(self, seeds, linked):
        (doc,) = linked.inferred_documents
        assert (doc.region, doc.region_path, doc.level, doc.year, doc.doc_no) == ("四川省", ["四川省"], "province", 2023, None)
        assert doc.items and all(it.extra["inferred"] for it in doc.items)
        answers = {(l.child, l.skipped_levels) for l in linked.doc_links if l.parent == doc.doc_id}
        assert {l.basis for l in linked.doc_links if l.parent == doc.doc_id} == {PEERS_BASIS}
        # 万源市 is a county-level city under 达州市, whose plan is missing too
        assert answers == {(_doc(seeds, MEISHAN_2023).doc_id, 0), (_doc(seeds, WANYUAN_2023).doc_id, 1)}

    def test_with_two_peers_every_item_belongs_to_exactly_one_duty(self, seeds, linked):
        members = _members(linked, seeds)
        flat = [m for ms in members.values() for m in ms]
        expected = {(d.region, it.seq) for d in seeds if d.ref in (MEISHAN_2023, WANYUAN_2023) for it in d.items}
        assert sorted(flat) == sorted(expected)

    def test_merged_rows_make_one_duty(self, seeds, linked):
        """万源 26 is 眉山 26–29 in one row (依申请公开); 眉山 38 (政务开放日) has no 万源 row."""
        members = list(_members(linked, seeds).values())
        assert any({("万源市", 26), ("眉山市", 26), ("眉山市", 27), ("眉山市", 28), ("眉山市", 29)} <= m for m in members)
        assert {("眉山市", 38)} in members
        assert {("万源市", 39)} in members

    def test_gap_queries_on_the_inferred_plan(self, seeds, linked, tmp_path):
        from policy_lineage.graph.nxgraph import build_graph
        from policy_lineage.graph.store import open_store
        from policy_lineage.queries.runner import run_query

        members = _members(linked, seeds)
        only = {region: {s for s, ms in members.items() if {r for r, _ in ms} == {region}} for region in ("眉山市", "万源市")}
        assert only["眉山市"] and only["万源市"]
        (doc,) = linked.inferred_documents
        with open_store("ladybug", tmp_path / "graph.lbdb") as store:
            store.write(build_graph(seeds, linked))
            gaps = run_query(store, "gaps", parent=doc.ref, child="万源市")
            assert {r["parent_seq"] for r in gaps if r["status"] == "gap"} == only["眉山市"]
            lacks = run_query(store, "inferred_gaps", doc="万源市", carrier="眉山市")
            assert {r["duty_seq"] for r in lacks} == only["眉山市"]
            assert {r["support"] for r in lacks} == {1} and {tuple(r["carried_by"]) for r in lacks} == {(MEISHAN_2023,)}
            reverse = run_query(store, "inferred_gaps", doc=MEISHAN_2023, carrier=None)
            assert {r["duty_seq"] for r in reverse} == only["万源市"]
            covered = run_query(store, "coverage", parent=doc.ref, child=None)
            shared = {s for s, ms in members.items() if len({r for r, _ in ms}) == 2}
            assert {r["parent_seq"] for r in covered if r["status"] == "covered" and r["child_region"] == "万源市"} == shared | only["万源市"]
            # the inferred plan and its items are stored as such, and not counted as ingested documents
            n = store.query("MATCH (i:Item) WHERE i.inferred = true RETURN count(i) AS n")[0]["n"]
            assert n == len(doc.items)
            assert [r["ref"] for r in store.query("MATCH (d:Document) WHERE d.inferred = true RETURN d.ref AS ref")] == [doc.ref]
            counts = {r["what"]: r["n"] for r in run_query(store, "summary")}
            assert counts["documents"] == len(seeds) and counts["documents inferred from peers"] == 1

    def test_the_real_parent_wins(self, seeds):
        """With a 2023 provincial plan in the corpus the peers answer to it: nothing is inferred."""
        from policy_lineage.pipeline import link

        province = Document(
            "2023年全省政务公开工作要点", doc_no="川办函〔2023〕7号", issuer="四川省人民政府办公厅", region="四川省",
            region_path=["四川省"], level="province", year=2023,
            items=[Item(1, "及时公开人大代表建议和政协提案办理结果。扎实推进财政预决算公开，完善公开参考样表。"),
                   Item(2, "加强重大传染病防控、改善群众就医体验、健康科普等信息发布。")],
        )  # fmt: skip
        lineage = link([*seeds, province])
        assert lineage.inferred_documents == []
        assert not [l for l in lineage.links if l.relation == "SIBLING_OF" or l.method == INFERRED_METHOD]
        answering = {l.child for l in lineage.doc_links if l.relation == "ANSWERS_TO" and l.parent == province.doc_id}
        assert {_doc(seeds, MEISHAN_2023).doc_id, _doc(seeds, WANYUAN_2023).doc_id} <= answering


@pytest.fixture(scope="module")
def counties(seeds):
    """The seeds and three written county plans of 2031 (neither 遂宁市's nor the province's plan)."""
    docs = [*seeds, CHUANSHAN, ANJU, PENGXI]
    lineage = add_peer_lineage(docs, Lineage())
    inferred = [d for d in lineage.inferred_documents if d.region == "遂宁市"]
    return docs, lineage, inferred


class TestWritten:
    def test_duties_carried_by_at_least_half_the_peers(self, counties):
        docs, lineage, inferred = counties
        (doc,) = inferred
        assert (doc.title, doc.region_path, doc.level, doc.year) == ("遂宁市2031年任务（由同期下级文件推断）", ["四川省", "遂宁市"], "city", 2031)
        seq = {it.item_id(doc.doc_id): it.seq for it in doc.items}
        names = {it.item_id(d.doc_id): (d.region, it.seq) for d in (CHUANSHAN, ANJU, PENGXI) for it in d.items}
        members: dict[int, set] = {}
        for l in lineage.links:
            if l.relation == "IMPLEMENTS" and l.parent in seq:
                members.setdefault(seq[l.parent], set()).add(names[l.child])
        # read off the texts: the local additions 船山区 4 and 蓬溪县 3 are one peer's each, below 2 of 3
        assert sorted(map(sorted, members.values())) == sorted(map(sorted, [
            {("船山区", 1), ("安居区", 1)},
            {("船山区", 2), ("安居区", 4), ("蓬溪县", 1)},
            {("船山区", 3), ("安居区", 2), ("安居区", 3)},
            {("安居区", 5), ("蓬溪县", 2)},
        ]))  # fmt: skip
        by_text = {frozenset(m): it for it in doc.items for s, m in members.items() if s == it.seq}
        assert by_text[frozenset({("船山区", 2), ("安居区", 4), ("蓬溪县", 1)})].text == "扎实推进财政预决算公开。"

    def test_who_lacks_what(self, counties):
        from policy_lineage.graph.coverage import coverage

        docs, lineage, inferred = counties
        rows = coverage([*docs, *inferred], lineage)
        gaps = {(r.child_region, r.parent_seq) for r in rows if r.status == "gap" and r.parent_doc == inferred[0].ref}
        text = {it.seq: it.text for it in inferred[0].items}
        lacking = {region: {text[s] for r, s in gaps if r == region} for region in ("船山区", "安居区", "蓬溪县")}
        assert lacking["安居区"] == set()
        assert lacking["船山区"] and all("第三方评估" in t for t in lacking["船山区"])
        assert len(lacking["蓬溪县"]) == 2 and any("人大代表建议" in t for t in lacking["蓬溪县"])

    def test_inferred_ids_are_stable(self, counties, seeds):
        _, lineage, _ = counties
        again = add_peer_lineage([PENGXI, ANJU, CHUANSHAN, *seeds], Lineage())
        assert sorted(l.link_id for l in again.links) == sorted(l.link_id for l in lineage.links)
        assert sorted(d.doc_id for d in again.inferred_documents) == sorted(d.doc_id for d in lineage.inferred_documents)


def test_shared_core_keeps_the_shortest_wording_of_each_shared_sentence():
    a = Item(1, "扎实推进财政预决算公开，完善公开参考样表。开展本区特色活动。")
    b = Item(1, "扎实推进财政预决算公开，完善公开参考样表，细化到项目。")
    c = Item(1, "做好政务新媒体管理。")
    idx = TextIndex.fit([a.text, b.text, c.text, "推进政务公开"])
    assert shared_core(idx, [("A", a), ("B", b)]) == "扎实推进财政预决算公开，完善公开参考样表。"
    assert shared_core(idx, [("A", c)]) == c.text  # one member: its own text


def test_a_peer_saying_part_of_a_shared_duty_is_partial(seeds):
    """Three counties of 乐山市 (neither the city's nor the province's 2031 plan is in the corpus):
    two say both sentences of the 预决算 duty, the third only the first, so it is partial and
    misses the second; the 政务开放日 duty only two say is a gap for the third."""
    from policy_lineage.graph.coverage import coverage

    def county(name, texts):
        return Document(f"2031年{name}政务公开工作要点", region=name, region_path=["四川省", "乐山市", name], level="county",
                        year=2031, items=[Item(k, t) for k, t in enumerate(texts, start=1)])  # fmt: skip

    a = county("市中区", ["扎实推进财政预决算公开，完善公开参考样表。每年开展一次预决算公开专项检查。", "积极开展“政务开放日”活动。"])
    b = county("沙湾区", ["扎实推进财政预决算公开，完善公开参考样表，细化到项目。每年开展一次预决算公开专项检查，通报检查结果。",
                         "各部门要积极开展“政务开放日”活动，邀请群众参与。"])  # fmt: skip
    c = county("五通桥区", ["扎实推进财政预决算公开。", "做好五通桥区特色产业招商信息发布。"])
    docs = [*seeds, a, b, c]
    lineage = add_peer_lineage(docs, Lineage())
    (plan,) = [d for d in lineage.inferred_documents if d.region == "乐山市"]
    rows = {(r.child_region, r.parent_seq): r for r in coverage([*docs, plan], lineage) if r.parent_doc == plan.ref}
    budget = next(it.seq for it in plan.items if "预决算" in it.text)
    open_day = next(it.seq for it in plan.items if "政务开放日" in it.text)
    assert rows[("市中区", budget)].status == rows[("沙湾区", budget)].status == "covered"
    assert rows[("五通桥区", budget)].status == "partial"
    assert [m for m in rows[("五通桥区", budget)].missing if "专项检查" in m] == rows[("五通桥区", budget)].missing != []
    assert rows[("五通桥区", open_day)].status == "gap"
    assert all("招商" not in it.text for it in plan.items)  # one peer's own addition, below half of three


# --------------------------------------------------------------------------- decisions and the real parent

#: 遂宁市's own 2031 plan, written to arrive after its counties (船山区, 安居区, 蓬溪县): the
#: duties in another order than the inferred plan numbers them, so a carried-over decision
#: cannot land on the right duty by its number.
SUINING_2031 = Document(
    "2031年遂宁市政务公开工作要点", region="遂宁市", region_path=["四川省", "遂宁市"], level="city", year=2031,
    items=[Item(1, "建立健全政务新媒体社会监督机制，开展第三方评估。"),
           Item(2, "加强“一老一小”服务保障、社会救助等重点民生政策推送，提高社会保险、住房、交通等服务信息公开覆盖度。"),
           Item(3, "及时公开人大代表建议和政协提案办理结果。"),
           Item(4, "扎实推进财政预决算公开，完善公开参考样表。")],
)  # fmt: skip


def _curated(docs, curation: Path):
    """Link and apply the curation file, as a build does (policy_lineage/pipeline.py)."""
    from policy_lineage.graph.curation import apply_decisions, load_decisions
    from policy_lineage.pipeline import link

    lineage = link(docs)
    result = apply_decisions(docs, lineage, load_decisions(curation))
    lineage.accepted_gaps = result.accepted_gaps
    return lineage, result


def _duty(plan: Document, words: str) -> Item:
    (duty,) = [it for it in plan.items if words in it.text]
    return duty


@pytest.fixture(scope="module")
def before(seeds):
    """The seeds and 遂宁市's three counties of 2031, linked: the city plan is inferred."""
    from policy_lineage.pipeline import link

    docs = [*seeds, CHUANSHAN, ANJU, PENGXI]
    (plan,) = [d for d in link(docs).inferred_documents if d.region == "遂宁市"]
    return docs, plan


@pytest.fixture(scope="module")
def after(before, tmp_path_factory):
    """Two decisions on the inferred plan, then 遂宁市's real plan added and the corpus rebuilt."""
    from policy_lineage.graph.curation import Decision, append_decision, item_ref, text_fingerprint

    docs, plan = before
    deputies = _duty(plan, "人大代表建议")  # 蓬溪县 has no such row
    budget = _duty(plan, "预决算")
    curation = tmp_path_factory.mktemp("curation") / "curation.toml"
    append_decision(curation, Decision("accept-gap", parent=item_ref(plan, deputies), region="蓬溪县", reason="本县无此职能"))
    append_decision(curation, Decision("reject", parent=item_ref(plan, budget), child=item_ref(PENGXI, PENGXI.items[0]),
                                       reason="只是措辞相近", parent_text=text_fingerprint(budget.text)))  # fmt: skip
    lineage, result = _curated([*docs, SUINING_2031], curation)
    return docs, plan, lineage, result


class TestRealParentArrives:
    """Decisions taken on the inferred 遂宁市 plan, then the real plan is ingested and the corpus rebuilt."""

    def test_before_the_inferred_duty_is_one_pengxi_lacks(self, before):
        _, plan = before
        members = _duty(plan, "人大代表建议").extra["members"]
        assert members and not [m for m in members if m.startswith(PENGXI.doc_id + "#")]

    def test_the_inferred_plan_is_kept_superseded_and_resolves_to_the_real_duties(self, after):
        _, plan, lineage, _ = after
        (again,) = [d for d in lineage.inferred_documents if d.region == "遂宁市"]
        assert again.doc_id == plan.doc_id and [it.text for it in again.items] == [it.text for it in plan.items]
        assert lineage.superseded == {plan.doc_id: SUINING_2031.doc_id}
        assert not [l for l in lineage.doc_links if l.parent == plan.doc_id]  # nobody answers to it now
        resolves = {(l.child, l.parent) for l in lineage.links if l.relation == "RESOLVES_TO"}
        real = {it.text[:6]: it.item_id(SUINING_2031.doc_id) for it in SUINING_2031.items}
        for words, real_key in (("人大代表建议", "及时公开人大"), ("预决算", "扎实推进财政"), ("第三方评估", "建立健全政务")):
            assert (_duty(plan, words).item_id(plan.doc_id), real[real_key]) in resolves

    def test_the_accepted_gap_stays_accepted_on_the_real_duty(self, after, tmp_path):
        from policy_lineage.graph.nxgraph import build_graph
        from policy_lineage.graph.store import open_store
        from policy_lineage.queries.runner import run_query

        docs, plan, lineage, result = after
        assert result.stale == [] and result.suspect == [] and result.applied == 2
        with open_store("ladybug", tmp_path / "graph.lbdb") as store:
            store.write(build_graph([*docs, SUINING_2031], lineage))
            rows = {r["parent_seq"]: r["status"] for r in run_query(store, "gaps", parent=SUINING_2031.ref, child="蓬溪县")}
            assert rows[3] == "accepted"  # 及时公开人大代表建议…: accepted on the inferred duty, carried over
            assert run_query(store, "gaps", parent=plan.ref, child=None) == []  # the record is no plan anyone answers to
            resolved = run_query(store, "resolved", doc=SUINING_2031.ref)
            assert {(r["duty_seq"], r["real_seq"]) for r in resolved} >= {(_duty(plan, "人大代表建议").seq, 3), (_duty(plan, "预决算").seq, 4)}
            assert {r["real_doc"] for r in resolved} == {SUINING_2031.ref}

    def test_a_rejected_member_link_is_rejected_on_the_real_duty_too(self, after):
        _, plan, lineage, _ = after
        pengxi = PENGXI.items[0].item_id(PENGXI.doc_id)
        status = {(l.parent, l.relation): l.status for l in lineage.links if l.child == pengxi}
        assert status[(_duty(plan, "预决算").item_id(plan.doc_id), "IMPLEMENTS")] == "rejected"
        assert status[(SUINING_2031.items[3].item_id(SUINING_2031.doc_id), "IMPLEMENTS")] == "rejected"

    def test_without_decisions_nothing_is_kept(self, before):
        from policy_lineage.pipeline import link

        docs, _ = before
        lineage = link([*docs, SUINING_2031])
        assert [d for d in lineage.inferred_documents if d.region == "遂宁市"] == [] and lineage.superseded == {}


# --------------------------------------------------------------------------- rejected sibling links


def test_a_rejected_sibling_link_joins_no_duty_on_rebuild(before, tmp_path):
    """船山区 3 says what 安居区 2 and 3 say; rejecting 船山区 3 ↔ 安居区 3 leaves 安居区 3 to one peer
    (below two of three), so the duty is 船山区 3 and 安居区 2 only, and the link stays, rejected."""
    from policy_lineage.graph.curation import Decision, append_decision, item_ref

    docs, _ = before
    cs3, aj3 = CHUANSHAN.items[2].item_id(CHUANSHAN.doc_id), ANJU.items[2].item_id(ANJU.doc_id)
    owner = {it.item_id(d.doc_id): (d, it) for d in (CHUANSHAN, ANJU) for it in d.items}

    def suining(lineage):
        (plan,) = [d for d in lineage.inferred_documents if d.region == "遂宁市"]
        return [set(it.extra["members"]) for it in plan.items]

    curation = tmp_path / "curation.toml"
    lineage, _ = _curated(docs, curation)  # no decision yet
    assert any({cs3, aj3} <= m for m in suining(lineage))
    (link,) = [l for l in lineage.links if l.relation == "SIBLING_OF" and {l.child, l.parent} == {cs3, aj3}]
    append_decision(curation, Decision("reject", parent=item_ref(*owner[link.parent]), child=item_ref(*owner[link.child]),
                                       relation="SIBLING_OF", reason="安居区3是服务信息公开，不是民生政策推送"))  # fmt: skip
    lineage, result = _curated(docs, curation)
    assert result.applied == 1 and not result.stale
    groups = suining(lineage)
    assert {cs3, ANJU.items[1].item_id(ANJU.doc_id)} in groups and not [m for m in groups if aj3 in m]
    (again,) = [l for l in lineage.links if l.relation == "SIBLING_OF" and {l.child, l.parent} == {cs3, aj3}]
    assert again.status == "rejected"


# --------------------------------------------------------------------------- stable duty numbers


def _numbered(lineage: Lineage, region: str, peers) -> dict[int, frozenset]:
    """Inferred duty seq → its members among ``peers``, as (region, item text)."""
    names = {it.item_id(d.doc_id): (d.region, it.text) for d in peers for it in d.items}
    (plan,) = [d for d in lineage.inferred_documents if d.region == region]
    return {it.seq: frozenset(names[m] for m in it.extra["members"] if m in names) for it in plan.items}


def test_duty_numbers_do_not_depend_on_input_order(seeds):
    docs = [*seeds, CHUANSHAN, ANJU, PENGXI]
    one = _numbered(add_peer_lineage(docs, Lineage()), "遂宁市", docs)
    other = _numbered(add_peer_lineage(list(reversed(docs)), Lineage()), "遂宁市", docs)
    assert one == other and sorted(one) == list(range(1, len(one) + 1))


def test_rows_added_to_a_later_peer_keep_every_earlier_duty_number(seeds):
    """Two peers of 乐山市 that order three shared duties differently; the peer that is not first
    (by document id) then gets six rows of its own at its end.  Two peers keep every task, so
    six duties are added — after the others: every earlier duty keeps its number (numbering
    by mean relative position, as before, would swap the first two: the later peer's rows
    all move up in relative terms)."""
    from dataclasses import replace as with_

    def county(name):
        return Document(f"2031年{name}政务公开工作要点", region=name, region_path=["四川省", "乐山市", name], level="county", year=2031)

    def numbered(texts):
        return [Item(k, t) for k, t in enumerate(texts, start=1)]

    first, later = sorted([county("市中区"), county("沙湾区")], key=lambda d: d.doc_id)
    first = with_(first, items=numbered(["扎实推进财政预决算公开，完善公开参考样表。", "积极开展“政务开放日”活动。",
                                         "及时公开人大代表建议和政协提案办理结果。"]))  # fmt: skip
    later = with_(later, items=numbered(["各部门要积极开展“政务开放日”活动，邀请群众参与。", "及时公开人大代表建议和政协委员提案办理结果。",
                                         "扎实推进财政预决算公开，完善公开参考样表，细化到项目。"]))  # fmt: skip
    own = ["做好本区特色农产品推介信息发布。", "推进本区地名信息公开。", "公布本区河长名单。", "发布本区旅游节庆活动安排。",
           "公开本区义务教育招生划片结果。", "做好本区防汛抗旱预警信息发布。"]  # fmt: skip
    grown = with_(later, items=numbered([it.text for it in later.items] + own))
    before = _numbered(add_peer_lineage([*seeds, first, later], Lineage()), "乐山市", [first, later])
    after = _numbered(add_peer_lineage([*seeds, first, grown], Lineage()), "乐山市", [first, grown])
    assert len(before) == 3 and all(len(m) == 2 for m in before.values())  # the three shared duties
    assert [before[s] for s in sorted(before)] == [after[s] for s in sorted(before)]
    assert {frozenset({(grown.region, t)}) for t in own} == {after[s] for s in sorted(after)[3:]}
