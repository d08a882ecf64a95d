"""`onu search`: the query language, filters, paging, facets."""

from __future__ import annotations

import sys

import click

from search.settings import FACETS, LIMIT, MAX_LIMIT, SORTS

from .options import json_option, pass_index, print_json
from .render import print_results, use_color


def _facets(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[str, ...]:
    names = tuple(v.strip() for v in (value or "").split(",") if v.strip())
    bad = [n for n in names if n not in FACETS]
    if bad:
        raise click.BadParameter(f"unknown facet {bad[0]!r} (use {', '.join(FACETS)})")
    return names


@click.command()
@click.argument("words", nargs=-1, metavar="[QUERY]...")
@click.option("--state", "states", multiple=True, metavar="STATE",
              help="A member state (name, variant or ISO code) that sent, signed or sponsored; "
                   "repeatable: all must match.")
@click.option("--any-state", is_flag=True, help="With several --state: any of them is enough.")
@click.option("--agenda", metavar="ITEM", help="Agenda item number (107, '19 b)') or words of its title.")
@click.option("--session", metavar="SESSION", help="Session number (78), or with its organ ('GA 78', 'HRC 54').")
@click.option("--organ", metavar="ORGAN", help="GA, SC, ECOSOC, HRC (or their names).")
@click.option("--type", "doc_type", metavar="TYPE", help="Document type: résolution, décision, lettre, ...")
@click.option("--since", metavar="DATE", help="On or after this date (YYYY-MM-DD).")
@click.option("--until", metavar="DATE", help="On or before this date (YYYY-MM-DD).")
@click.option("--symbol", metavar="SYMBOL", help="The document with this symbol.")
@click.option("--sort", type=click.Choice(SORTS), default=None,
              help="Order (default: relevance; newest first when there are no query words).")
@click.option("--limit", type=click.IntRange(0, MAX_LIMIT), default=LIMIT, show_default=True, help="Hits per page.")
@click.option("--page", type=click.IntRange(1), default=1, show_default=True, help="Page number.")
@click.option("--facets", callback=_facets, metavar="LIST", help=f"Counts over all matches: {','.join(FACETS)}.")
@json_option
@pass_index
def search(ix, words, states, any_state, agenda, session, organ, doc_type, since, until, symbol, sort,
           limit, page, facets, as_json):
    """Search the index (the query's words may be quoted together or not; put `--` before
    a query that starts with a minus: onu search -- -nucléaire climat).

    \b
    Query language:
      traite des enfants           every word, in any of its forms (accents and case optional)
      "êtres humains"              the words in a row; "traite enfants"~3 up to 3 words between
      "conseiller"                 that word only, as written (not conseillers)
      climat OR océans             either;  NOT nucléaire  or  -nucléaire  to exclude
      (climat OR océans) Pacifique grouping;  protection*  words starting with "protection"
      title:  agenda: point:  state: etat:  session:78 session:"AG 78"  organ: organe:  type:
      symbol:S/RES/2677  cote:  cites:68/192  date:2024  date:[2023-01-01 TO 2023-06-30]

    Example:

    \b
        onu search "traite des enfants" --state Bélarus --agenda 107
        onu search --state FRA --session 78 --facets organ,year
        onu search 'cites:68/192' --json
    """
    query = " ".join(words)  # the words of an unquoted query arrive one by one
    results = ix.search(query, states=states, any_state=any_state, agenda=agenda, session=session, organ=organ,
                        doc_type=doc_type, since=since, until=until, symbol=symbol, sort=sort, limit=limit,
                        page=page, facets=facets)
    if as_json:
        print_json(results.to_json())
    else:
        print_results(results, color=use_color(sys.stdout))
