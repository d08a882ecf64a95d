"""The project's exception types; every library error derives from OnuError."""

from __future__ import annotations


class OnuError(Exception):
    """Base class of every error onu-search raises on purpose."""


class ReadError(OnuError):
    """A file could not be read into a record (the message says why)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class UnknownStateError(OnuError):
    """A name that the member-state registry does not know."""

    def __init__(self, name: str, suggestions: tuple[str, ...] = ()) -> None:
        hint = f" (did you mean {' or '.join(suggestions)}?)" if suggestions else ""
        super().__init__(f"unknown member state: {name!r}{hint}")
        self.name = name
        self.suggestions = suggestions
