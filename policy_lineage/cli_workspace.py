"""``lineage add`` and ``lineage remove``: change the built corpus by a document at a time.

Both work on the corpus recorded in the workspace beside ``--db`` (see
:mod:`policy_lineage.workspace`) by the last ``lineage build``, and end like a build: the store
replaced in one write, curation re-applied, the same summary printed.
"""

from __future__ import annotations

from pathlib import Path

import click

from policy_lineage.cli import _errors_as_one_line, cli
from policy_lineage.cli_graph import _run, build_summary, store_options, with_progress

__all__ = ["add", "remove"]


def _finish(run, target, db: Path, backend: str) -> None:
    from policy_lineage.workspace import Workspace

    report = with_progress(run, target, db, backend=backend, workspace=Workspace.for_db(db))
    click.echo(build_summary(report, _run(backend, db, "gaps"), db if backend == "ladybug" else "neo4j"))


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_options
@_errors_as_one_line
def add(files: tuple[Path, ...], db: Path, backend: str) -> None:
    """Add documents to the built corpus, linking only the document pairs they change.

    FILES are files or folders.  A file already in the corpus whose content changed replaces
    its items; curation decisions whose items still exist keep applying.  One bad file stops
    the command with its name, and the store keeps its previous content.

    \b
    Example:
      lineage build seeds/ && lineage add new/sichuan-2022-plan.txt
    """
    from policy_lineage.pipeline import add as run_add

    _finish(run_add, list(files), db, backend)


@cli.command()
@click.argument("doc_ref")
@store_options
@_errors_as_one_line
def remove(doc_ref: str, db: Path, backend: str) -> None:
    """Remove one document from the built corpus, with its items and every link to them.

    DOC_REF is the document's 文号, its title, or its file as it was added.

    \b
    Example:
      lineage remove 川办发〔2021〕16号
    """
    from policy_lineage.pipeline import remove as run_remove

    _finish(run_remove, doc_ref, db, backend)
