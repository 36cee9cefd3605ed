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


def format_option(*choices: str, default: str = "table"):
    """The same ``--format`` option on every listing command."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=default,
        show_default=True,
        help="Output format.",
    )


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@format_option("json", "table", default="json")
@_errors_as_one_line
def parse(file: str, fmt: str) -> None:
    """Parse one document and print its metadata and items.

    FILE may be .txt, .md, .html, .docx or .pdf (text layer) in UTF-8 or GB18030/GBK.
    JSON follows the contract in DESIGN.md: title, doc_no, issuer, region, level, date, year,
    items[] with seq, section, title, text, lead_units[], units[], deadline, source.

    \b
    Example:
      lineage parse seeds/sichuan-2021-chuanbanfa-16-province.txt --format table
    """
    import json

    from policy_lineage.graph.model import to_dict
    from policy_lineage.ingest.parser import parse_file
    from policy_lineage.output import format_rows

    doc = parse_file(file)
    if fmt == "json":
        click.echo(json.dumps(to_dict(doc), ensure_ascii=False, indent=2))
        return
    click.echo(
        f"{doc.title}\n文号 doc_no: {doc.doc_no or '-'}   发文机关 issuer: {doc.issuer or '-'}   "
        f"地区 region: {' > '.join(doc.region_path) or '-'} ({doc.level or '-'})   "
        f"日期 date: {doc.date or '-'}   年度 year: {doc.year or '-'}   条目 items: {len(doc.items)}"
    )
    rows = [
        {
            "序号 seq": it.seq,
            "任务 title/text": (it.title + "｜" if it.title and it.title not in it.text[: len(it.title) + 1] else "") + it.text[:60],
            "牵头 lead": [u.name for u in it.lead_units],
            "责任 units": [u.name + ("(指导)" if u.role == "guide" else "") for u in it.units],
            "时限 deadline": (it.deadline.date or it.deadline.kind) if it.deadline else "",
        }
        for it in doc.items
    ]
    click.echo(format_rows(rows, None, "table"), nl=False)


def main() -> None:  # pragma: no cover - entry point
    cli(prog_name="lineage")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


from policy_lineage import cli_report  # noqa: E402,F401
from policy_lineage import cli_bench  # noqa: E402,F401
from policy_lineage import cli_graph  # noqa: E402,F401
from policy_lineage import cli_siblings  # noqa: E402,F401
from policy_lineage import cli_workspace  # noqa: E402,F401
from policy_lineage import cli_curation  # noqa: E402,F401
from policy_lineage import cli_evolution  # noqa: E402,F401
