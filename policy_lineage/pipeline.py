"""The whole job in one call: read → parse → link → graph → store.

The CLI, the notebooks, the report and the benchmark all call :func:`build`, so they measure and
show the same thing.  Parsing happens entirely before anything is written: one bad file stops
the batch with its name and reason, and the store keeps its previous content.
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

__all__ = [
    "SUFFIXES",
    "DEFAULT_DB",
    "MANIFEST",
    "BuildReport",
    "discover",
    "curation_path",
    "load_manifest",
    "parse_documents",
    "link",
    "build",
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
    from policy_lineage.ingest.parser import parse_file

    manifests: dict[Path, dict] = {}
    docs: list[Document] = []
    for k, f in enumerate(files, start=1):
        if f.parent not in manifests:
            manifests[f.parent] = load_manifest(f.parent)
        hints = manifests[f.parent].get(f.name, {})
        docs.append(parse_file(f, hints=hints))
        if progress:
            progress("parse", k, len(files))
    _check_duplicates(docs)
    return docs


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


def link(docs: list[Document], overrides: dict[str, list[str]] | None = None) -> Lineage:
    """Document lineage, then item links, clause coverage and sub-threshold candidates."""
    from policy_lineage.graph.lineage import document_parents
    from policy_lineage.graph.linking import link_documents

    return link_documents(docs, document_parents(docs, overrides))


def build(
    paths: Iterable[str | Path],
    db: str | Path = DEFAULT_DB,
    *,
    backend: str = "ladybug",
    progress: Progress | None = None,
    curation: str | Path | None = None,
) -> BuildReport:
    """Ingest, link and load; the store is replaced only when everything before it succeeded."""
    from policy_lineage.graph.nxgraph import build_graph
    from policy_lineage.graph.store import open_store

    t0 = time.perf_counter()
    files = discover(paths)
    if not files:
        raise LineageError("no documents found (supported: " + ", ".join(SUFFIXES) + ")")
    docs = parse_documents(files, progress)
    t1 = time.perf_counter()
    overrides = {}
    for folder in {f.parent for f in files}:
        for name, entry in load_manifest(folder).items():
            if entry.get("parents"):
                doc = next((d for d, f in zip(docs, files) if f.name == name and f.parent == folder), None)
                if doc is not None:
                    overrides[doc.ref] = list(entry["parents"])
    lineage = link(docs, overrides or None)
    curation_file = Path(curation) if curation is not None else curation_path(db)
    report_curation = apply_decisions(docs, lineage, load_decisions(curation_file))
    lineage.accepted_gaps = report_curation.accepted_gaps
    if progress:
        progress("link", 1, 1)
    t2 = time.perf_counter()
    graph = build_graph(docs, lineage)
    with open_store(backend, db) as store:
        stats = store.write(graph)
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
    report.counts.update({f"stored:{k}": v for k, v in getattr(stats, "counts", {}).items()})
    return report
