"""`onu serve`: the search page and the JSON API, over HTTP."""

from __future__ import annotations

import os
import socket

import click

from .options import index_option


@click.command()
@index_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0: every network of this machine).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--watch", is_flag=True, help="Sync the index with its folders whenever files there change.")
def serve(index_dir, host, port, watch):
    """Serve a search page and a JSON API over the index, at http://HOST:PORT/.

    Needs the web extra: pip install 'onu-search[web]'.

    Example:

        onu serve --watch
    """
    try:
        import uvicorn

        from search.web import create_app
    except ImportError as exc:
        raise click.ClickException(f"onu serve needs the web extra ({exc.name} is not installed): "
                                   "pip install 'onu-search[web]'") from None
    _check_free(host, port)
    uvicorn.run(create_app(index_dir, watch=watch), host=host, port=port, log_level="info")


def _check_free(host: str, port: int) -> None:
    """Say in one line that the address cannot be listened on (uvicorn logs it, then exits with 3)."""
    try:
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        why = os.strerror(exc.errno) if exc.errno else str(exc)
        raise click.ClickException(f"cannot listen on {host}:{port} ({why}); "
                                   "choose another with --port") from None
