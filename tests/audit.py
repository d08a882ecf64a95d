"""Which files and folders Python touches inside a block, from the interpreter's audit events."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

_SEEN: list[str] | None = None


def _audit(event: str, args) -> None:
    if _SEEN is None or not args:
        return
    if event == "open" and isinstance(args[0], (str, bytes)):
        _SEEN.append(os.fsdecode(args[0]))
    elif event in ("os.listdir", "os.scandir") and args[0] is not None:
        _SEEN.append(os.fsdecode(os.fspath(args[0])))


sys.addaudithook(_audit)  # audit hooks cannot be removed; this one records only inside `touched()`


@contextlib.contextmanager
def touched() -> Iterator[list[str]]:
    """The paths of the files opened and folders listed inside the block."""
    global _SEEN
    _SEEN = []
    try:
        yield _SEEN
    finally:
        _SEEN = None
