"""`onu index` and `onu inspect`: building the index and seeing what the readers got."""

from __future__ import annotations

import sys

import click

from corpus.display import shown
from corpus.wording import plural
from search.settings import ENGINE, ENGINES, LOCK_TIMEOUT

from .options import index_option, json_option, print_json
from .render import echo, print_record_table, print_skipped, sync_json


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@index_option
@click.option("--rebuild", is_flag=True, help="Start from an empty index (after a version change or damage).")
@click.option("--engine", type=click.Choice(ENGINES), default=None,
              help=f"Engine of a new index: {ENGINE} (the default) or tantivy, faster on large collections "
                   "(pip install 'onu-search[tantivy]'). Naming another engine than the index's rebuilds it.")
@click.option("--wait", "lock_timeout", type=float, default=LOCK_TIMEOUT, show_default=True,
              help="Seconds to wait for another writer to finish.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary.")
@json_option
def index(paths, index_dir, rebuild, engine, lock_timeout, quiet, as_json):
    """Index the documents under PATHS (files or folders); add, update, remove as they changed.

    Without PATHS, the folders of earlier runs are synced again.

    Example:

        onu index ../shared/corpus

        onu index --index /tmp/onu corpus/ letters/extra.txt

        onu index --engine tantivy ../shared/corpus
    """
    from search.index import Index

    show_bar = not (quiet or as_json) and sys.stderr.isatty()
    with Index(index_dir, lock_timeout=lock_timeout) as ix:
        if show_bar:
            with click.progressbar(length=1, label="indexing", file=sys.stderr, show_pos=True) as bar:
                def progress(done: int, total: int, path: str) -> None:
                    bar.length = total
                    bar.update(done - bar.pos)
                report = ix.sync(paths or None, rebuild=rebuild, progress=progress, engine=engine)
        else:
            report = ix.sync(paths or None, rebuild=rebuild, engine=engine)
    if as_json:
        print_json(sync_json(report))
    elif not quiet:
        print_skipped(report.skipped + report.warnings)
        for note in report.notes:
            echo(f"warning: {shown(note)}", err=True)
        echo(report.summary())


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@json_option
def inspect(paths, as_json):
    """Show what the readers get from documents, and which files they skip and why.

    Example:

        onu inspect ../shared/corpus/statements

        onu inspect --json some/file.xml
    """
    import corpus

    scan = corpus.scan(paths)
    records = list(scan)
    if as_json:
        from corpus.record import statement_to_json
        print_json({"records": [statement_to_json(r) for r in records],
                    "skipped": [vars(s) for s in scan.skipped]})
        return
    print_record_table(records)
    print_skipped(scan.skipped)
    unclassified = sorted({u for r in records for u in r.unclassified})
    for entry in unclassified:
        echo(f"unclassified sponsor entry: {shown(entry)}")
    skipped = plural(len(scan.skipped), "file")
    echo(f"{plural(len(records), 'document')} read, {skipped} skipped or warned about")
