"""Text and JSON renderings of records, results, reports and statistics."""

from __future__ import annotations

import os
import shutil
import textwrap
from typing import TYPE_CHECKING, TextIO

import click

from corpus.wording import plural

if TYPE_CHECKING:
    from corpus.record import Statement
    from corpus.scanning import Skipped


def use_color(stream: TextIO) -> bool:
    """Colour only on a terminal, and neither when NO_COLOR is set (no-color.org) nor on a dumb one."""
    return stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def _width() -> int:
    return min(100, shutil.get_terminal_size((100, 24)).columns)


def print_skipped(skipped: list[Skipped]) -> None:
    """One line a file: the path, the kind and the reason."""
    for item in skipped:
        click.echo(f"{item.kind}: {item.path}: {item.reason}", err=True)


def sync_json(report) -> dict:
    """The sync report as JSON."""
    return {"index": report.index_dir, "roots": report.roots, "added": report.added,
            "updated": report.updated, "removed": report.removed, "unchanged": report.unchanged,
            "skipped": [vars(s) for s in report.skipped], "warnings": [vars(s) for s in report.warnings],
            "documents": report.documents, "notes": report.notes, "seconds": round(report.seconds, 3)}


def print_record_table(records: list[Statement]) -> None:
    """One line a record: symbol, date, organ, session, agenda, states, title."""
    for rec in records:
        agenda = ",".join(a.number for a in rec.agenda_items)
        states = ",".join(rec.state_codes())
        title = f"{rec.title} — {rec.subject}" if rec.subject else rec.title
        line = (f"{_cell(rec.symbol or rec.id, 22)} {_cell(rec.date, 10)} {_cell(rec.organ, 6)} "
                f"s{_cell(rec.session, 4)} pt {_cell(agenda, 8)} {title}")
        click.echo(line[:_width()])
        if states:
            click.echo(f"{'':22} states: {states[:_width() - 31]}")


def _cell(value: object, width: int) -> str:
    """A table cell: the value as text, '-' when missing, padded to the width (made text first:
    to a date, a format spec such as <10 is a strftime pattern)."""
    return ("-" if value is None or value == "" else str(value)).ljust(width)


def print_results(results, color: bool) -> None:
    """Hits with their snippets; matched words bold on a colour terminal, [marked] otherwise."""
    if results.total == 0:
        click.echo("No document matches.")
        for s in results.suggestions:
            click.echo(f"Did you mean: {s}")
        return
    if results.partial:
        click.echo("No document matches every word; the best partial matches follow.")
    if not results.hits:
        pages = plural(results.pages, "page")
        past = "" if not results.limit else f"; page {results.page} is past the end ({pages})"
        click.echo(f"{plural(results.total, 'document')}{past}")
        _print_facets(results.facets)
        return
    first = (results.page - 1) * results.limit + 1
    click.echo(f"{plural(results.total, 'document')}; {first}-{first + len(results.hits) - 1} shown "
               f"(page {results.page} of {results.pages})\n")
    wrap = textwrap.TextWrapper(width=_width(), initial_indent="    ", subsequent_indent="    ")
    for n, hit in enumerate(results.hits, first):
        head = f"{n}. {hit.symbol or hit.id}  {hit.date or ''}  {hit.organ or ''}"
        if hit.session:
            head += f"  session {hit.session}"
        click.echo(click.style(head, bold=True) if color else head)
        click.echo("   " + _title_line(hit.title, hit.subject, _width() - 3))
        if hit.agenda_items:
            items = "; ".join(f"{a.number} {a.title or ''}".strip() for a in hit.agenda_items)
            click.echo("   " + textwrap.shorten("point " + items, _width() - 3, placeholder="…"))
        if hit.states:
            click.echo("   " + textwrap.shorten("états: " + " ".join(hit.states), _width() - 3, placeholder="…"))
        for snippet in hit.snippets:
            text = "\n".join(wrap.wrap("… " + snippet.marked("\0", "\1") + " …"))
            if color:
                text = text.replace("\0", "\x1b[1;33m").replace("\1", "\x1b[0m")
            else:
                text = text.replace("\0", "[").replace("\1", "]")
            click.echo(text)
        click.echo(f"   {hit.path}  (score {hit.score:.2f})\n")
    _print_facets(results.facets)


def _title_line(title: str, subject: str | None, width: int) -> str:
    """The title, then " — subject" when the record has one, in at most `width` characters.

    A long title (a draft's list of sponsors) is cut down to a quarter of the line
    before the subject is, since the subject is what says what the document is about.
    """
    if not subject:
        return textwrap.shorten(title, width, placeholder="…")
    room = max(width // 4, width - len(subject) - 3, 1)
    return textwrap.shorten(f"{textwrap.shorten(title, room, placeholder='…')} — {subject}", width, placeholder="…")


def _print_facets(facets: dict[str, dict[str, int]]) -> None:
    for name, counts in facets.items():
        top = ", ".join(f"{k} {v}" for k, v in list(counts.items())[:15])
        click.echo(f"{name}: {top}")


def print_statement(rec: Statement) -> None:
    """A record's metadata, then its text."""
    rows = [("symbol", rec.symbol), ("title", rec.title), ("subject", rec.subject), ("date", rec.date),
            ("organ", rec.organ_name or rec.organ), ("type", rec.doc_type), ("session", rec.session),
            ("language", rec.language), ("original", rec.original_language), ("proponent", rec.proponent),
            ("agenda", "; ".join(f"{a.number} {a.title or ''}".strip() for a in rec.agenda_items)),
            ("signatories", ", ".join(rec.signatories)),
            ("states", ", ".join(f"{s.code} ({s.role})" for s in rec.states)),
            ("groups", "; ".join(rec.groups)), ("references", ", ".join(rec.references)), ("path", rec.path)]
    for name, value in rows:
        if value:
            click.echo(f"{name:>12}: {value}")
    click.echo("")
    click.echo(rec.body)


def print_stats(stats) -> None:
    """The index's contents in a few lines."""
    pending = (f" ({stats.pending_bytes / 2**20:.1f} MiB of it left by replaced commits, removed by a later sync)"
               if stats.pending_bytes else "")
    click.echo(f"index: {stats.path}\ndocuments: {stats.documents}\nsize: {stats.size_bytes / 2**20:.1f} MiB{pending}")
    click.echo(f"last sync: {stats.last_sync or 'never'}\nfolders: {', '.join(stats.roots) or '-'}")
    for label, counts in (("by organ", stats.by_organ), ("by session", stats.by_session),
                          ("by year", stats.by_year), ("by state (top 20)", stats.by_state)):
        items = sorted(counts.items()) if label != "by state (top 20)" else list(counts.items())[:20]
        click.echo(f"{label}: " + ", ".join(f"{k} {v}" for k, v in items))
