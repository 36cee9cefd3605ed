"""Text similarity for linking: normalisation, tokens, TF-IDF vectors and shared key phrases.

Two views of a text are indexed together:

* **words** — jieba tokens (with the project's 政务公开 user dictionary, via
  :func:`policy_lineage.ingest.nlp.segment`), punctuation, digits and single characters dropped;
* **characters** — 2- and 3-grams of the normalised text, which survive segmentation
  differences (安居区行政权力清单 vs 本地行政权力清单) and PDF line-break repairs.

Each view is TF-IDF weighted (sublinear tf) and L2-normalised; the two are concatenated with
equal weight and normalised again, so a cosine is the mean of the two views' cosines.  IDF is
fitted on the whole corpus being linked: words that every plan repeats (政务公开, 推进, 加强) weigh
little, words that name a duty's object (好差评, 政府公报, IPv6) weigh much.

Notes
-----
Digits are folded to ``0`` before indexing: dates and counts (2021年底前, 25%) differ between a
parent and its local version and would otherwise make siblings of one cycle look alike.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.preprocessing import normalize

__all__ = ["normalise", "tokens", "TextIndex", "STOPWORDS"]

#: Function words and the genre's boilerplate verbs, which say nothing about *which* duty.
STOPWORDS = frozenset(
    """
    的 和 与 及 以及 并 等 对 在 为 将 把 从 向 由 于 按 按照 根据 结合 围绕 通过 依托 做好 进一步
    推进 推动 加强 加大 加快 强化 深化 完善 健全 建立 持续 不断 全面 切实 认真 积极 及时 要 各 本
    有关 相关 工作 情况 方面 进行 开展 实现 确保 提升 提高 落实 规范 重点 主要 其他 同时 中 上 下
    """.split()
)

_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_SPACE = re.compile(r"\s+")
_WORDLIKE = re.compile(r"[\u4e00-\u9fffA-Za-z0]")


@lru_cache(maxsize=1 << 17)  # linking normalises the same items and clauses many times over
def normalise(text: str) -> str:
    """NFKC width folding, no whitespace, digits folded to ``0``, quotes unified.

    >>> normalise("推进 “十四五” 规划, 2021 年底前")
    '推进"十四五"规划,0年底前'
    """
    s = unicodedata.normalize("NFKC", text or "")
    s = s.replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")
    s = _SPACE.sub("", s)
    return _DIGITS.sub("0", s)


@lru_cache(maxsize=1)
def _tokenizer():
    """A private jieba tokenizer with the project's user dictionary, built on first use."""
    from importlib import resources

    try:
        import jieba
    except ImportError as e:  # pragma: no cover - jieba is a core dependency
        raise ImportError("linking needs jieba: pip install jieba") from e
    jieba.setLogLevel(60)
    tk = jieba.Tokenizer()
    path = resources.files("policy_lineage.ingest").joinpath("data", "userdict.txt")
    if path.is_file():
        with resources.as_file(path) as local:
            tk.load_userdict(str(local))
    return tk


@lru_cache(maxsize=1 << 17)
def _segment(text: str) -> tuple[str, ...]:
    # jieba cuts every run of 汉字, letters and digits (its re_han_default) on its own, so a text's
    # runs can be segmented and cached one by one with the same result: the items of a corpus
    # repeat the same clauses (a duty carried down three levels), and jieba's search over its
    # word graph was the linker's largest single cost
    import jieba

    return tuple(token for block in jieba.re_han_default.split(text) if block for token in _segment_block(block))


@lru_cache(maxsize=1 << 18)
def _segment_block(block: str) -> tuple[str, ...]:
    # search mode also yields the parts of long compounds (财政预决算 → 财政, 预决算, 财政预决算),
    # so a local text that says 财政信息 still shares 财政 with its parent
    return tuple(_tokenizer().cut_for_search(block))


def tokens(text: str) -> list[str]:
    """Content tokens of a text: jieba words of two or more characters, stopwords dropped.

    >>> tokens("推进政务服务事项、“好差评”结果公开")
    ['政务', '服务', '事项', '政务服务事项', '好差评', '结果', '公开']
    """
    return list(_tokens(text))


@lru_cache(maxsize=1 << 17)
def _tokens(text: str) -> tuple[str, ...]:
    out = []
    for t in _segment(normalise(text)):
        t = t.lower()
        if len(t) < 2 or t in STOPWORDS or not _WORDLIKE.search(t) or set(t) <= {"0"}:
            continue
        out.append(t)
    return tuple(out)


def _chars(text: str) -> str:
    return normalise(text)


@dataclass
class _TfIdf:
    """One view's TF-IDF (sublinear tf, smoothed IDF, rows of unit length), as scikit-learn's
    ``TfidfVectorizer`` computes it, but fitted on each distinct text once.

    A corpus of plans repeats itself — a county copies its city's duty verbatim — so counting
    every copy again cost more than everything else in fitting.  A text's document frequency
    counts each of its copies (its multiplicity), so the IDF is the one the whole corpus gives.
    """

    counter: CountVectorizer
    idf: np.ndarray

    @classmethod
    def fit(cls, counter: CountVectorizer, corpus: Sequence[str]) -> tuple["_TfIdf", list[str], sparse.csr_matrix]:
        """The fitted view, the distinct texts of ``corpus`` (first occurrence order) and their rows."""
        copies = Counter(corpus)
        distinct = list(copies)
        try:
            counts = counter.fit_transform(distinct).tocsr()
        except ValueError:  # nothing to count (no word in any text): rows of zeros
            counter = CountVectorizer(analyzer=counter.analyzer, vocabulary=["\0"])
            counts = counter.fit_transform(distinct).tocsr()
        multiplicity = np.fromiter(copies.values(), dtype=float, count=len(distinct))
        df = _present(counts).T @ multiplicity
        view = cls(counter, np.log((1 + len(corpus)) / (1 + df)) + 1)
        return view, distinct, view._weigh(counts)

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        return self._weigh(self.counter.transform(texts).tocsr())

    def _weigh(self, counts: sparse.csr_matrix) -> sparse.csr_matrix:
        tf = counts.astype(float)
        tf.data = np.log(tf.data) + 1
        return normalize(tf @ sparse.diags(self.idf), norm="l2").tocsr()


@dataclass
class _Rows:
    """Vectorised texts, one row each, with what every comparison needs computed once.

    Linking compares the same items and clauses many times (item, clause, own-clause and carry
    views, a parent against each of its children): normalising the concatenated views and
    marking which terms are present per call cost more than the products themselves.
    """

    words: sparse.csr_matrix  # word TF-IDF
    chars: sparse.csr_matrix  # character TF-IDF
    unit: sparse.csr_matrix  # words and characters side by side, rows of unit length
    words_present: sparse.csr_matrix  # 1.0 where a word occurs
    chars_present: sparse.csr_matrix
    words_mass: np.ndarray  # row sums of ``words``
    chars_mass: np.ndarray

    @classmethod
    def of(cls, words: sparse.csr_matrix, chars: sparse.csr_matrix) -> "_Rows":
        return cls(
            words, chars, _unit(words, chars), _present(words), _present(chars),
            np.asarray(words.sum(axis=1)).ravel(), np.asarray(chars.sum(axis=1)).ravel(),
        )  # fmt: skip

    def stacked(self, more: "_Rows") -> "_Rows":
        rows = [sparse.vstack([a, b]).tocsr() for a, b in zip(self._matrices(), more._matrices())]
        return _Rows(*rows, np.concatenate([self.words_mass, more.words_mass]), np.concatenate([self.chars_mass, more.chars_mass]))

    def _matrices(self) -> tuple[sparse.csr_matrix, ...]:
        return self.words, self.chars, self.unit, self.words_present, self.chars_present


def _unit(words: sparse.csr_matrix, chars: sparse.csr_matrix) -> sparse.csr_matrix:
    """The two views side by side, each row scaled to unit length (a cosine is then a product)."""
    both = sparse.hstack([words, chars]).tocsr()
    norms = np.sqrt(np.asarray(both.multiply(both).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return (sparse.diags(1.0 / norms) @ both).tocsr()


def _present(m: sparse.csr_matrix) -> sparse.csr_matrix:
    out = m.copy()
    out.data = np.ones_like(out.data)
    out.eliminate_zeros()
    return out


@dataclass
class TextIndex:
    """TF-IDF word and character vectors fitted on one corpus of texts.

    Parameters
    ----------
    corpus : sequence of str
        Every text that will be compared (all items of all linked documents), so IDF reflects
        the genre rather than one pair.

    Examples
    --------
    >>> idx = TextIndex.fit(["推进财政信息公开", "做好重大政策解读", "推进财政预决算公开"])
    >>> sims = idx.similarity(["财政信息公开"], ["推进财政信息公开", "做好重大政策解读"])
    >>> bool(sims[0, 0] > 0.5 > sims[0, 1])
    True
    """

    words: _TfIdf
    chars: _TfIdf
    _row: dict[str, int] = field(default_factory=dict, repr=False)
    _rows: _Rows | None = field(default=None, repr=False)
    _idf: dict[str, float] | None = field(default=None, repr=False)
    _idf_max: float = field(default=0.0, repr=False)
    _ranked: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)

    def _lookup(self, texts: Sequence[str]) -> tuple[_Rows, list[int]]:
        """The prepared rows and the row numbers of ``texts`` (vectorising those not seen yet)."""
        self.prepare(texts)
        return self._rows, [self._row[t] for t in texts]

    def prepare(self, texts: Iterable[str]) -> None:
        """Vectorise, in one batch, the texts not seen yet.

        New rows are stacked under the old ones, which copies every row seen so far: once per
        document pair, as the lookups alone would do, that made linking quadratic in the corpus.
        Linking prepares every text it will compare once, up front.
        """
        todo = list(dict.fromkeys(t for t in texts if t not in self._row))
        if todo:
            self._add(todo, self.words.transform(todo), self.chars.transform(todo))

    def _add(self, texts: list[str], words: sparse.csr_matrix, chars: sparse.csr_matrix) -> None:
        new = _Rows.of(words.tocsr(), chars.tocsr())
        start = len(self._row)
        self._row.update((t, start + k) for k, t in enumerate(texts))
        self._rows = new if self._rows is None else self._rows.stacked(new)

    @classmethod
    def fit(cls, corpus: Sequence[str]) -> "TextIndex":
        """Fit IDF on ``corpus``; its distinct texts are vectorised in the same pass."""
        corpus = [c or "" for c in corpus] or [""]
        words, distinct, w = _TfIdf.fit(CountVectorizer(analyzer=tokens), corpus)
        # an empty text counts as a placeholder in the character view (scikit-learn's analyser needs text)
        chars, _, c = _TfIdf.fit(
            CountVectorizer(analyzer="char", ngram_range=(2, 3), preprocessor=_chars),
            [t if normalise(t) else "空" for t in corpus],
        )
        index = cls(words, chars)
        if all(normalise(t) for t in distinct):  # else the placeholder rows are not the texts' own
            index._add(distinct, w, c)
        return index

    def vectors(self, texts: Sequence[str], keep: bool = True) -> sparse.csr_matrix:
        """Rows of unit length: words and characters concatenated with equal weight.

        ``keep=False`` vectorises ``texts`` without adding them to the index: for texts compared
        once (the phrases of a few items), which would otherwise make the index copy its rows.
        """
        if not keep:
            return _unit(self.words.transform(texts), self.chars.transform(texts))
        rows, idx = self._lookup(texts)
        return rows.unit[idx]

    def similarity(self, a: Sequence[str], b: Sequence[str], keep: bool = True) -> np.ndarray:
        """Dense cosine matrix ``len(a) × len(b)`` (sparse product, densified at the end);
        ``keep`` as in :meth:`vectors`, for ``a``."""
        if not len(a) or not len(b):
            return np.zeros((len(a), len(b)))
        return (self.vectors(a, keep) @ self.vectors(b).T).toarray()

    def containment(self, a: Sequence[str], b: Sequence[str]) -> np.ndarray:
        """Asymmetric: the share of each ``a`` text's TF-IDF weight whose terms occur in each ``b``.

        A table row restating one phrase of a long provincial paragraph is fully contained in it
        while their cosine stays low.  Mean of the word and character views (the character view
        alone where a text has no word).

        >>> idx = TextIndex.fit(["开展政务开放日活动", "推进财政信息公开", "完善利益相关方列席政府会议的制度。开展政务开放日活动。"])
        >>> c = idx.containment(["开展政务开放日活动"], ["完善利益相关方列席政府会议的制度。开展政务开放日活动。"])
        >>> float(c[0, 0])
        1.0
        """
        if not len(a) or not len(b):
            return np.zeros((len(a), len(b)))
        self.prepare(b)
        rows, ia = self._lookup(a)
        ib = [self._row[t] for t in b]
        wd, cd = rows.words_mass[ia], rows.chars_mass[ia]
        wn = (rows.words[ia] @ rows.words_present[ib].T).toarray()
        cn = (rows.chars[ia] @ rows.chars_present[ib].T).toarray()
        chars = cn / np.where(cd > 0, cd, 1.0)[:, None]
        words = np.where((wd > 0)[:, None], wn / np.where(wd > 0, wd, 1.0)[:, None], chars)
        return (words + chars) / 2

    def idf(self, token: str) -> float:
        """The word view's IDF of a token (the largest IDF when the token was never seen)."""
        if self._idf is None:  # one dict for the evidence of every link, not an array look-up each
            vocabulary = self.words.counter.vocabulary_
            self._idf = dict(zip(vocabulary, self.words.idf[list(vocabulary.values())].tolist()))
            self._idf_max = float(self.words.idf.max())
        return self._idf.get(token, self._idf_max)

    def _by_specificity(self, text: str) -> tuple[str, ...]:
        """A text's distinct words, most specific first (highest IDF, then longest): ranked once
        per text, since the evidence of every link and carried clause ranks the same texts again."""
        ranked = self._ranked.get(text)
        if ranked is None:
            ranked = tuple(sorted(set(_tokens(text)), key=lambda t: (-self.idf(t), -len(t), t)))
            self._ranked[text] = ranked
        return ranked

    def shared_phrases(self, a: str, b: str, k: int = 5) -> list[str]:
        """The ``k`` most specific words two texts share (highest IDF first, ties by length).

        This is the evidence a reviewer reads: why the linker thinks two items say the same.
        A word inside a longer shared word is left out (市场主体, not also 场主 and 主体).

        >>> idx = TextIndex.fit(["推进财政信息公开", "做好重大政策解读", "推进财政预决算公开", "政务公开"])
        >>> idx.shared_phrases("推进财政预决算公开", "推进财政信息公开")
        ['财政', '公开']
        """
        tb = set(_tokens(b))
        shared = [t for t in self._by_specificity(a) if t in tb][: 4 * k]  # a compound is rarer than its parts
        # search-mode segmentation yields the parts of compounds (市场主体 → 场主, 主体): keep the whole.
        # The words are distinct, so a word occurs in the joined list more than once exactly when it
        # is part of a longer one (one scan instead of comparing every pair)
        joined = "\0".join(shared)
        return [t for t in shared if joined.count(t) == 1][:k]
