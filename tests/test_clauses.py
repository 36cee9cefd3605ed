"""Obligation clauses of a duty: real seed items and the splitting rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from policy_lineage.graph.clauses import item_clauses, item_text, split_clauses
from policy_lineage.graph.model import Item

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def province():
    from policy_lineage.ingest.parser import parse_file

    return parse_file(SEEDS / "sichuan-2021-chuanbanfa-16-province.txt")


class TestSeedItems:
    def test_province_18_has_five_obligations_ending_with_ipv6(self, province):
        """(十八)加强建设维护, read off the PDF text: heading, then five sentences."""
        item = next(it for it in province.items if it.seq == 18)
        clauses = split_clauses(item.text, item.title)
        assert [c[:8] for c in clauses] == ["推动省市集约化平", "推动政务新媒体与", "严格内容发布审核", "定期核验办事服务", "2021年底前,"]
        assert "IPv6" in clauses[-1] and "IPv6" not in "".join(clauses[:-1])

    def test_province_4_keeps_its_short_last_duty(self, province):
        item = next(it for it in province.items if it.seq == 4)
        clauses = split_clauses(item.text, item.title)
        assert len(clauses) == 4
        assert clauses[-1] == "开展政务开放日活动。"

    def test_every_province_item_has_clauses_without_its_heading(self, province):
        for it in province.items:
            clauses = split_clauses(it.text, it.title)
            assert 2 <= len(clauses) <= 5, it.seq
            assert not clauses[0].startswith(it.title + "。")

    def test_clause_ids_follow_the_item(self, province):
        item = next(it for it in province.items if it.seq == 18)
        ids = [c.clause_id for c in item_clauses(item.item_id(province.doc_id), item)]
        assert ids == [f"doc:川办发〔2021〕16号#18/c{k}" for k in range(5)]


class TestRules:
    def test_semicolons_and_enumerations_split(self):
        assert split_clauses("一是公开预算执行情况；二是公开决算草案；三是公开债务限额。") == [
            "一是公开预算执行情况；",
            "二是公开决算草案；",
            "三是公开债务限额。",
        ]

    def test_no_split_inside_brackets_or_book_titles(self):
        text = "按照《政府信息公开条例（2019年修订）》规定（包括主动公开；依申请公开）做好公开工作。"
        assert split_clauses(text) == [text]

    def test_short_fragment_joins_the_previous_clause(self):
        assert split_clauses("完善政务公开工作考核办法。等。") == ["完善政务公开工作考核办法。等。"]

    def test_heading_dropped_only_when_repeated(self):
        assert split_clauses("推进财政信息公开。扩大预决算公开范围。", "推进财政信息公开") == ["扩大预决算公开范围。"]
        assert split_clauses("推进财政信息公开。扩大预决算公开范围。") == ["推进财政信息公开。", "扩大预决算公开范围。"]

    def test_one_sentence_item_is_its_own_clause(self):
        assert split_clauses("做好督查和审计发现问题及整改落实情况的公开。") == ["做好督查和审计发现问题及整改落实情况的公开。"]

    def test_empty_text_has_no_clause(self):
        assert split_clauses("") == [] and split_clauses("。；") == []

    def test_item_text_adds_a_table_rows_task_name(self):
        row = Item(3, "及时公布清理结果。", title="做好专栏内容保障工作")
        assert item_text(row) == "做好专栏内容保障工作。及时公布清理结果。"
