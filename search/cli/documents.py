"""`onu show` and `onu stats`: one document, and what the index holds."""

from __future__ import annotations

import click

from .options import json_option, pass_index, print_json
from .render import document_json, print_statement, print_stats, stats_json


@click.command()
@click.argument("symbol")
@json_option
@pass_index
def show(ix, symbol, as_json):
    """Print one document's record and text, by symbol or id.

    Example:

        onu show A/RES/78/144
    """
    rec = ix.get(symbol)
    if as_json:
        print_json(document_json(rec))
    else:
        print_statement(rec)


@click.command()
@json_option
@pass_index
def stats(ix, as_json):
    """Print what the index holds: documents by organ, session, year and state; size; last sync.

    Example:

        onu stats --json
    """
    result = ix.stats()
    if as_json:
        print_json(stats_json(result))
    else:
        print_stats(result)
