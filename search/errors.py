"""Errors of the public API that are not about the index itself (those are in indexer/errors.py)."""

from __future__ import annotations

from corpus.errors import OnuError


class NotFoundError(OnuError):
    """No document with that symbol or id."""
