"""Reading UN documents (AKN4UN XML, text converted from PDF) into typed records.

    import corpus
    record = corpus.read("A_RES_78_144F.xml")
    for record in corpus.scan(["../shared/corpus"]): ...

Names are imported on first use, so that a command that needs one module
does not pay for all of them; type checkers and editors read them from the
imports below.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .lazy import exports

if TYPE_CHECKING:
    from .errors import OnuError, ReadError, UnknownStateError
    from .record import AgendaItem, Statement, StateRole
    from .scanning import Scan, Skipped, read, scan
    from .states import MemberState, StateRegistry, registry

_EXPORTS = {
    "OnuError": "errors", "ReadError": "errors", "UnknownStateError": "errors",
    "AgendaItem": "record", "Statement": "record", "StateRole": "record",
    "Scan": "scanning", "Skipped": "scanning", "read": "scanning", "scan": "scanning",
    "MemberState": "states", "StateRegistry": "states", "registry": "states",
}
__all__ = ["AgendaItem", "MemberState", "OnuError", "ReadError", "Scan", "Skipped", "StateRegistry", "StateRole",
           "Statement", "UnknownStateError", "read", "registry", "scan"]

if not TYPE_CHECKING:  # hidden from type checkers, which would take any unknown name for one of these
    __getattr__ = exports(__name__, {name: f".{module}" for name, module in _EXPORTS.items()})
