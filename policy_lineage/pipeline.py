"""The whole job in one call: read → parse → link → graph → store.

The CLI, the notebooks, the report and the benchmark all call :func:`build`, so they measure and
show the same thing.  Parsing happens entirely before anything is written: one bad file stops
the batch with its name and reason, and the store keeps its previous content.

With a :class:`~policy_lineage.workspace.Workspace` (the CLI always passes the one beside the
database) a build reuses unchanged parses and document pairs, and records its corpus, so
:func:`add` and :func:`remove` can change that corpus by one document: they parse only the new
file, link only the pairs whose documents changed, and replace the store in one write as a build
does.  Curation decisions are re-applied after every one of them, so a decision survives as long
as its items exist.  The workspace is updated only after the store was written.
"""

from __future__ import annotations

import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from policy_lineage.errors import LineageError, ParseError
from policy_lineage.graph.curation import CURATION_FILE, CurationResult, apply_decisions, load_decisions
from policy_lineage.graph.model import Document, Lineage
from policy_lineage.workspace import CacheStats, Source, Workspace, read_source

__all__ = [
    "SUFFIXES",
    "DEFAULT_DB",
    "MANIFEST",
    "BuildReport",
    "discover",
    "curation_path",
    "load_manifest",
    "parse_documents",
    "sources_for",
    "parse_sources",
    "link",
    "build",
    "add",
    "remove",
]

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".docx", ".pdf")
DEFAULT_DB = Path(".lineage") / "graph.lbdb"
MANIFEST = "manifest.toml"

Progress = Callable[[str, int, int], None]


@dataclass
class BuildReport:
    """What a build did, for the CLI summary and the benchmark."""

    documents: list[Document]
    lineage: Lineage
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    curation: CurationResult | None = None
    cache: CacheStats | None = None


def curation_path(db: str | Path) -> Path:
    """The curation file that goes with a database: ``curation.toml`` beside it."""
    return Path(db).parent / CURATION_FILE


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Documents to ingest: the given files, and supported files inside given folders, sorted.

    >>> [p.name for p in discover(["seeds"])][:1]
    ['meishan-2023-task-breakdown.txt']
    """
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES))
        elif p.exists():
            found.append(p)
        else:
            raise ParseError(str(p), "no such file or folder")
    return found


def load_manifest(folder: Path) -> dict[str, dict]:
    """Per-file hints from ``manifest.toml`` in a folder: only what the texts do not state.

    Keys are file names; values may set title, doc_no, issuer, region, level, date, year and
    ``parents`` (refs of documents this one answers to, overriding inference).
    """
    path = folder / MANIFEST
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ParseError(str(path), f"invalid manifest: {e}") from e


def parse_documents(files: list[Path], progress: Progress | None = None) -> list[Document]:
    """Parse every file or none: the first failure raises, naming the file."""
    return parse_sources(sources_for(files), None, progress)[1]


def sources_for(files: list[Path]) -> list[Source]:
    """Each file with its content hash and its entry in ``manifest.toml`` beside it."""
    manifests: dict[Path, dict] = {}
    out = []
    for f in files:
        if f.parent not in manifests:
            manifests[f.parent] = load_manifest(f.parent)
        try:
            out.append(read_source(f, manifests[f.parent].get(f.name, {})))
        except OSError as e:
            raise ParseError(str(f), f"cannot read the file: {e.strerror or e}") from e
    return out


def parse_sources(
    sources: list[Source], workspace: Workspace | None = None, progress: Progress | None = None
) -> tuple[list[Source], list[Document]]:
    """Parse every source or none, reusing the workspace's parses; the first failure raises.

    Returns the sources again with the hash of what was actually parsed (a recorded file
    that changed since is parsed as it is now) and the documents in the same order.
    """
    from policy_lineage.ingest.parser import parse_file

    docs: list[Document] = []
    seen: list[Source] = []
    for k, src in enumerate(sources, start=1):
        doc = workspace.parsed(src) if workspace is not None else None
        if doc is None:
            doc = parse_file(Path(src.file), hints=src.hints)
            if doc.source_hash and doc.source_hash != src.sha256:
                src = Source(src.file, doc.source_hash, src.hints)
            if workspace is not None:
                workspace.keep_parsed(src, doc)
        docs.append(doc)
        seen.append(src)
        if progress:
            progress("parse", k, len(sources))
    _check_duplicates(docs)
    return seen, docs


def _check_duplicates(docs: list[Document]) -> None:
    """Two files with one 文号 are one document twice, or a clash the user must resolve."""
    seen: dict[str, Document] = {}
    for d in docs:
        other = seen.get(d.doc_id)
        if other is None:
            seen[d.doc_id] = d
            continue
        same = [it.text for it in other.items] == [it.text for it in d.items]
        reason = "is the same document as" if same else "has the same 文号/title but different text than"
        raise ParseError(d.source_file or "?", f"{reason} {other.source_file} ({d.ref}); remove one of them")


def link(docs: list[Document], overrides: dict[str, list[str]] | None = None, pair_cache=None) -> Lineage:
    """Document lineage, then item links, clause coverage, sub-threshold candidates and evolution.

    ``pair_cache`` (a :class:`~policy_lineage.workspace.PairCache`) spares the document pairs
    already linked; document lineage is always recomputed, it is cheap and corpus-wide.
    """
    from policy_lineage.graph.evolution import evolution_links
    from policy_lineage.graph.inferred import add_peer_lineage
    from policy_lineage.graph.lineage import document_parents
    from policy_lineage.graph.linking import DEFAULT_PARAMS, link_documents

    lineage = add_peer_lineage(docs, link_documents(docs, document_parents(docs, overrides), DEFAULT_PARAMS, pair_cache))
    lineage.links.extend(evolution_links(docs))  # EVOLVES_FROM: one line of duty across cycles
    return lineage


def build(
    paths: Iterable[str | Path],
    db: str | Path = DEFAULT_DB,
    *,
    backend: str = "ladybug",
    progress: Progress | None = None,
    curation: str | Path | None = None,
    workspace: Workspace | None = None,
) -> BuildReport:
    """Ingest, link and load; the store is replaced only when everything before it succeeded.

    ``workspace`` (optional) supplies cached parses and pair links and records the corpus.
    """
    t0 = time.perf_counter()
    files = discover(paths)
    if not files:
        raise LineageError("no documents found (supported: " + ", ".join(SUFFIXES) + ")")
    return _ingest(sources_for(files), db, backend, progress, curation, workspace, t0)


def _recorded(workspace: Workspace, db: str | Path) -> list[Source]:
    sources = workspace.sources()
    if not sources:
        raise LineageError(f"{db}: no recorded corpus in {workspace.root}; run `lineage build PATH… --db {db}` first")
    return sources


def add(
    paths: Iterable[str | Path],
    db: str | Path = DEFAULT_DB,
    *,
    workspace: Workspace,
    backend: str = "ladybug",
    progress: Progress | None = None,
    curation: str | Path | None = None,
) -> BuildReport:
    """Add files to the workspace's corpus (a changed file replaces its earlier version).

    Only the new files are parsed and only the document pairs they change are linked; the
    store is rewritten in one replace, like a build.  Files are matched by resolved path.
    """
    t0 = time.perf_counter()
    new = sources_for(discover(paths))
    merged = {Path(s.file).resolve(): s for s in _recorded(workspace, db)}
    merged.update((Path(s.file).resolve(), s) for s in new)
    return _ingest(sorted(merged.values(), key=lambda s: s.file), db, backend, progress, curation, workspace, t0)


def remove(
    ref: str,
    db: str | Path = DEFAULT_DB,
    *,
    workspace: Workspace,
    backend: str = "ladybug",
    progress: Progress | None = None,
    curation: str | Path | None = None,
) -> BuildReport:
    """Remove one document — named by 文号, title, doc id or file — with its items and links."""
    t0 = time.perf_counter()
    sources, docs = parse_sources(_recorded(workspace, db), workspace)
    gone = [
        k for k, (s, d) in enumerate(zip(sources, docs))
        if ref in (d.ref, d.doc_no, d.title, d.doc_id, s.file) or Path(s.file).resolve() == Path(ref).resolve()
    ]  # fmt: skip
    if not gone:
        raise LineageError(f"{ref}: no document with this 文号, title or file in the corpus of {db}")
    if len(gone) == len(sources):
        raise LineageError(f"{ref}: removing it would leave no document; delete {db} instead")
    keep = [k for k in range(len(sources)) if k not in gone]
    return _ingest([sources[k] for k in keep], db, backend, progress, curation, workspace, t0, [docs[k] for k in keep])


def _ingest(
    sources: list[Source],
    db: str | Path,
    backend: str,
    progress: Progress | None,
    curation: str | Path | None,
    workspace: Workspace | None,
    t0: float,
    docs: list[Document] | None = None,
) -> BuildReport:
    """Parse (or take) the documents, link, curate, load; record the corpus once it is stored."""
    from policy_lineage.graph.nxgraph import build_graph
    from policy_lineage.graph.store import open_store

    if workspace is not None and workspace.fresh:
        workspace.clear()
    if docs is None:
        sources, docs = parse_sources(sources, workspace, progress)
    t1 = time.perf_counter()
    overrides = {d.ref: list(s.hints["parents"]) for s, d in zip(sources, docs) if s.hints.get("parents")}
    pair_cache = workspace.pair_cache(sources, docs) if workspace is not None else None
    lineage = link(docs, overrides or None, pair_cache)
    curation_file = Path(curation) if curation is not None else curation_path(db)
    report_curation = apply_decisions(docs, lineage, load_decisions(curation_file))
    lineage.accepted_gaps = report_curation.accepted_gaps
    if progress:
        progress("link", 1, 1)
    t2 = time.perf_counter()
    graph = build_graph(docs, lineage)
    with open_store(backend, db) as store:
        stats = store.write(graph)
    if workspace is not None:
        workspace.save_sources(sources)
    if progress:
        progress("load", 1, 1)
    t3 = time.perf_counter()
    counts = {
        "documents": len(docs),
        "items": sum(len(d.items) for d in docs),
        **{f"links:{r}": sum(1 for l in lineage.links if l.relation == r) for r in sorted({l.relation for l in lineage.links})},
        "clauses": len(lineage.clauses),
    }
    report = BuildReport(docs, lineage, counts, {"parse": t1 - t0, "link": t2 - t1, "load": t3 - t2}, report_curation)
    report.cache = workspace.stats if workspace is not None else None
    report.counts.update({f"stored:{k}": v for k, v in getattr(stats, "counts", {}).items()})
    return report
