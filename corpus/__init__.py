"""Reading UN documents (AKN4UN XML, text converted from PDF) into typed records.

    import corpus
    record = corpus.read("A_RES_78_144F.xml")
    for record in corpus.scan(["corpus/"]): ...
"""

from .errors import OnuError, ReadError, UnknownStateError
from .record import AgendaItem, Statement, StateRole
from .scan import Scan, Skipped, read, scan
from .states import MemberState, StateRegistry, registry

__all__ = [
    "AgendaItem", "MemberState", "OnuError", "ReadError", "Scan", "Skipped", "StateRegistry",
    "StateRole", "Statement", "UnknownStateError", "read", "registry", "scan",
]
