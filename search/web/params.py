"""The search parameters of a URL, read once for the page and the API alike.

The names are those of the library (`Index.search`) and of `onu search`: q, state
(repeatable), any_state, agenda, session, organ, type, since, until, symbol, sort, limit,
page, facets.
An empty field (what a form sends for a box left blank) counts as absent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, overload
from urllib.parse import urlencode

from indexer.errors import QueryError
from search.settings import LIMIT

# The filters a URL may carry, by their URL name, with the keyword `Index.search` takes.
FILTERS = {"agenda": "agenda", "session": "session", "organ": "organ", "type": "doc_type",
           "since": "since", "until": "until", "symbol": "symbol"}
YES = ("1", "true", "yes", "on")  # what a checkbox or a script sends for a flag that is set
DEFAULT_LIMIT = LIMIT


class QueryParams(Protocol):
    """What a request's query string offers (Starlette's QueryParams will do)."""

    @overload
    def get(self, key: str, /) -> str | None: ...

    @overload
    def get(self, key: str, default: str, /) -> str: ...

    def getlist(self, key: str) -> list[str]: ...


@dataclass(frozen=True)
class SearchParams:
    """One search as a URL states it."""

    q: str = ""
    states: tuple[str, ...] = ()
    any_state: bool = False  # one of the states is enough (else all of them)
    filters: Mapping[str, str] = field(default_factory=dict)  # URL name -> value
    sort: str | None = None
    limit: int = DEFAULT_LIMIT
    page: int = 1
    facets: tuple[str, ...] = ()

    def search_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of `Index.search`."""
        kwargs = {FILTERS[name]: value for name, value in self.filters.items()}
        return dict(query=self.q, states=self.states, any_state=self.any_state, sort=self.sort, limit=self.limit,
                    page=self.page, facets=self.facets, **kwargs)

    def url(self, **changes: Any) -> str:
        """This search's query string ("?q=..."), with some parameters replaced: None drops one,
        `state` takes a list. Back to the first page unless `page` is given."""
        values: dict[str, Any] = {"q": self.q, "state": list(self.states),
                                  "any_state": "1" if self.any_state else None, **self.filters, "sort": self.sort,
                                  "limit": self.limit if self.limit != DEFAULT_LIMIT else None, "page": None}
        values.update(changes)
        items = [(name, str(v)) for name, value in values.items()
                 for v in (value if isinstance(value, list) else [value])
                 if v not in (None, "") and not (name == "page" and v == 1)]
        return "?" + urlencode(items)


def read_params(query: QueryParams, *, facets: tuple[str, ...] = ()) -> SearchParams:
    """The search a query string asks for; QueryError (a 400) for a number that is not one.
    Values are checked by the library itself when it searches."""
    filters = {name: value.strip() for name in FILTERS if (value := query.get(name, "")) and value.strip()}
    asked = tuple(f.strip() for v in query.getlist("facets") for f in v.split(",") if f.strip())
    return SearchParams(
        q=query.get("q", "") or "",
        states=tuple(s.strip() for s in query.getlist("state") if s.strip()),
        any_state=(query.get("any_state") or "").strip().lower() in YES,
        filters=filters,
        sort=query.get("sort") or None,
        limit=_number(query, "limit", DEFAULT_LIMIT),
        page=_number(query, "page", 1),
        facets=asked or facets,
    )


def _number(query: QueryParams, name: str, default: int) -> int:
    value = (query.get(name) or "").strip()
    if not value:
        return default
    if not value.isdigit() or len(value) > 9:
        raise QueryError(f"{name} must be a whole number, not {value!r}")
    return int(value)
