"""A build that fails midway leaves the store as it was: a killed process, a locked store, a bad file.

Every test starts from a real embedded store holding the seeds and records what it answers
(summary counts, the links and gaps CSVs); after the failure the store must open and answer
exactly that.  The builds that fail are given *different* inputs than the stored ones, and the
kill test finishes the same build afterwards to show it would have changed the answers — so an
equality after the failure means the store was untouched, not that nothing would have changed.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from policy_lineage.cli import cli
from policy_lineage.pipeline import discover

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
LINEAGE = [sys.executable, "-c", "from policy_lineage.cli import main; main()"]

pytestmark = pytest.mark.slow


def run(*args, code: int = 0):
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


def answers(db: Path) -> dict[str, str]:
    """What the store answers: the summary counts and the two contract CSVs."""
    return {
        "summary": "\n".join(sorted(run("query", "summary", "--db", db, "--format", "csv").output.splitlines())),
        "links": run("links", "--db", db, "--format", "csv").output,
        "gaps": run("gaps", "--db", db, "--format", "csv").output,
    }


@pytest.fixture(scope="module")
def seeds_store(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    db = tmp_path_factory.mktemp("built") / "graph.lbdb"
    run("build", SEEDS, "--db", db)
    return db, answers(db)


@pytest.fixture
def store(seeds_store, tmp_path) -> tuple[Path, dict[str, str]]:
    """A private copy of the seeds store (one file) and what it answers."""
    db = tmp_path / "store" / "graph.lbdb"
    db.parent.mkdir()
    shutil.copyfile(seeds_store[0], db)
    return db, seeds_store[1]


@pytest.fixture
def other_corpus(tmp_path) -> Path:
    """The seeds but one: a build of it would store different answers."""
    folder = tmp_path / "other"
    folder.mkdir()
    for f in discover([SEEDS])[1:]:
        shutil.copy(f, folder / f.name)
    return folder


def build_folders(db: Path) -> list[Path]:
    """The temporary folders a LadybugStore write builds the new database in."""
    return list(db.parent.glob(f".{db.name}.*.tmp"))


def kill_during_load(db: Path, corpus: Path) -> Path | None:
    """Start ``lineage build`` and SIGKILL it while the new database is being loaded.

    Returns the half-built database left behind, or None when the build was not caught inside
    its load (it ended first), so the caller can try again.
    """
    proc = subprocess.Popen([*LINEAGE, "build", str(corpus), "--db", str(db)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while proc.poll() is None:
            half_built = [f / db.name for f in build_folders(db) if (f / db.name).exists()]
            if half_built:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait()
                return half_built[0] if half_built[0].exists() else None
            time.sleep(0.002)
        return None
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        proc.stderr.close()


def test_killed_during_load_leaves_the_store_as_it_was(store, other_corpus):
    db, before = store
    half_built = None
    for _ in range(3):  # the load of a small corpus is short: try again if the build ended first
        half_built = kill_during_load(db, other_corpus)
        if half_built is not None:
            break
    assert half_built is not None, "the build was never caught during its load"
    assert not Path(str(db) + ".wal").exists()
    assert answers(db) == before  # opens, and answers exactly as before
    # the next build clears the dead build's folder and stores the other corpus: it would differ
    run("build", other_corpus, "--db", db)
    assert build_folders(db) == []
    assert answers(db) != before


def test_a_locked_store_refuses_the_build_and_keeps_its_content(store, other_corpus):
    import ladybug

    db, before = store
    holder = ladybug.Database(str(db))  # another writer holds the file
    try:
        proc = subprocess.run([*LINEAGE, "build", str(other_corpus), "--db", str(db)], capture_output=True, text=True, timeout=600)
    finally:
        holder.close()
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and f"cannot replace {db}" in lines[0] and "lock" in lines[0].lower(), proc.stderr
    assert answers(db) == before
    assert build_folders(db) == []


def test_a_batch_with_one_bad_file_names_it_and_ingests_nothing(store, other_corpus):
    db, before = store
    bad = other_corpus / "zz-scanned.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    result = run("build", other_corpus, "--db", db, code=1)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output
    assert str(bad) in lines[0] and "PNG image" in lines[0]
    assert "fix or remove" in lines[0] and "unchanged" in lines[0]  # says what to do
    assert answers(db) == before
