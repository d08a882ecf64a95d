"""Names of a package imported on first use, so that `onu` starts fast (PEP 562)."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module


def exports(package: str, table: dict[str, str]) -> Callable[[str], object]:
    """A module `__getattr__` giving each name of `table` from its module (absolute, or relative
    to `package` when it starts with a dot), imported when the name is first asked for."""
    def attribute(name: str) -> object:
        if name in table:
            return getattr(import_module(table[name], package), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")
    return attribute
