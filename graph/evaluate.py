"""Scoring links (and gaps) against a hand annotation.

The gold file is a CSV with columns ``child_doc, child_seq, parent_doc, parent_seq`` in the
contracts' naming (``*_doc`` is the 文号, else the title; ``*_seq`` the printed number).  Only
document pairs present in the gold are scored: a predicted link between two documents nobody
annotated is neither right nor wrong.

:func:`predicted_pairs` turns a :class:`~policy_lineage.graph.model.Lineage` into tuples of that
shape, so ``lineage eval --gold FILE`` is ``evaluate_links(predicted_pairs(docs, lin), FILE)``;
:func:`side_by_side` puts the linker's and the naive baseline's figures in one row per pair.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from policy_lineage.errors import LineageError
from policy_lineage.graph.model import Document, Lineage

__all__ = [
    "LinkTuple",
    "Counts",
    "PairScores",
    "Scores",
    "read_gold",
    "score_sets",
    "evaluate_links",
    "predicted_pairs",
    "undirected",
    "evaluate_siblings",
    "read_gold_gaps",
    "evaluate_gaps",
    "read_gold_missing",
    "evaluate_missing",
    "EvalRow",
    "side_by_side",
    "unknown_documents",
]

#: (child_doc, child_seq, parent_doc, parent_seq)
LinkTuple = tuple[str, int, str, int]

GOLD_COLUMNS = ("child_doc", "child_seq", "parent_doc", "parent_seq")
GAP_COLUMNS = ("child_doc", "parent_doc", "parent_seq", "status")


@dataclass
class Counts:
    """Precision, recall and F1 with the counts they come from."""

    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int


@dataclass
class PairScores(Counts):
    """Scores for one (child document, parent document) pair, with the errors."""

    child_doc: str = ""
    parent_doc: str = ""
    false_positives: list[tuple] = field(default_factory=list)
    false_negatives: list[tuple] = field(default_factory=list)


@dataclass
class Scores(Counts):
    """Micro-averaged scores over every gold document pair, and the per-pair breakdown."""

    pairs: list[PairScores] = field(default_factory=list)


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else (1.0 if not fn else 0.0)
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return round(p, 4), round(r, 4), round(f, 4)


def _read_csv(path: str | Path, columns: Sequence[str]) -> list[dict[str, str]]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
            header = rows[0].keys() if rows else (csv.DictReader(open(path, encoding="utf-8-sig")).fieldnames or [])
    except OSError as e:
        raise LineageError(f"{path}: cannot read gold file ({e.strerror})") from e
    except (UnicodeDecodeError, csv.Error) as e:
        raise LineageError(f"{path}: gold file is not a UTF-8 CSV ({e})") from e
    missing = [c for c in columns if c not in header]
    if missing:
        raise LineageError(f"{path}: gold file lacks column(s) {', '.join(missing)}")
    return rows


def read_gold(path: str | Path) -> set[LinkTuple]:
    """The gold links of a CSV file (columns :data:`GOLD_COLUMNS`; others ignored)."""
    out = set()
    for k, r in enumerate(_read_csv(path, GOLD_COLUMNS), start=2):
        try:
            out.add((r["child_doc"].strip(), int(r["child_seq"]), r["parent_doc"].strip(), int(r["parent_seq"])))
        except ValueError as e:
            raise LineageError(f"{path}:{k}: child_seq and parent_seq must be integers") from e
    return out


def score_sets(predicted: Iterable[tuple], gold: set[tuple], key=lambda t: (t[0], t[2])) -> Scores:
    """Compare two sets of tuples, restricted to the groups (``key``) present in the gold.

    >>> gold = {("a", 1, "P", 1), ("a", 2, "P", 2)}
    >>> s = score_sets([("a", 1, "P", 1), ("a", 2, "P", 3), ("b", 1, "P", 1)], gold)
    >>> (s.tp, s.fp, s.fn, s.f1)
    (1, 1, 1, 0.5)
    """
    groups = sorted({key(t) for t in gold})
    pred = {t for t in predicted if key(t) in set(groups)}
    pairs = []
    for g in groups:
        gp = {t for t in pred if key(t) == g}
        gg = {t for t in gold if key(t) == g}
        tp, fp, fn = len(gp & gg), len(gp - gg), len(gg - gp)
        pairs.append(PairScores(*_prf(tp, fp, fn), tp, fp, fn, g[0], g[1], sorted(gp - gg), sorted(gg - gp)))
    tp, fp, fn = sum(p.tp for p in pairs), sum(p.fp for p in pairs), sum(p.fn for p in pairs)
    return Scores(*_prf(tp, fp, fn), tp, fp, fn, pairs)


def evaluate_links(predicted: Iterable[LinkTuple], gold_csv: str | Path) -> Scores:
    """Precision/recall/F1 of predicted ``(child_doc, child_seq, parent_doc, parent_seq)`` links.

    Parameters
    ----------
    predicted : iterable of tuples
        Predicted links in the gold's naming (see :func:`predicted_pairs`).
    gold_csv : path
        The annotation; only its (child_doc, parent_doc) pairs are scored.
    """
    pred = [(str(c), int(cs), str(p), int(ps)) for c, cs, p, ps in predicted]
    return score_sets(pred, read_gold(gold_csv))


def undirected(links: Iterable[LinkTuple]) -> set[LinkTuple]:
    """Links of a symmetric relation (SIBLING_OF) with their ends in one order, the smaller first.

    >>> sorted(undirected([("B", 2, "A", 1), ("A", 1, "B", 2)]))
    [('A', 1, 'B', 2)]
    """
    return {(c, int(cs), p, int(ps)) if (c, int(cs)) <= (p, int(ps)) else (p, int(ps), c, int(cs)) for c, cs, p, ps in links}


def evaluate_siblings(predicted: Iterable[LinkTuple], gold_csv: str | Path) -> Scores:
    """:func:`evaluate_links` for a symmetric relation: ends compared in either order.

    The gold file has the same columns; which document is called child and which parent does
    not matter (``tests/gold/siblings.csv``).
    """
    return score_sets(undirected(predicted), undirected(read_gold(gold_csv)))


def _item_names(docs: Sequence[Document]) -> dict[str, tuple[str, int]]:
    return {it.item_id(d.doc_id): (d.ref, it.seq) for d in docs for it in d.items}


def predicted_pairs(docs: Sequence[Document], lineage: Lineage, relation: str = "IMPLEMENTS") -> list[LinkTuple]:
    """The lineage's links of one relation as gold-shaped tuples; rejected links left out."""
    names = _item_names(docs)
    out = []
    for l in lineage.links:
        if l.relation != relation or l.status == "rejected" or l.child not in names or l.parent not in names:
            continue
        (cd, cs), (pd, ps) = names[l.child], names[l.parent]
        out.append((cd, cs, pd, ps))
    return sorted(set(out))


def read_gold_gaps(path: str | Path) -> set[tuple[str, str, int, str]]:
    """Gold ``(child_doc, parent_doc, parent_seq, status)`` rows (status gap or partial)."""
    out = set()
    for k, r in enumerate(_read_csv(path, GAP_COLUMNS), start=2):
        try:
            out.add((r["child_doc"].strip(), r["parent_doc"].strip(), int(r["parent_seq"]), r["status"].strip()))
        except ValueError as e:
            raise LineageError(f"{path}:{k}: parent_seq must be an integer") from e
    return out


def evaluate_gaps(predicted: Iterable[tuple[str, str, int, str]], gaps_csv: str | Path, status: str = "gap") -> Scores:
    """Precision/recall of predicted gaps of one ``status`` against the gold gaps file.

    Scored per (child_doc, parent_doc) pair present in the gold; tuples are
    ``(child_doc, parent_doc, parent_seq, status)``.
    """
    gold = {g for g in read_gold_gaps(gaps_csv) if g[3] == status}
    pairs = {(g[0], g[1]) for g in read_gold_gaps(gaps_csv)}
    pred = [(c, p, int(s), st) for c, p, s, st in predicted if st == status and (c, p) in pairs]
    scores = score_sets(pred, gold, key=lambda t: (t[0], t[1]))
    # pairs with no gold gap of this status still count their false positives
    extra = {(c, p) for c, p, _, _ in pred} - {(g[0], g[1]) for g in gold}
    for c, p in sorted(extra):
        fps = sorted(t for t in pred if (t[0], t[1]) == (c, p))
        scores.pairs.append(PairScores(0.0, 1.0, 0.0, 0, len(fps), 0, c, p, fps, []))
        scores.fp += len(fps)
    scores.precision, scores.recall, scores.f1 = _prf(scores.tp, scores.fp, scores.fn)
    return scores


def read_gold_missing(path: str | Path) -> dict[tuple[str, str, int], list[str]]:
    """Per partial duty ``(child_doc, parent_doc, parent_seq)``, the hints of its missing clauses.

    The ``missing`` column holds ``|``-separated substrings, each distinctive for one clause the
    annotator found missing (``IPv6`` for the last clause of 川办发〔2021〕16号 (十八)).  Substrings
    rather than clause numbers keep the gold independent of how clauses are split.
    """
    out = {}
    for r in _read_csv(path, (*GAP_COLUMNS, "missing")):
        if r["status"].strip() == "partial":
            key = (r["child_doc"].strip(), r["parent_doc"].strip(), int(r["parent_seq"]))
            out[key] = [h for h in (r["missing"] or "").split("|") if h.strip()]
    return out


def evaluate_missing(rows: Iterable, gaps_csv: str | Path) -> Scores:
    """Clause-level scores of coverage rows (``graph.coverage.Coverage``) against gold hints.

    Counted over duties that both the gold and the prediction consider implemented (status
    partial or covered; gaps are scored by :func:`evaluate_gaps`), in the gold's document
    pairs.  A gold hint found in a predicted missing clause is a true positive, a hint not found
    a false negative, a predicted missing clause containing no hint a false positive.  Hints
    and clauses are compared after :func:`~policy_lineage.graph.textsim.normalise`.
    """
    from policy_lineage.graph.textsim import normalise

    gold_rows = read_gold_gaps(gaps_csv)
    pairs = {(g[0], g[1]) for g in gold_rows}
    gold_gaps = {(g[0], g[1], g[2]) for g in gold_rows if g[3] == "gap"}
    hints = read_gold_missing(gaps_csv)
    found: list[tuple] = []
    for r in rows:
        key = (r.child_doc, r.parent_doc, int(r.parent_seq))
        if (r.child_doc, r.parent_doc) not in pairs or key in gold_gaps or r.status not in ("partial", "covered"):
            continue
        missing = [normalise(m) for m in r.missing]
        for h in hints.get(key, []):
            hit = any(normalise(h) in m for m in missing)
            found.append((key, h, "tp" if hit else "fn"))
        for m in missing:
            if not any(normalise(h) in m for h in hints.get(key, [])):
                found.append((key, m, "fp"))
    by_pair: dict[tuple[str, str], list[tuple]] = {}
    for f in found:
        by_pair.setdefault((f[0][0], f[0][1]), []).append(f)
    pairs_out = []
    for (c, p), fs in sorted(by_pair.items()):
        tp, fp, fn = (sum(1 for f in fs if f[2] == k) for k in ("tp", "fp", "fn"))
        pairs_out.append(PairScores(*_prf(tp, fp, fn), tp, fp, fn, c, p,
                                    [(f[0][2], f[1]) for f in fs if f[2] == "fp"],
                                    [(f[0][2], f[1]) for f in fs if f[2] == "fn"]))
    tp, fp, fn = (sum(getattr(x, k) for x in pairs_out) for k in ("tp", "fp", "fn"))
    return Scores(*_prf(tp, fp, fn), tp, fp, fn, pairs_out)


#: The ``child_doc`` / ``parent_doc`` of the row that sums every pair (micro average).
ALL_PAIRS = "(all)"


@dataclass(frozen=True)
class EvalRow:
    """One document pair (or :data:`ALL_PAIRS`): the linker's and the baseline's link scores."""

    child_doc: str
    parent_doc: str
    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int
    baseline_precision: float
    baseline_recall: float
    baseline_f1: float
    baseline_tp: int
    baseline_fp: int
    baseline_fn: int


def side_by_side(ours: Scores, baseline: Scores) -> list[EvalRow]:
    """Per gold document pair, then over all of them, both methods' figures in one row.

    Both :class:`Scores` must come from the same gold file, so their pairs line up.

    >>> gold = {("a", 1, "P", 1), ("a", 2, "P", 2)}
    >>> rows = side_by_side(score_sets([("a", 1, "P", 1), ("a", 2, "P", 2)], gold), score_sets([("a", 1, "P", 1)], gold))
    >>> [(r.child_doc, r.f1, r.baseline_f1, r.baseline_fn) for r in rows]
    [('a', 1.0, 0.6667, 1), ('(all)', 1.0, 0.6667, 1)]
    """
    theirs = {(p.child_doc, p.parent_doc): p for p in baseline.pairs}
    rows = []
    for p in ours.pairs:
        b = theirs[(p.child_doc, p.parent_doc)]
        rows.append(_row(p.child_doc, p.parent_doc, p, b))
    rows.append(_row(ALL_PAIRS, ALL_PAIRS, ours, baseline))
    return rows


def _row(child: str, parent: str, a: Counts, b: Counts) -> EvalRow:
    return EvalRow(child, parent, a.precision, a.recall, a.f1, a.tp, a.fp, a.fn,
                   b.precision, b.recall, b.f1, b.tp, b.fp, b.fn)  # fmt: skip


def unknown_documents(gold: set[LinkTuple], docs: Sequence[Document]) -> list[str]:
    """Documents the gold names that are not among ``docs`` (by ref), sorted.

    A gold pair whose document was not read scores recall 0 without the linker being wrong;
    the caller says so rather than print a misleading figure.
    """
    refs = {d.ref for d in docs}
    return sorted({name for c, _, p, _ in gold for name in (c, p)} - refs)
