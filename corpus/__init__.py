"""Reading UN documents (AKN4UN XML, text converted from PDF) into typed records.

    import corpus
    record = corpus.read("A_RES_78_144F.xml")
    for record in corpus.scan(["../shared/corpus"]): ...

Names are imported on first use, so that a command that needs one module
does not pay for all of them.
"""

from importlib import import_module

_EXPORTS = {
    "OnuError": "errors", "ReadError": "errors", "UnknownStateError": "errors",
    "AgendaItem": "record", "Statement": "record", "StateRole": "record",
    "Scan": "scanning", "Skipped": "scanning", "read": "scanning", "scan": "scanning",
    "MemberState": "states", "StateRegistry": "states", "registry": "states",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
