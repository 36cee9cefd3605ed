"""Item linking: merges, splits, drops and reordering on hand-made documents; the seeds end to end."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from policy_lineage.graph.clauses import split_clauses
from policy_lineage.graph.coverage import coverage
from policy_lineage.graph.lineage import document_parents
from policy_lineage.graph.linking import (
    DEFAULT_PARAMS,
    align,
    corpus_formulas,
    corpus_index,
    distinctive_words,
    link_documents,
    mutual_best,
    order_consistent,
    order_reliability,
    own_clause_scores,
    phrase_votes,
    score_pairs,
)
from policy_lineage.graph.model import Document, Item, Lineage

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

PARENT_DUTIES = [
    "推进财政信息公开。不断扩大预决算公开范围。推动地方政府债务信息公开,定期公开债务限额、余额等信息。推进政府采购信息依法规范公开。",
    "做好重大政策解读。坚持政策文件与解读方案同步组织、同步审签、同步部署。采用图文解析、简明问答等方式开展解读。",
    "加快构建群众关切回应体系。统筹热线电话、领导信箱和网络问政等群众诉求渠道。建立健全回应评价机制。",
    "加强政府网站和政务新媒体建设维护。推动政务新媒体与政府网站融合发展。严格内容发布审核把关。年底前县级以上政府门户网站全部支持互联网协议第六版(IPv6)。",
    "提升政府公报服务水平。政府公报统一刊登本级规章和规范性文件。优化赠阅范围,确保赠刊见刊。",
    "加强政务公开队伍建设。配齐配强专职工作人员。将《条例》纳入领导干部学法和公务员初任培训课程。",
]

#: local item → the duties it implements (by 1-based number); the province's 5 is dropped
LOCAL_ITEMS = [
    ("加强队伍建设。配齐配强专职工作人员,将《条例》纳入领导干部学法和公务员初任培训课程。", {6}),  # moved first
    ("推进财政预决算和政府债务信息公开。扩大预决算公开范围,定期公开地方政府债务限额、余额信息。", {1}),  # split 1/2
    ("推进政府采购信息公开。依法规范公开政府采购信息。", {1}),  # split 2/2
    (
        "做好政策解读和群众关切回应。坚持政策文件与解读方案同步组织、同步审签,统筹热线电话、领导信箱和网络问政等群众诉求渠道。",
        {2, 3},
    ),  # merge
    ("加强网站和政务新媒体建设维护。推动政务新媒体与政府网站融合发展,严格内容发布审核把关。", {4}),  # no IPv6
    ("开展乡村振兴专项宣传。组织农技人员下乡开展种植养殖技术培训。", set()),  # local task, no duty
]


def _title(text):
    return text.split("。", 1)[0]


@pytest.fixture(scope="module")
def handmade():
    parent = Document(
        "全省政务公开重点工作安排", doc_no="川办发〔2031〕1号", level="province", region="四川省",
        region_path=["四川省"], year=2031,
        items=[Item(k, t, title=_title(t)) for k, t in enumerate(PARENT_DUTIES, start=1)],
    )
    child = Document(
        "全区政务公开重点任务分工方案", level="county", region="安居区",
        region_path=["四川省", "遂宁市", "安居区"], year=2031,
        items=[Item(k, t, title=_title(t)) for k, (t, _) in enumerate(LOCAL_ITEMS, start=1)],
    )
    docs = [parent, child]
    return docs, link_documents(docs, document_parents(docs))


def _pairs(docs, lineage, relation="IMPLEMENTS"):
    seq = {it.item_id(d.doc_id): it.seq for d in docs for it in d.items}
    links = lineage.links if relation == "IMPLEMENTS" else lineage.candidates
    return {(seq[l.child], seq[l.parent]) for l in links if l.relation == relation}


class TestHandmade:
    def test_merge_split_drop_reorder(self, handmade):
        docs, lineage = handmade
        expected = {(k, p) for k, (_, ps) in enumerate(LOCAL_ITEMS, start=1) for p in ps}
        assert _pairs(docs, lineage) == expected

    def test_every_link_has_score_method_status_and_evidence(self, handmade):
        _, lineage = handmade
        for l in lineage.links:
            assert l.relation == "IMPLEMENTS" and l.status == "auto" and l.method
            assert l.score > 0 and l.evidence

    def test_merged_item_evidence_names_each_duty(self, handmade):
        docs, lineage = handmade
        merged = {l.parent.rsplit("#", 1)[1]: l.evidence for l in lineage.links if l.child.endswith("#4")}
        assert set(merged) == {"2", "3"}
        assert any("解读" in e for e in merged["2"])
        assert any(e in ("热线电话", "领导信箱", "网络问政", "诉求") for e in merged["3"])

    def test_dropped_duty_is_a_gap_and_nothing_local_resembles_it(self, handmade):
        docs, lineage = handmade
        rows = {r.parent_seq: r for r in coverage(docs, lineage)}
        assert rows[5].status == "gap"
        assert rows[5].best_score is None or rows[5].best_score < DEFAULT_PARAMS.best_threshold

    def test_partial_duty_misses_the_ipv6_clause(self, handmade):
        docs, lineage = handmade
        rows = {r.parent_seq: r for r in coverage(docs, lineage)}
        assert rows[4].status == "partial"
        assert len(rows[4].missing) == 1 and "IPv6" in rows[4].missing[0]
        assert rows[6].status == "covered"

    def test_split_duty_is_covered_by_both_local_items(self, handmade):
        docs, lineage = handmade
        rows = {r.parent_seq: r for r in coverage(docs, lineage)}
        assert [c.rsplit("#", 1)[1] for c in rows[1].children] == ["2", "3"]
        assert rows[1].status == "covered"


class TestAlignment:
    def test_monotone_path_skips_out_of_order_match(self):
        s = np.array([[0.9, 0.1, 0.1, 0.1], [0.1, 0.1, 0.1, 0.8], [0.1, 0.8, 0.1, 0.1], [0.1, 0.1, 0.1, 0.9]])
        assert align(s, 0.2) == {0: 0, 2: 1, 3: 3}

    def test_consecutive_items_may_split_one_duty(self):
        s = np.array([[0.9, 0.1], [0.8, 0.1], [0.1, 0.9]])
        assert align(s, 0.2) == {0: 0, 1: 0, 2: 1}

    def test_consistency_window(self):
        path = {0: 0, 2: 3}
        assert order_consistent(1, 2, path, 5) and not order_consistent(1, 4, path, 5)

    def test_reliability_is_zero_for_a_shuffled_table(self):
        shuffled = np.eye(6)[[3, 0, 5, 1, 4, 2]]
        assert order_reliability(shuffled, 0.5) < 0.3 < order_reliability(np.eye(6), 0.5)


@pytest.fixture(scope="module")
def seeds():
    from policy_lineage.ingest.parser import parse_file

    docs = [parse_file(p) for p in sorted(SEEDS.iterdir()) if p.suffix in (".txt", ".md")]
    return docs, link_documents(docs, document_parents(docs))


class TestSeeds:
    def test_no_link_across_cycles(self, seeds):
        docs, lineage = seeds
        year = {it.item_id(d.doc_id): d.year for d in docs for it in d.items}
        for l in lineage.links + lineage.candidates:
            assert year[l.child] == year[l.parent]
        later = {d.doc_id for d in docs if d.year == 2023}
        assert not any(l.child.split("#")[0] in later for l in lineage.links)

    def test_link_ids_stable_across_runs(self, seeds):
        from policy_lineage.ingest.parser import parse_file

        docs, lineage = seeds
        again = [parse_file(p) for p in sorted(SEEDS.iterdir()) if p.suffix in (".txt", ".md")]
        second = link_documents(again, document_parents(again))
        assert [l.link_id for l in lineage.links] == [l.link_id for l in second.links]
        assert [(l.score, l.evidence) for l in lineage.links] == [(l.score, l.evidence) for l in second.links]

    def test_anju_merges_province_11_and_12(self, seeds):
        """安居区 (十) 加快完善群众关切回应机制 carries both 构建回应体系 (十一) and 闭环机制 (十二)."""
        docs, lineage = seeds
        anju = next(d for d in docs if d.region == "安居区")
        parents = sorted(int(l.parent.rsplit("#", 1)[1]) for l in lineage.links if l.child == f"{anju.doc_id}#10")
        assert parents == [11, 12]

    def test_anju_drops_province_3_and_misses_ipv6(self, seeds):
        docs, lineage = seeds
        rows = {r.parent_seq: r for r in coverage(docs, lineage) if r.child_region == "安居区"}
        assert rows[18].status == "partial"
        assert len(rows[18].missing) == 1 and "IPv6" in rows[18].missing[0]
        assert rows[18].children == [f"{next(d for d in docs if d.region == '安居区').doc_id}#15"]
        # (三) 推进办事服务公开标准化 has no 安居区 item; the report still names the nearest one
        assert rows[3].status == "gap"
        assert rows[3].best_candidate is not None and rows[3].best_score < DEFAULT_PARAMS.threshold


#: a city table that regroups and rewords its parent's duties (one per row, in its own words)
REWORDED_ITEMS = [
    ("配齐配强专职工作人员,将《条例》纳入领导干部学法和公务员初任培训课程。", {6}),
    ("在档案馆和图书馆设置查阅点，方便群众免费翻阅本级规章汇编。", {5}),  # 政府公报, no shared heading word
    ("开展乡村振兴专项宣传。组织农技人员下乡开展种植养殖技术培训。", set()),  # its best duty is row 1's
]


def test_reworded_row_links_to_its_duty_when_each_is_the_others_best():
    """A row scoring below best_threshold everywhere is linked to a duty that has no better row."""
    parent = Document("全省政务公开重点工作安排", doc_no="川办发〔2031〕3号", level="province", region="四川省",
                      region_path=["四川省"], year=2031,
                      items=[Item(k, t, title=_title(t)) for k, t in enumerate(PARENT_DUTIES, start=1)])
    child = Document("全市深化政务公开重点任务分工", level="city", region="眉山市", region_path=["四川省", "眉山市"],
                     year=2031, items=[Item(k, t) for k, (t, _) in enumerate(REWORDED_ITEMS, start=1)])
    docs = [parent, child]
    lineage = link_documents(docs, document_parents(docs))
    expected = {(k, p) for k, (_, ps) in enumerate(REWORDED_ITEMS, start=1) for p in ps}
    assert _pairs(docs, lineage) == expected
    reworded = next(l for l in lineage.links if l.child.endswith("#2"))
    assert reworded.score < DEFAULT_PARAMS.best_threshold  # linked by the mutual-best rule, not the threshold


#: restates duty 3's heading (加快构建群众关切回应体系) but none of its body's obligations
HEADING_ROW = "围绕群众关切回应体系，组织专人回复留言，做好答复解释。"


def _plan(rows, region="眉山市"):
    return Document("全市深化政务公开重点任务分工", level="city", region=region, region_path=["四川省", region],
                    year=2031, items=[Item(k, t) for k, t in enumerate(rows, start=1)])


def _province():
    return Document("全省政务公开重点工作安排", doc_no="川办发〔2031〕4号", level="province", region="四川省",
                    region_path=["四川省"], year=2031,
                    items=[Item(k, t, title=_title(t)) for k, t in enumerate(PARENT_DUTIES, start=1)])


def _score(docs, lineage, child_seq, parent_seq):
    pairs = {(l.child.rsplit("#", 1)[1], l.parent.rsplit("#", 1)[1]): l.score for l in lineage.links}
    return pairs[(str(child_seq), str(parent_seq))]


def test_duty_headings_count_as_clauses_only_where_the_plan_does_not_follow_its_parent():
    parent = _province()
    bodies = [t.split("。", 1)[1] for t in PARENT_DUTIES]
    regrouped = _plan([bodies[5], "开展乡村振兴专项宣传。组织农技人员下乡开展种植养殖技术培训。", HEADING_ROW])
    # every obligation sentence a row of its own, in the parent's order, the heading row in duty 3's place
    sentences = [[c + "。" for c in b.split("。") if c] for b in bodies]
    ordered = _plan([*sentences[0], *sentences[1], HEADING_ROW, *[c for b in sentences[3:] for c in b]], region="乐山市")
    index = corpus_index([parent, regrouped, ordered])
    row = [Item(1, HEADING_ROW)]
    plain = float(score_pairs(index, row, parent.items)["text"][0, 2])
    headed = float(score_pairs(index, row, parent.items, headings=True)["text"][0, 2])
    assert headed > plain + 0.05
    docs = [parent, regrouped, ordered]
    lineage = link_documents(docs, document_parents(docs))
    by_doc = lambda d: Lineage(links=[l for l in lineage.links if l.child.startswith(d.doc_id + "#")])  # noqa: E731
    # regrouped (no order to go by): the heading counts, and nothing else adds to the score
    assert _score(docs, by_doc(regrouped), 3, 3) == pytest.approx(headed, abs=1e-4)
    # in order: position tells the duties apart; with the heading the score would exceed `headed`
    row = len(sentences[0]) + len(sentences[1]) + 1
    assert _score(docs, by_doc(ordered), row, 3) < headed


def test_mutual_best_needs_both_directions_and_the_floor():
    score = np.array([[0.30, 0.02, 0.01], [0.20, 0.06, 0.01], [0.01, 0.01, 0.04]])
    # row 1's best duty (0) has row 0 as its best; row 2 is duty 2's best but under the floor
    assert mutual_best(score, 0.05) == {0}
    assert mutual_best(score, 0.01) == {0, 2}
    assert mutual_best(np.zeros((0, 3)), 0.05) == set()


def test_empty_and_punctuation_items_do_not_break_linking():
    parent = Document("省安排", doc_no="川办发〔2031〕2号", level="province", region_path=["四川省"], year=2031,
                      items=[Item(1, "推进财政信息公开。扩大预决算公开范围。", title="推进财政信息公开")])
    child = Document("区方案", level="county", region="安居区", region_path=["四川省", "遂宁市", "安居区"], year=2031,
                     items=[Item(1, ""), Item(2, "扩大预决算公开范围。"), Item(3, "——")])
    lineage = link_documents([parent, child], document_parents([parent, child]))
    assert [(l.child, l.parent) for l in lineage.links] == [(f"{child.doc_id}#2", "doc:川办发〔2031〕2号#1")]
    assert [c.text for c in lineage.clauses] == ["扩大预决算公开范围。"]
    rows = coverage([parent, child], lineage)
    assert [(r.status, r.missing) for r in rows] == [("covered", [])]


def test_a_sentence_repeated_under_several_duties_does_not_link_them():
    """每季度开展一次自查… closes several duties in both plans; it must not tie 财政 to 公报."""
    tail = "每季度开展一次自查，发现问题及时整改。"
    parent = Document(
        "全省安排", doc_no="川办发〔2031〕3号", level="province", region_path=["四川省"], year=2031,
        items=[Item(k, t + tail, title=_title(t)) if k in (1, 5) else Item(k, t, title=_title(t))
               for k, t in enumerate(PARENT_DUTIES, start=1)],
    )
    child = Document(
        "全区方案", level="county", region="安居区", region_path=["四川省", "遂宁市", "安居区"], year=2031,
        items=[Item(1, LOCAL_ITEMS[1][0] + tail, title="推进财政预决算和政府债务信息公开"),
               Item(2, LOCAL_ITEMS[5][0] + tail, title="开展乡村振兴专项宣传")],
    )
    docs = [parent, child]
    lineage = link_documents(docs, document_parents(docs))
    assert _pairs(docs, lineage) == {(1, 1)}


def test_a_second_duty_needs_a_clause_of_its_own():
    """Two duties word one theme twice; the item carrying the first is not linked to the second."""
    other_wording = "切实推进财政预决算信息公开。不断扩大预决算公开的范围和内容。推进政府采购信息依法公开。"
    parent = _province()
    parent.items.append(Item(7, other_wording, title=_title(other_wording)))
    child = _plan([PARENT_DUTIES[0], LOCAL_ITEMS[3][0]], region="乐山市")
    docs = [parent, child]
    index = corpus_index(docs)
    text = score_pairs(index, child.items, parent.items)["text"]
    assert text[0, 6] >= DEFAULT_PARAMS.threshold and text[0, 6] >= DEFAULT_PARAMS.second_ratio * text[0].max()
    own = own_clause_scores(index, child.items, parent.items, text.argmax(axis=1))
    assert own[0, 6] < DEFAULT_PARAMS.own_clause  # every clause is duty 1's own wording
    assert own[1, 1] >= DEFAULT_PARAMS.own_clause and own[1, 2] >= DEFAULT_PARAMS.own_clause  # a merge keeps both
    assert _pairs(docs, link_documents(docs, document_parents(docs))) == {(1, 1), (2, 2), (2, 3)}


def test_distinctive_words_are_those_few_sibling_duties_use():
    words = distinctive_words([Item(k, t) for k, t in enumerate(PARENT_DUTIES, start=1)], 1)
    assert "互联网协议" in words[3] and "赠刊" in words[4] and "热线电话" in words[2]
    assert not any("公开" in ws for ws in words)  # four of the six duties say 公开


def test_a_closing_formula_found_across_the_corpus_takes_no_part_in_clause_matching():
    """A sentence closing items under many headings is a formula; a duty's own sentence, carried
    by every plan under one heading, is not, however many plans carry it."""
    formula = "每半年报送一次工作进展。"
    carried = "不断扩大预决算公开范围。"
    topics = ["财政", "公报", "解读", "网站", "新媒体", "采购", "审计", "教育", "就业", "养老",
              "医疗", "环保", "住房", "交通", "水利", "农业", "文旅", "统计", "税务", "市场",
              "应急", "民政", "司法", "人社", "自然资源", "生态", "商务", "体育", "卫健", "退役"]
    docs = [
        Document(f"第{k}号方案", doc_no=f"川办发〔2031〕{k + 10}号", level="county", region_path=["四川省"], year=2031,
                 items=[Item(1, f"推进财政信息公开。{carried}", title="推进财政信息公开"),
                        Item(2, f"做好{topic}信息公开。公开{topic}领域办事指南。{formula}", title=f"做好{topic}信息公开")])
        for k, topic in enumerate(topics)
    ]
    formulas = corpus_formulas(docs)
    assert formula in formulas and carried not in formulas
    assert corpus_formulas(docs[:5]) == set()  # a small corpus has too few headings to tell


def test_an_unclosed_bracket_does_not_swallow_the_sentences_after_it():
    # a heading cut inside its bracket, as a parser may leave it
    text = "市政府办公室将适时对各乡镇（街。市政府办公室将适时对各乡镇（街道）各部门开展监督检查。扎实推进财政预决算公开，完善公开参考样表。"
    assert split_clauses(text) == [
        "市政府办公室将适时对各乡镇（街。",
        "市政府办公室将适时对各乡镇（街道）各部门开展监督检查。",
        "扎实推进财政预决算公开，完善公开参考样表。",
    ]
    assert split_clauses("公开（一）预算信息。（二）决算信息") == ["公开（一）预算信息。（二）决算信息"]  # closed: unchanged


def test_a_link_below_the_threshold_needs_a_word_few_duties_use():
    """A local task sharing only the genre's words (政府) is nobody's duty, even as a best match."""
    more = ["完善政府信息公开制度。健全政府信息公开服务制度。", "推进政府服务公开。公开政府服务事项和办事指南。",
            "规范政府公开平台。完善政府网站公开服务功能。", "做好政府公开培训。组织政府公开业务培训。"]
    duties = PARENT_DUTIES + more
    parent = Document("全省安排", doc_no="川办发〔2031〕9号", level="province", region_path=["四川省"], year=2031,
                      items=[Item(k, t, title=_title(t)) for k, t in enumerate(duties, start=1)])
    rows = [t for k, t in enumerate(duties, start=1) if k != 5] + ["加强政府自身建设，营造良好氛围。"]
    child = Document("全区方案", level="county", region="安居区", region_path=["四川省", "遂宁市", "安居区"], year=2031,
                     items=[Item(k, t, title=_title(t)) for k, t in enumerate(rows, start=1)])
    docs = [parent, child]
    local = len(rows)
    linked = _pairs(docs, link_documents(docs, document_parents(docs)))
    assert not {p for c, p in linked if c == local}
    # the same decision without the rule: every word counts as distinctive
    anyword = dataclasses.replace(DEFAULT_PARAMS, distinctive_duties=len(duties))
    assert {p for c, p in _pairs(docs, link_documents(docs, document_parents(docs), anyword)) if c == local}


#: names duty 3's channels in a scope qualifier, but every other phrase is duty 2's 解读
QUALIFIED_ROW = "对网络问政等群众诉求渠道反映集中的重要政策，建立解读人制度，做好即时解读、跟踪解读，丰富解读形式。"


def test_below_the_threshold_the_duty_most_phrases_match_is_the_best():
    parent = _province()
    child = _plan([QUALIFIED_ROW, "开展乡村振兴专项宣传。组织农技人员下乡开展种植养殖技术培训。"])
    docs = [parent, child]
    index = corpus_index(docs)
    score = score_pairs(index, child.items[:1], parent.items, headings=True)["text"][0]
    assert score.argmax() == 2 and score.max() < DEFAULT_PARAMS.threshold  # the qualifier's duty scores highest
    votes = phrase_votes(index, child.items[:1], parent.items, DEFAULT_PARAMS.candidate_floor)[0]
    assert votes.argmax() == 1
    lineage = link_documents(docs, document_parents(docs))
    assert {p for c, p in _pairs(docs, lineage) if c == 1} == {2}
