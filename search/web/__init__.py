"""`onu serve`: a search page and a JSON API over an index, a thin layer over `search.Index`.

    from search.web import create_app
    app = create_app("path/to/index")      # an ASGI app: uvicorn.run(app)

Needs the `web` extra (pip install 'onu-search[web]'): Starlette, Jinja2, uvicorn, watchfiles.
"""

from .app import create_app

__all__ = ["create_app"]
