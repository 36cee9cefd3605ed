"""The workspace beside a database: what was ingested, and the work a rebuild would repeat.

A build spends about a seventh of its time parsing and three quarters linking (see
benchmarks/README.md).  Both are pure functions of their inputs, so the workspace keeps their
results, keyed by everything they depend on, and a rebuild reuses what has not changed.

Layout — a folder beside the database (``.lineage/graph.lbdb`` → ``.lineage/graph.workspace/``)::

    sources.json        the corpus: one entry per input file (path as given, sha256, manifest hints)
    parsed/<key>.json   a parsed Document (:func:`~policy_lineage.graph.model.to_dict`); key =
                        parser version + file content hash + path + manifest hints
    pairs/<key>.json    one document pair's links, candidates and carried clauses; key = linker
                        version + the two documents' parse keys
    epochs/<fp>.json    a corpus a pair was linked in: parse key → item count

Every file is written to a temporary name and renamed, so a killed build leaves whole files; a
file that does not read back (truncated, edited, another format) is ignored with a warning and
recomputed, never trusted and never fatal.  Versions are hashes of the code itself (the ingest
package for parsing; ingest and graph packages plus library versions for linking), so a cache
written by other code is simply not found — nobody has to remember to bump a number.

Why pairs, and the vocabulary
-----------------------------
Linking scores one ``ANSWERS_TO`` document pair at a time, but with TF-IDF weights fitted on the
*whole* corpus (:func:`policy_lineage.graph.linking.corpus_index`): adding a document shifts every
IDF a little (the item count changes) and the IDF of its own rare words a lot.  A pair's result is
therefore exact only in the corpus it was linked in.  The workspace records that corpus (its
*epoch*) with each pair and reuses the pair when the items added or removed since then are at most
``drift`` of the current corpus's items (default :data:`DEFAULT_DRIFT`, 2 %): on a 1,000-document
corpus one more plan is 0.1 % and re-links only the pairs it takes part in, while in a corpus of
five seeds one more document is a fifth and re-links everything.  ``drift=0`` reuses a pair only
in the identical corpus, so a rebuild then equals a fresh build exactly; a fresh build
(``lineage build --fresh``) ignores every cache.  benchmarks/README.md reports how many links a
one-document ``add`` at 1,000 documents changes against a fresh build.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

from policy_lineage.graph.clauses import item_clauses
from policy_lineage.graph.model import Carry, Document, Link, document_from_dict, to_dict

__all__ = [
    "DEFAULT_DRIFT",
    "Source",
    "CacheStats",
    "Workspace",
    "PairCache",
    "workspace_path",
    "parser_version",
    "linker_version",
    "read_source",
]

#: Share of the corpus's items that may have been added or removed since a pair was linked for its
#: cached result to be reused (IDF drift accepted, see the module docstring).
DEFAULT_DRIFT = 0.02

PairResult = tuple[list[Link], list[Link], list[Carry]]


@dataclass(frozen=True)
class Source:
    """One input file as the workspace records it: the path as given, its content hash, hints.

    ``hints`` is the file's entry in ``manifest.toml`` (``parents`` included), part of the parse
    key because it changes the parse.
    """

    file: str
    sha256: str
    hints: dict[str, Any] = field(default_factory=dict, hash=False)


@dataclass
class CacheStats:
    """What the caches did in one build: reused, computed, reused across a corpus change, ignored."""

    parse_hits: int = 0
    parse_misses: int = 0
    pair_hits: int = 0
    pair_misses: int = 0
    pair_drifted: int = 0  # hits linked in another (near enough) corpus
    ignored: int = 0  # unreadable cache files


def workspace_path(db: str | Path) -> Path:
    """The workspace folder of a database: ``<db stem>.workspace`` beside it.

    >>> workspace_path(".lineage/graph.lbdb").as_posix()
    '.lineage/graph.workspace'
    """
    db = Path(db)
    return db.parent / f"{db.stem}.workspace"


def _digest(*parts: object) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(str(p).encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()[:32]


def _tree_digest(folder: Path) -> str:
    """Hash of every source and data file under ``folder`` (names and bytes, sorted)."""
    h = hashlib.sha256()
    for f in sorted(folder.rglob("*")):
        if f.is_file() and "__pycache__" not in f.parts:
            h.update(f.relative_to(folder).as_posix().encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


def _versions(*dists: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for d in dists:
        try:
            out.append(f"{d}={version(d)}")
        except PackageNotFoundError:
            out.append(f"{d}=?")
    return ",".join(out)


@lru_cache(maxsize=1)
def parser_version() -> str:
    """The parser's code: the ingest package, the record types and the libraries it reads with."""
    import policy_lineage.graph.model as model
    import policy_lineage.ingest as ingest

    return _digest(
        _tree_digest(Path(ingest.__file__).parent),
        hashlib.sha256(Path(model.__file__).read_bytes()).hexdigest(),
        _versions("jieba", "jionlp", "cn2an", "pdfplumber", "python-docx", "beautifulsoup4", "charset-normalizer"),
    )


@lru_cache(maxsize=1)
def linker_version() -> str:
    """The linker's code: graph and ingest packages (tokenizer dictionary, unit kinds), libraries."""
    import policy_lineage.graph.linking as linking

    return _digest(
        parser_version(),
        _tree_digest(Path(linking.__file__).parent),
        repr(linking.DEFAULT_PARAMS),
        _versions("scikit-learn", "scipy", "numpy", "jieba"),
    )


def read_source(path: Path, hints: dict[str, Any] | None = None) -> Source:
    """A file as a :class:`Source`: its bytes hashed (the parse reads them again only on a miss)."""
    with path.open("rb") as f:
        digest = hashlib.file_digest(f, "sha256").hexdigest()
    return Source(str(path), digest, dict(hints or {}))


def _write_json(path: Path, data: Any) -> None:
    """Write whole or not at all: a temporary file in the same folder, then one rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass
class Workspace:
    """The caches and the recorded corpus of one database.

    ``fresh`` reads no cache entry (everything is recomputed) but still writes them, so the
    next build is warm; :func:`policy_lineage.pipeline.build` clears the caches first.  ``warnings`` collects one line per cache file that was ignored.
    """

    root: Path
    fresh: bool = False
    drift: float = DEFAULT_DRIFT
    parser: str = field(default_factory=parser_version)
    linker: str = field(default_factory=linker_version)
    stats: CacheStats = field(default_factory=CacheStats)
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def for_db(cls, db: str | Path, **options: Any) -> "Workspace":
        return cls(workspace_path(db), **options)

    # ------------------------------------------------------------------ files

    def _read_json(self, path: Path) -> Any:
        """The file's JSON, or None when it is missing or unreadable (warned, not raised)."""
        if not path.exists():
            return None
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as e:
            self._ignore(path, f"unreadable ({type(e).__name__})")
            return None

    def _ignore(self, path: Path, why: str) -> None:
        self.stats.ignored += 1
        self.warnings.append(f"{path}: cache file {why}; ignored and recomputed")

    def clear(self) -> None:
        """Delete every cached parse, pair and epoch; the recorded corpus stays.

        A fresh build starts from here, so it also prunes what no build uses any more.
        """
        for sub in ("parsed", "pairs", "epochs"):
            shutil.rmtree(self.root / sub, ignore_errors=True)

    # ------------------------------------------------------------------ the corpus

    def sources(self) -> list[Source] | None:
        """The corpus of the last successful build, add or remove (None before the first)."""
        data = self._read_json(self.root / "sources.json")
        if not isinstance(data, list):
            return None
        try:
            return [Source(d["file"], d["sha256"], dict(d.get("hints") or {})) for d in data]
        except (KeyError, TypeError):
            self._ignore(self.root / "sources.json", "malformed")
            return None

    def save_sources(self, sources: Sequence[Source]) -> None:
        """Record the corpus; called only after the store was written."""
        _write_json(self.root / "sources.json", [asdict(s) for s in sources])

    # ------------------------------------------------------------------ parses

    def parse_key(self, source: Source) -> str:
        return _digest("parse", self.parser, source.sha256, source.file, json.dumps(source.hints, sort_keys=True, default=str))

    def parsed(self, source: Source) -> Document | None:
        """The cached parse of ``source`` (None on a miss, in fresh mode, or when unreadable)."""
        if self.fresh:
            return None
        key = self.parse_key(source)
        path = self.root / "parsed" / f"{key}.json"
        data = self._read_json(path)
        if data is None:
            return None
        try:
            if data["key"] != key:
                raise ValueError("key mismatch")
            doc = document_from_dict(data["document"])
        except (KeyError, TypeError, ValueError) as e:
            self._ignore(path, f"malformed ({e})")
            return None
        self.stats.parse_hits += 1
        return doc

    def keep_parsed(self, source: Source, doc: Document) -> None:
        self.stats.parse_misses += 1
        key = self.parse_key(source)
        _write_json(self.root / "parsed" / f"{key}.json", {"key": key, "document": to_dict(doc)})

    # ------------------------------------------------------------------ pairs

    def pair_cache(self, sources: Sequence[Source], docs: Sequence[Document]) -> "PairCache":
        """The pair cache for linking ``docs`` (parsed from ``sources``, in the same order)."""
        keys = {d.doc_id: self.parse_key(s) for s, d in zip(sources, docs)}
        sizes = {keys[d.doc_id]: len(d.items) for d in docs}
        return PairCache(self, keys, sizes)


def _fits(result: PairResult, child: Document, parent: Document) -> bool:
    """Whether a cached pair result names only items and clauses of these two documents.

    Its key already names both parses, so this fails only for a cache file changed or mixed up
    outside the tool; such a result would load dangling links into the store.
    """
    links, candidates, carries = result
    kids = {it.item_id(child.doc_id) for it in child.items}
    duties = {it.item_id(parent.doc_id): it for it in parent.items}
    clauses = {c.clause_id for pid, it in duties.items() for c in item_clauses(pid, it)}
    return all(l.child in kids and l.parent in duties for l in (*links, *candidates)) and all(
        c.child in kids and c.clause in clauses for c in carries
    )


@dataclass
class PairCache:
    """Per document pair link results, for :func:`policy_lineage.graph.linking.link_documents`.

    ``keys`` maps doc id → parse key; ``sizes`` parse key → item count (the current epoch).
    """

    ws: Workspace
    keys: dict[str, str]
    sizes: dict[str, int]
    _epochs: dict[str, dict[str, int] | None] = field(default_factory=dict, repr=False)
    _saved: bool = field(default=False, repr=False)

    @property
    def epoch(self) -> str:
        """The current corpus's fingerprint: its documents' parse keys."""
        return _digest("epoch", *sorted(self.sizes))

    def _path(self, child: Document, parent: Document) -> tuple[str, Path]:
        key = _digest("pair", self.ws.linker, self.keys[child.doc_id], self.keys[parent.doc_id])
        return key, self.ws.root / "pairs" / f"{key}.json"

    def drift(self, epoch: str) -> float | None:
        """Items added or removed since ``epoch``, as a share of the current corpus's items."""
        if epoch == self.epoch:
            return 0.0
        if epoch not in self._epochs:
            data = self.ws._read_json(self.ws.root / "epochs" / f"{epoch}.json")
            ok = isinstance(data, dict) and all(isinstance(v, int) for v in data.values())
            if data is not None and not ok:
                self.ws._ignore(self.ws.root / "epochs" / f"{epoch}.json", "malformed")
            self._epochs[epoch] = data if ok else None
        then = self._epochs[epoch]
        if then is None:
            return None
        changed = sum(n for k, n in then.items() if k not in self.sizes) + sum(
            n for k, n in self.sizes.items() if k not in then
        )
        return changed / max(1, sum(self.sizes.values()))

    def get(self, child: Document, parent: Document) -> PairResult | None:
        if self.ws.fresh:
            self.ws.stats.pair_misses += 1
            return None
        key, path = self._path(child, parent)
        data = self.ws._read_json(path)
        result = None
        if data is not None:
            try:
                if data["key"] != key:
                    raise ValueError("key mismatch")
                drift = self.drift(data["epoch"])
                if drift is not None and drift <= self.ws.drift:
                    cached = (
                        [Link(**l) for l in data["links"]],
                        [Link(**l) for l in data["candidates"]],
                        [Carry(**c) for c in data["carries"]],
                    )
                    if not _fits(cached, child, parent):
                        raise ValueError("names items or clauses the documents do not have")
                    result = cached
                    self.ws.stats.pair_drifted += drift > 0
            except (KeyError, TypeError, ValueError) as e:
                self.ws._ignore(path, f"malformed ({e})")
        if result is None:
            self.ws.stats.pair_misses += 1
        else:
            self.ws.stats.pair_hits += 1
        return result

    def put(self, child: Document, parent: Document, result: PairResult) -> None:
        if not self._saved:
            _write_json(self.ws.root / "epochs" / f"{self.epoch}.json", self.sizes)
            self._saved = True
        key, path = self._path(child, parent)
        links, candidates, carries = result
        _write_json(
            path,
            {"key": key, "epoch": self.epoch, "links": to_dict(links), "candidates": to_dict(candidates), "carries": to_dict(carries)},
        )
