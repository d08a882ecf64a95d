"""The application: routes, templates, error pages, and the index it serves (one `Index`,
shared by the server's threads, which sees new commits by itself)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator

import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from corpus.errors import OnuError
from search.index import Index

from . import api, pages, views
from .errors import error_json, status_of

# Pages load their style and script from this server only, and run no inline script.
HEADERS = [(b"content-security-policy", b"default-src 'self'; img-src 'self' data:; frame-ancestors 'none'"),
           (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin")]


def create_app(index_dir: str | os.PathLike[str] | None = None, *, watch: bool = False) -> Starlette:
    """The web application over the index at `index_dir` (default: the CLI's); with `watch`,
    the index is synced with its folders whenever files there change."""
    ix = Index(index_dir)
    watcher = None
    if watch:
        from .watch import Watcher
        watcher = Watcher(ix.path)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if watcher:
            watcher.start()
        try:
            yield
        finally:
            if watcher:
                watcher.stop()
            ix.close()

    routes = [
        Route("/", pages.search_page, include_in_schema=False),  # pages: only the API is in the schema
        Route("/documents/{symbol:path}", pages.document_page, include_in_schema=False),
        Route("/stats", pages.stats_page, include_in_schema=False),
        Route("/api", pages.api_page, include_in_schema=False),
        Route("/api/search", api.search),
        Route("/api/documents/{symbol:path}", api.document),
        Route("/api/stats", api.stats),
        Route("/api/states", api.states),
        Route("/api/schema", api.schema, include_in_schema=False),
        Mount("/static", StaticFiles(packages=[("search.web", "static")]), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan, middleware=[Middleware(SecurityHeaders)],
                    exception_handlers={OnuError: _error, HTTPException: _error, Exception: _error})
    app.state.index = ix
    app.state.templates = templates()
    return app


def templates() -> Jinja2Templates:
    """The package's templates, every one autoescaped, with the helpers the pages use."""
    env = jinja2.Environment(loader=jinja2.PackageLoader("search.web", "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(doc_url=views.doc_url, state_name=views.state_name, mark=views.mark,
                       organs=views.ORGANS, sorts=views.SORTS)
    return Jinja2Templates(env=env)


async def _error(request: Request, exc: Exception) -> Response:
    """A library error or an unknown address as JSON under /api, as a page elsewhere; the
    message of an error of ours, never a traceback (which goes to the server's log)."""
    if isinstance(exc, HTTPException):
        status, message = exc.status_code, ("Cette adresse n’existe pas." if exc.status_code == 404 else exc.detail)
        body = {"error": {"status": status, "type": "HTTPError", "message": str(exc.detail)}}
    else:
        status = status_of(exc)  # a 500 is raised again after this answer, and logged by the server
        body = error_json(exc, status)
        message = str(body["error"]["message"])
    if request.url.path.startswith("/api/"):
        return api.json_response(body, status)
    templates = request.app.state.templates
    return templates.TemplateResponse(request, "error.html", {"status": status, "message": message},
                                      status_code=status)


class SecurityHeaders:
    """Adds the headers of `HEADERS` to every answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)
