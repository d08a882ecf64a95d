"""The HTML pages: search, document, index, API reference. Server-rendered, in French."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from corpus.errors import UnknownStateError
from indexer.errors import QueryError
from search.index import Index, NotFoundError

from . import views
from .api import SCHEMA
from .params import SearchParams, read_params


def search_page(request: Request) -> Response:
    """The search form, the results with their facets, or what was wrong with the query."""
    ix = request.app.state.index
    error, results, status = None, None, 200
    try:
        params = read_params(request.query_params, facets=views.PAGE_FACETS)
        results = ix.search(**params.search_kwargs())
    except (QueryError, UnknownStateError) as exc:
        error, status = exc, 400
        params = _readable(request)
    fixes = [(name, params.url(state=[name if s == error.name else s for s in params.states]))
             for name in error.suggestions] if isinstance(error, UnknownStateError) else []
    context = {"params": params, "results": results, "error": error, "fixes": fixes,
               "organ": views.same_organ(params.filters.get("organ", "")),
               # `is not None`: a page of no hits is an empty, falsy Results
               "facets": views.facets(params, results.facets) if results is not None else [],
               "pages": views.pages(results.page, results.pages) if results is not None else []}
    return request.app.state.templates.TemplateResponse(request, "search.html", context, status_code=status)


def _readable(request: Request) -> SearchParams:
    """The parameters again for the form, when a number among them could not be read."""
    try:
        return read_params(request.query_params)
    except QueryError:
        return SearchParams(q=request.query_params.get("q", ""))


def document_page(request: Request) -> Response:
    """A document's record, its text with the query's words marked, links to the official versions."""
    ix = request.app.state.index
    rec = ix.get(request.path_params["symbol"])
    query = request.query_params.get("q", "")
    try:
        marks = ix.marks(rec.id, query) if query.strip() else ()
    except (QueryError, UnknownStateError):  # the text is shown unmarked
        marks = ()
    references = [(ref, views.doc_url(ref) if _indexed(ix, ref) else None) for ref in rec.references]
    context = {"rec": rec, "query": query, "body": views.mark(rec.body, marks), "marked": len(marks),
               "roles": views.roles(rec.states), "references": references, "languages": views.LANGUAGES}
    return request.app.state.templates.TemplateResponse(request, "document.html", context)


def _indexed(ix: Index, symbol: str) -> bool:
    """Whether a cited document is in the index (its reference is then a link)."""
    try:
        ix.get(symbol)
    except NotFoundError:
        return False
    return True


def stats_page(request: Request) -> Response:
    """What the index holds: counts by organ, session and year, last sync, folders."""
    stats = request.app.state.index.stats()
    return request.app.state.templates.TemplateResponse(request, "stats.html", {"stats": stats,
                                                                                "params": SearchParams()})


def api_page(request: Request) -> Response:
    """The API's reference, read from the OpenAPI schema that Starlette makes of the endpoints."""
    schema = SCHEMA.get_schema(routes=request.app.routes)
    return request.app.state.templates.TemplateResponse(request, "api.html", {"schema": schema})
