"""Speed-ups of the text index must not change what it computes."""

from __future__ import annotations

from pathlib import Path

from policy_lineage.graph.textsim import TextIndex, _segment, _tokenizer

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _lines() -> list[str]:
    lines = [l.strip() for f in sorted(SEEDS.glob("*")) if f.is_file() for l in f.read_text(encoding="utf-8").splitlines()]
    return [l for l in lines if l]


def test_segmenting_runs_of_hanzi_one_by_one_gives_jieba_s_tokens():
    # jieba cuts each run of 汉字/letters/digits on its own; the cache per run relies on that
    lines = _lines()
    assert len(lines) > 500
    for line in lines + ["IPv6、“互联网+政务服务”（2021年底前）100%", "  ", ""]:
        assert _segment(line) == tuple(_tokenizer().cut_for_search(line)), line


def test_prepared_and_lazily_added_texts_give_the_same_vectors():
    texts = _lines()[:300]
    eager = TextIndex.fit(texts)
    eager.prepare(texts + ["一段新的文字。"])
    lazy = TextIndex.fit(texts)
    for a, b in zip(eager.similarity(texts[:50], texts[50:120]), lazy.similarity(texts[:50], texts[50:120])):
        assert (abs(a - b) < 1e-12).all()
