"""The ``lineage`` command line: thin wrappers that parse options and call one library function."""

from __future__ import annotations

import functools
import sys

import click

from policy_lineage import __version__
from policy_lineage.errors import LineageError


def _errors_as_one_line(func):
    """Turn any :class:`LineageError` into one line on stderr and exit status 1, no traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except LineageError as e:
            raise click.ClickException(str(e)) from e

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lineage")
def cli():
    """policy-lineage: link Chinese 政务公开 task documents across levels and query the lineage.

    \b
    Quick start (embedded store, bundled seeds):
      lineage build            # ingest seeds/, link, load into ./.lineage/graph.lbdb
      lineage gaps             # higher-level duties with no local counterpart
    """


def main() -> None:  # pragma: no cover - entry point
    cli(prog_name="lineage")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
