"""Text and JSON renderings of records, results, reports and statistics."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import textwrap
from typing import TYPE_CHECKING, TextIO

import click

from corpus.display import shown
from corpus.wording import plural

if TYPE_CHECKING:
    from corpus.record import Statement
    from corpus.scanning import Skipped
    from search.index import IndexStats
    from search.snippets import Snippet


def use_color(stream: TextIO) -> bool:
    """Colour only on a terminal, and neither when NO_COLOR is set (no-color.org) nor on a dumb one."""
    return stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def _width() -> int:
    return min(100, shutil.get_terminal_size((100, 24)).columns)


def echo(text: str, err: bool = False) -> None:
    """Print a line (or lines) made of our words and of text from documents and file names,
    which is made safe: line breaks and tabs are kept, every other control is shown escaped.
    Fields that must stay on one line are passed through `shown` first."""
    click.echo(shown(text, keep="\n\t"), err=err)


def print_skipped(skipped: list[Skipped]) -> None:
    """One line a file: the path, the kind and the reason."""
    for item in skipped:
        echo(f"{item.kind}: {shown(item.path)}: {shown(item.reason)}", err=True)


def json_text(data: object) -> str:
    """JSON as `--json` prints it and the web API returns it: UTF-8, indented, dates as strings;
    characters that could act on a terminal (which json.dumps leaves raw but for C0 controls)
    are written as \\uXXXX escapes, so the data read back is the same."""
    return shown(json.dumps(data, ensure_ascii=False, indent=2, default=str), keep="\n")


def document_json(rec: Statement) -> dict:
    """A document's record and text as JSON (`onu show --json`, GET /api/documents/SYMBOL)."""
    from corpus.record import statement_to_json
    return statement_to_json(rec)


def stats_json(stats: IndexStats) -> dict:
    """What the index holds as JSON (`onu stats --json`, GET /api/stats)."""
    return dataclasses.asdict(stats)


def sync_json(report) -> dict:
    """The sync report as JSON."""
    return {"index": report.index_dir, "engine": report.engine, "roots": report.roots, "added": report.added,
            "updated": report.updated, "removed": report.removed, "unchanged": report.unchanged,
            "skipped": [vars(s) for s in report.skipped], "warnings": [vars(s) for s in report.warnings],
            "documents": report.documents, "notes": report.notes, "seconds": round(report.seconds, 3)}


def print_record_table(records: list[Statement]) -> None:
    """One line a record: symbol, date, organ, session, agenda, states, title."""
    for rec in records:
        agenda = ",".join(a.number for a in rec.agenda_items)
        states = shown(",".join(rec.state_codes()))
        title = shown(f"{rec.title} — {rec.subject}" if rec.subject else rec.title)
        line = (f"{_cell(rec.symbol or rec.id, 22)} {_cell(rec.date, 10)} {_cell(rec.organ, 6)} "
                f"s{_cell(rec.session, 4)} pt {_cell(agenda, 8)} {title}")
        echo(line[:_width()])
        if states:
            echo(f"{'':22} states: {states[:_width() - 31]}")


def _cell(value: object, width: int) -> str:
    """A table cell: the value as safe text, '-' when missing, padded to the width (made text
    first: to a date, a format spec such as <10 is a strftime pattern)."""
    return ("-" if value is None or value == "" else shown(str(value))).ljust(width)


def print_results(results, color: bool) -> None:
    """Hits with their snippets; matched words bold on a colour terminal, [marked] otherwise."""
    if results.total == 0:
        echo("No document matches.")
        for s in results.suggestions:
            echo(f"Did you mean: {shown(s)}")
        return
    if results.partial:
        echo("No document matches every word; the best partial matches follow.")
    if not results.hits:
        pages = plural(results.pages, "page")
        past = "" if not results.limit else f"; page {results.page} is past the end ({pages})"
        echo(f"{plural(results.total, 'document')}{past}")
        _print_facets(results.facets)
        return
    first = (results.page - 1) * results.limit + 1
    echo(f"{plural(results.total, 'document')}; {first}-{first + len(results.hits) - 1} shown "
         f"(page {results.page} of {results.pages})\n")
    wrap = textwrap.TextWrapper(width=_width(), initial_indent="    ", subsequent_indent="    ")
    for n, hit in enumerate(results.hits, first):
        head = shown(f"{n}. {hit.symbol or hit.id}  {hit.date or ''}  {hit.organ or ''}")
        if hit.session:
            head += f"  session {hit.session}"
        click.echo(click.style(head, bold=True) if color else head)
        echo("   " + _title_line(shown(hit.title), shown(hit.subject or ""), _width() - 3))
        if hit.agenda_items:
            items = shown("; ".join(f"{a.number} {a.title or ''}".strip() for a in hit.agenda_items))
            echo("   " + textwrap.shorten("point " + items, _width() - 3, placeholder="…"))
        if hit.states:
            echo("   " + textwrap.shorten("états: " + shown(" ".join(hit.states)), _width() - 3, placeholder="…"))
        for snippet in hit.snippets:
            # Marked with controls that `shown` has escaped in the text, so that only ours remain.
            text = "\n".join(wrap.wrap("… " + _marked(snippet, "\0", "\1") + " …"))
            if color:
                text = text.replace("\0", "\x1b[1;33m").replace("\1", "\x1b[0m")
            else:
                text = text.replace("\0", "[").replace("\1", "]")
            click.echo(text)
        echo(f"   {shown(hit.path)}  (score {hit.score:.2f})\n")
    _print_facets(results.facets)


def _marked(snippet: Snippet, before: str, after: str) -> str:
    """The snippet's text made safe, with each matched word wrapped in the marks (left as they are)."""
    bounds = [0, *(i for mark in snippet.marks for i in mark), len(snippet.text)]
    parts = [shown(snippet.text[a:b]) for a, b in zip(bounds, bounds[1:])]
    return "".join(part + (before if i % 2 == 0 else after) for i, part in enumerate(parts[:-1])) + parts[-1]


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
        top = ", ".join(f"{shown(k)} {v}" for k, v in list(counts.items())[:15])
        echo(f"{name}: {top}")


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
            echo(f"{name:>12}: {shown(str(value))}")
    echo("")
    echo(rec.body)


def _bytes(size: int) -> str:
    return f"{size / 2**20:.1f} MiB" if size >= 2**20 else f"{size / 2**10:.0f} KiB"


def print_stats(stats) -> None:
    """The index's contents in a few lines."""
    pending = (f" ({_bytes(stats.pending_bytes)} of it left by replaced commits, removed by a later sync)"
               if stats.pending_bytes >= 2**10 else "")
    echo(f"index: {shown(stats.path)}\nengine: {stats.engine}\ndocuments: {stats.documents}\n"
         f"size: {_bytes(stats.size_bytes)}{pending}")
    echo(f"last sync: {shown(stats.last_sync or 'never')}\nfolders: {', '.join(map(shown, stats.roots)) or '-'}")
    for label, counts in (("by organ", stats.by_organ), ("by session", stats.by_session),
                          ("by year", stats.by_year), ("by state (top 20)", stats.by_state)):
        items = sorted(counts.items()) if label != "by state (top 20)" else list(counts.items())[:20]
        echo(f"{label}: " + ", ".join(f"{shown(k)} {v}" for k, v in items))
