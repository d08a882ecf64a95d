"""`onu show` and `onu stats`: one document, and what the index holds."""

from __future__ import annotations

import dataclasses

import click

from .options import json_option, pass_index, print_json
from .render import print_statement, print_stats


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
        from corpus.record import statement_to_json
        print_json(statement_to_json(rec))
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
        print_json(dataclasses.asdict(result))
    else:
        print_stats(result)
