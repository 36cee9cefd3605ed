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
    """A private copy of the seeds store (one file, and its workspace so parses are reused)."""
    from policy_lineage.workspace import workspace_path

    db = tmp_path / "store" / "graph.lbdb"
    db.parent.mkdir()
    shutil.copyfile(seeds_store[0], db)
    if workspace_path(seeds_store[0]).exists():
        shutil.copytree(workspace_path(seeds_store[0]), workspace_path(db))
    return db, seeds_store[1]


@pytest.fixture
def other_corpus(tmp_path) -> Path:
    """Two of the seeds: a build of them would store different answers (and runs quicker)."""
    folder = tmp_path / "other"
    folder.mkdir()
    for f in discover([SEEDS])[:2]:
        shutil.copy(f, folder / f.name)
    return folder


def build_folders(db: Path, pid: int | str = "*") -> list[Path]:
    """The temporary folders a LadybugStore write builds the new database in (of one process)."""
    return list(db.parent.glob(f".{db.name}.{pid}.*.tmp"))


#: Moments of the load to kill at: the new database file exists (its tables are being filled
#: through the log), or the file has pages (the log is being folded into it on close).
KILL_POINTS = {
    "tables being filled": lambda f: f.exists(),
    "file being written": lambda f: f.exists() and f.stat().st_size > 0,
}


def kill_during_load(db: Path, corpus: Path, when) -> Path | None:
    """Start ``lineage build`` and SIGKILL it at a moment of its load (``when`` the new file is so).

    Returns the half-built database left behind, or None when the build was not caught inside
    its load (it ended first), so the caller can try again.
    """
    proc = subprocess.Popen([*LINEAGE, "build", str(corpus), "--db", str(db)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while proc.poll() is None:
            for folder in build_folders(db, proc.pid):
                try:
                    caught = when(folder / db.name)
                except FileNotFoundError:  # renamed into place meanwhile
                    caught = False
                if caught:
                    os.kill(proc.pid, signal.SIGKILL)
                    proc.wait()
                    return folder / db.name if (folder / db.name).exists() else None
            time.sleep(0.001)
        return None
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def test_killed_during_load_leaves_the_store_as_it_was(store, other_corpus):
    db, before = store
    for point, when in KILL_POINTS.items():
        for _ in range(3):  # the load of a small corpus is short: try again if the build ended first
            if kill_during_load(db, other_corpus, when) is not None:
                break
        else:
            pytest.fail(f"the build was never caught during its load ({point})")
        assert not Path(str(db) + ".wal").exists()
        assert answers(db) == before, point  # opens, and answers exactly as before
    assert len(build_folders(db)) == 1  # the last killed build's (each write clears dead builds' first)
    # the next build clears the dead builds' folders and stores the other corpus: it would differ
    run("build", other_corpus, "--db", db)
    assert build_folders(db) == []
    assert answers(db) != before


def test_a_locked_store_refuses_the_build_and_keeps_its_content(store, other_corpus):
    db, before = store
    holder = subprocess.Popen(  # another process holds the database open for writing
        [sys.executable, "-c", "import ladybug, sys; db = ladybug.Database(sys.argv[1]); print('ready', flush=True); sys.stdin.read()", str(db)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "ready"
        result = run("build", other_corpus, "--db", db, code=1)
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)
        holder.stdout.close()
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"cannot replace {db}" in lines[0] and "lock" in lines[0].lower(), result.stderr
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
