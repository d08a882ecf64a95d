"""Library errors as HTTP answers: which status each kind of error is."""

from __future__ import annotations

from corpus.errors import OnuError, UnknownStateError
from indexer.errors import IndexProblemError, QueryError
from search.errors import NotFoundError


def status_of(exc: Exception) -> int:
    """400 for what the request asked wrongly, 404 for no such document, 503 while the index
    cannot be read (missing, damaged, not ours), 500 for anything else."""
    if isinstance(exc, (QueryError, UnknownStateError)):
        return 400
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, IndexProblemError):
        return 503
    return 500


def error_json(exc: Exception, status: int) -> dict:
    """The body of an API error: {"error": {"status", "type", "message", ...}}, with where a query
    went wrong and the states a name may have meant when the library says so."""
    message = str(exc) if isinstance(exc, OnuError) else "internal error; see the server's log"
    body: dict = {"status": status, "type": type(exc).__name__ if isinstance(exc, OnuError) else "Error",
                  "message": message}
    if isinstance(exc, QueryError) and exc.position is not None:
        body["position"] = exc.position
    if isinstance(exc, UnknownStateError):
        body["suggestions"] = list(exc.suggestions)
    return {"error": body}
