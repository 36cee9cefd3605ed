"""Curation decisions: written to a diffable file, re-applied to a fresh lineage, never lost."""

from __future__ import annotations

import tomllib

import pytest

from policy_lineage.errors import LineageError
from policy_lineage.graph.curation import (
    Decision,
    append_decision,
    apply_decisions,
    describe,
    load_decisions,
    resolve_ref,
    text_fingerprint,
)
from policy_lineage.graph.model import Document, Item, Lineage, Link


def documents(parent_text: str = "开展政务新媒体季度抽查。2021年底前完成IPv6改造。"):
    province = Document(title="四川省工作安排", doc_no="川办发〔2021〕16号", year=2021, items=[
        Item(seq=17, text="深化清理整合政务新媒体。"),
        Item(seq=18, text=parent_text),
    ])
    county = Document(title="安居区分工方案", region="安居区", year=2021, items=[
        Item(seq=15, text="开展政务新媒体季度抽查。"),
        Item(seq=16, text="清理整合政务新媒体。"),
    ])
    return [province, county]


def fresh_lineage(docs):
    """What the linker would produce: one right link and one wrong one."""
    p, c = docs
    return Lineage(links=[
        Link(child=c.items[0].item_id(c.doc_id), parent=p.items[1].item_id(p.doc_id), score=0.8, method="auto"),
        Link(child=c.items[1].item_id(c.doc_id), parent=p.items[1].item_id(p.doc_id), score=0.4, method="auto"),
    ])


def test_refs_name_items_by_document_ref_and_seq():
    docs = documents()
    doc, item = resolve_ref("川办发〔2021〕16号#18", docs)
    assert (doc.doc_no, item.seq) == ("川办发〔2021〕16号", 18)
    assert resolve_ref("安居区分工方案#16", docs)[1].text == "清理整合政务新媒体。"
    assert resolve_ref("川办发〔2021〕16号#99", docs) is None
    assert resolve_ref("no-hash", docs) is None


def test_file_is_appended_and_readable_toml(tmp_path):
    path = tmp_path / "curation.toml"
    append_decision(path, Decision("reject", parent="川办发〔2021〕16号#18", child="安居区分工方案#16", reason='不是"同一"任务'))
    append_decision(path, Decision("accept-gap", parent="川办发〔2021〕16号#17", region="安居区", reason="本区无此职能"))
    text = path.read_text(encoding="utf-8")
    assert text.splitlines().count("[[decision]]") == 2 and text.startswith("# policy-lineage curation")
    data = tomllib.loads(text)
    assert data["decision"][0]["reason"] == '不是"同一"任务'
    assert [d.kind for d in load_decisions(path)] == ["reject", "accept-gap"]


def test_decisions_survive_a_rebuild(tmp_path):
    path = tmp_path / "curation.toml"
    docs = documents()
    append_decision(path, Decision("reject", parent="川办发〔2021〕16号#18", child="安居区分工方案#16"))
    append_decision(path, Decision("accept", parent="川办发〔2021〕16号#18", child="安居区分工方案#15",
                                   parent_text=text_fingerprint(docs[0].items[1].text)))
    append_decision(path, Decision("link", parent="川办发〔2021〕16号#17", child="安居区分工方案#16"))
    append_decision(path, Decision("accept-gap", parent="川办发〔2021〕16号#17", region="安居区", reason="不适用"))
    for _ in range(2):  # two rebuilds: fresh links each time, same outcome
        lineage = fresh_lineage(docs)
        result = apply_decisions(docs, lineage, load_decisions(path))
        status = {(l.child.split("#")[-1], l.parent.split("#")[-1]): l.status for l in lineage.links}
        assert status == {("15", "18"): "confirmed", ("16", "18"): "rejected", ("16", "17"): "confirmed"}
        assert result.applied == 4 and not result.stale and not result.suspect
        assert [(g[1], g[2]) for g in result.accepted_gaps] == [("安居区", "不适用")]
    manual = next(l for l in lineage.links if l.method == "manual")
    assert manual.score == 1.0


def test_changed_parent_text_makes_the_link_suspect(tmp_path):
    path = tmp_path / "curation.toml"
    before = documents()
    append_decision(path, Decision("accept", parent="川办发〔2021〕16号#18", child="安居区分工方案#15",
                                   parent_text=text_fingerprint(before[0].items[1].text)))
    after = documents(parent_text="开展政务新媒体月度抽查，全覆盖。")
    lineage = fresh_lineage(after)
    result = apply_decisions(after, lineage, load_decisions(path))
    assert [l.status for l in lineage.links if l.child.endswith("#15")] == ["suspect"]
    assert len(result.suspect) == 1


def test_decision_on_a_vanished_item_is_reported_not_dropped(tmp_path):
    path = tmp_path / "curation.toml"
    append_decision(path, Decision("reject", parent="川办发〔2021〕16号#18", child="安居区分工方案#99"))
    docs = documents()
    result = apply_decisions(docs, fresh_lineage(docs), load_decisions(path))
    assert result.applied == 0
    assert result.stale[0][1] == "child item 安居区分工方案#99 no longer exists"
    assert "安居区分工方案#99" in path.read_text(encoding="utf-8")  # the file keeps it


def test_a_broken_curation_file_is_one_clear_error(tmp_path):
    path = tmp_path / "curation.toml"
    path.write_text("[[decision]]\nkind = 'maybe'\n", encoding="utf-8")
    with pytest.raises(LineageError, match="curation.toml: decision 1 needs kind"):
        load_decisions(path)
    path.write_text("[[decision]\n", encoding="utf-8")
    with pytest.raises(LineageError, match="not a valid curation file"):
        load_decisions(path)


def test_accepted_gap_for_a_region_without_a_document_is_reported(tmp_path):
    path = tmp_path / "curation.toml"
    append_decision(path, Decision("accept-gap", parent="川办发〔2021〕16号#17", region="遂宁市", reason="代管"))
    docs = documents()
    result = apply_decisions(docs, fresh_lineage(docs), load_decisions(path))
    assert (result.applied, result.accepted_gaps) == (0, [])
    assert result.stale[0][1].startswith("no document of region 遂宁市 is ingested")
    assert "stale accept-gap 川办发〔2021〕16号#17 in 遂宁市" in "\n".join(describe(result))


def test_decisions_on_inferred_duties_apply(tmp_path):
    """A duty inferred for peers' missing parent (Lineage.inferred_documents) is reviewed like a printed one."""
    path = tmp_path / "curation.toml"
    province, county = documents()
    stand_in = Document(title="四川省2021年任务（推断）", year=2021, items=[Item(seq=1, text="开展政务新媒体季度抽查。")])
    link = Link(child=county.items[0].item_id(county.doc_id), parent=stand_in.items[0].item_id(stand_in.doc_id), score=0.5)
    append_decision(path, Decision("reject", parent="四川省2021年任务（推断）#1", child="安居区分工方案#15"))
    result = apply_decisions([province, county], Lineage(links=[link], inferred_documents=[stand_in]), load_decisions(path))
    assert (result.applied, result.stale, link.status) == (1, [], "rejected")
