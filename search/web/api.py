"""The JSON API: the library's answers as `onu search --json`, `onu show --json` and
`onu stats --json` print them. Each endpoint's docstring is its OpenAPI description
(read by Starlette's SchemaGenerator, served at /api/schema and shown at /api)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.schemas import SchemaGenerator

from corpus.states import registry
from search.cli.render import document_json, json_text, stats_json

from .params import read_params

SCHEMA = SchemaGenerator({
    "openapi": "3.0.0",
    "info": {"title": "onu-search", "version": "1",
             "description": "Full-text search over United Nations documents in French."},
})


def json_response(data: object, status: int = 200) -> Response:
    """The data as the CLI's --json writes it."""
    return Response(json_text(data), status_code=status, media_type="application/json")


def search(request: Request) -> Response:
    """Search the index, as `onu search --json` does.
    ---
    summary: Search
    description: The same parameters and the same JSON as `onu search --json` (and `Index.search`).
    parameters:
      - {name: q, in: query, schema: {type: string}, description: "The query language (see the search page's help); empty lists every document, newest first."}
      - {name: state, in: query, schema: {type: array, items: {type: string}}, style: form, explode: true, description: "A member state that sent, signed or sponsored (French or English name, variant, ISO code); repeatable, all must match."}
      - {name: any_state, in: query, schema: {type: boolean, default: false}, description: "With several states: one of them is enough (1, true, yes, on)."}
      - {name: agenda, in: query, schema: {type: string}, description: "Agenda item number (107, 19 b)) or words of its title."}
      - {name: session, in: query, schema: {type: string}, description: "Session number (78), or with its organ (GA 78, HRC 54)."}
      - {name: organ, in: query, schema: {type: string}, description: "GA, SC, ECOSOC, HRC or their names."}
      - {name: type, in: query, schema: {type: string}, description: "Document type: résolution, décision, lettre..."}
      - {name: since, in: query, schema: {type: string, format: date}, description: "On or after this date (YYYY-MM-DD)."}
      - {name: until, in: query, schema: {type: string, format: date}, description: "On or before this date (YYYY-MM-DD)."}
      - {name: symbol, in: query, schema: {type: string}, description: "A document symbol (A/RES/78/144), with or without its year."}
      - {name: sort, in: query, schema: {type: string, enum: [relevance, date, -date]}, description: "Order (default relevance; newest first without query words)."}
      - {name: limit, in: query, schema: {type: integer, default: 10, minimum: 0, maximum: 1000}, description: "Hits per page."}
      - {name: page, in: query, schema: {type: integer, default: 1, minimum: 1}, description: "Page number."}
      - {name: facets, in: query, schema: {type: string}, description: "Counts over all matches, comma-separated: state,session,organ,agenda,year,type."}
    responses:
      200: {description: "query, total, page, limit, partial, suggestions, facets, hits (each with snippets and the offsets of the matched words)"}
      400: {description: "A query that cannot be parsed (with the position), an unknown state (with suggestions), a bad parameter."}
      503: {description: "No index yet, or one that cannot be read."}
    """
    params = read_params(request.query_params)
    return json_response(request.app.state.index.search(**params.search_kwargs()).to_json())


def document(request: Request) -> Response:
    """One document, as `onu show --json` prints it.
    ---
    summary: Document
    description: "A document's record and full text, by symbol (A/RES/78/144; slashes as they are) or id."
    parameters:
      - {name: symbol, in: path, required: true, schema: {type: string}}
    responses:
      200: {description: "The record: id, symbol, title, subject, date, organ, session, agenda_items, states (code and role), signatories, references, body..."}
      404: {description: No document with that symbol or id.}
      503: {description: "No index yet, or one that cannot be read."}
    """
    return json_response(document_json(request.app.state.index.get(request.path_params["symbol"])))


def stats(request: Request) -> Response:
    """What the index holds, as `onu stats --json` prints it.
    ---
    summary: Statistics
    description: Documents by organ, session, year and state; size on disk; last sync; folders.
    responses:
      200: {description: "path, engine, documents, size_bytes, pending_bytes, last_sync, roots, by_organ, by_session, by_year, by_state"}
      503: {description: "No index yet, or one that cannot be read."}
    """
    return json_response(stats_json(request.app.state.index.stats()))


def states(request: Request) -> Response:
    """Member states for a name being typed (the search page's suggestions).
    ---
    summary: Member states
    description: Up to 8 member or observer states whose name or code starts with, or is close to, what was typed.
    parameters:
      - {name: q, in: query, schema: {type: string}, description: "The beginning of a name or a code, in French or English."}
    responses:
      200: {description: "A list of {code, name_fr, name_en}."}
    """
    found = registry().complete(request.query_params.get("q", "")[:100])
    return json_response([{"code": st.alpha3, "name_fr": st.name_fr, "name_en": st.name_en} for st in found])


def schema(request: Request) -> Response:
    """The OpenAPI description of this API, made by Starlette from the endpoints' docstrings."""
    return JSONResponse(SCHEMA.get_schema(routes=request.app.routes))
