"""Options shared by several commands, and the error handling of all of them."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

import click

from corpus.display import shown
from corpus.errors import OnuError

from .render import json_text


class OnuGroup(click.Group):
    """Turns library errors and output that cannot be written into one-line messages,
    and Ctrl-C into a clean exit."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Click's main; output that cannot be written (a full disk) stops with a line on stderr,
        even that of --help, which is written before any command is invoked."""
        try:
            return super().main(*args, **kwargs)
        except OSError as exc:
            if not _writing_output(exc):
                raise
            click.echo(f"Error: could not write the output ({exc.strerror or exc})", err=True)
            sys.exit(1)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except OnuError as exc:  # its message may quote a file name or a document's text
            raise click.ClickException(shown(str(exc))) from None
        except KeyboardInterrupt as exc:
            click.echo(getattr(exc, "message", "interrupted"), err=True)
            sys.exit(130)
        except BrokenPipeError:
            sys.stderr.close()
            sys.exit(0)


def _writing_output(exc: OSError) -> bool:
    """Whether an error rose from click.echo, through which `onu` writes all its output."""
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code is click.utils.echo.__code__:
            return True
        tb = tb.tb_next
    return False


def index_option(func: Callable) -> Callable:
    """--index DIR, defaulting to $ONU_SEARCH_INDEX or the per-user data folder."""
    return click.option("--index", "index_dir", type=click.Path(file_okay=False), default=None,
                        help="Index folder (default: $ONU_SEARCH_INDEX, else the per-user data folder).")(func)


def json_option(func: Callable) -> Callable:
    """--json: print machine-readable JSON instead of text."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")(func)


def print_json(data) -> None:
    """JSON on standard output, as `json_text` writes it."""
    click.echo(json_text(data))


def pass_index(func: Callable) -> Callable:
    """Opens the Index named by --index and passes it as `ix`."""
    @index_option
    @functools.wraps(func)
    def wrapper(index_dir, **kwargs):
        from search.index import Index
        with Index(index_dir) as ix:
            return func(ix=ix, **kwargs)
    return wrapper
