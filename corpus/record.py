"""The typed record of one UN document, as the readers produce it."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

# Roles a member state can play in a document.
SENDER = "sender"          # the letter comes from its representative
SIGNATORY = "signatory"    # a person of that state signs the text
SPONSOR = "sponsor"        # named in a draft's sponsor list
COSPONSOR = "cosponsor"    # joined the sponsors later ("additional sponsors")
MEMBER = "member"          # listed as a member of the group that speaks
FOR_GROUP = "for_group"    # speaks on behalf of a group
PERSON = "person"          # state of a named person (facilitator, chair)
ROLES = (SENDER, SIGNATORY, SPONSOR, COSPONSOR, MEMBER, FOR_GROUP, PERSON)
# The roles that `--state` filters on: a facilitator's state is not a party to the text.
FILTER_ROLES = (SENDER, SIGNATORY, SPONSOR, COSPONSOR, MEMBER, FOR_GROUP)


@dataclass(frozen=True)
class AgendaItem:
    """An agenda item: its number as written ("107", "19 b)") and its title."""

    number: str
    title: str | None = None


@dataclass(frozen=True)
class StateRole:
    """A member state (ISO 3166 alpha-3) and the part it plays in a document."""

    code: str
    role: str


@dataclass(frozen=True)
class Statement:
    """One document: metadata from its cover page and workflow, and its clean text."""

    id: str
    path: str
    checksum: str
    title: str
    body: str
    symbol: str | None = None
    language: str = "fr"
    original_language: str | None = None
    organ: str | None = None
    organ_name: str | None = None
    doc_type: str | None = None
    date: dt.date | None = None
    session: int | None = None
    agenda_items: tuple[AgendaItem, ...] = ()
    signatories: tuple[str, ...] = ()
    states: tuple[StateRole, ...] = ()
    groups: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    proponent: str | None = None
    # What the document is about where its title does not say: a Security Council
    # resolution's agenda item ("La situation en Libye"); None elsewhere.
    subject: str | None = None
    unclassified: tuple[str, ...] = field(default=(), compare=False)

    def state_codes(self, *roles: str) -> tuple[str, ...]:
        """Distinct state codes, in order of appearance, optionally of some roles only."""
        seen: dict[str, None] = {}
        for sr in self.states:
            if not roles or sr.role in roles:
                seen.setdefault(sr.code, None)
        return tuple(seen)


def clean_identifier(text: str) -> str:
    """The text fit for an id or a symbol: without control and format characters (C0 and C1
    controls, bidirectional overrides, zero-width marks), its runs of spaces made one."""
    if not text.isprintable():  # the rare case: look at each character
        text = "".join(" " if c.isspace() else c for c in text if c.isspace() or unicodedata.category(c)[0] != "C")
    return " ".join(text.split())


def document_id(symbol: str | None, path: str) -> str:
    """A document's id: its symbol, or else its file name and a fingerprint of its whole path.

    "rapport (3fa2c1d0)": two files of one name in different folders are two documents,
    and the id does not depend on the order the folders are read in. As "S/RES/2677"
    finds "S/RES/2677 (2023)", the bare name finds the document (Index.get("rapport")).
    """
    if symbol:
        return clean_identifier(symbol)
    where = hashlib.blake2b(os.fsencode(os.path.abspath(path)), digest_size=4).hexdigest()
    name = clean_identifier(Path(path).stem)
    return f"{name} ({where})" if name else where


def statement_to_json(rec: Statement) -> dict:
    """A JSON-ready dict of the record (dates as ISO strings)."""
    data = asdict(rec)
    data["date"] = rec.date.isoformat() if rec.date else None
    return data


def statement_from_json(data: dict) -> Statement:
    """The record back from `statement_to_json`."""
    fields = dict(data)
    fields["date"] = dt.date.fromisoformat(data["date"]) if data.get("date") else None
    fields["agenda_items"] = tuple(AgendaItem(**a) for a in data.get("agenda_items", ()))
    fields["states"] = tuple(_state_role(s["code"], s["role"]) for s in data.get("states", ()))
    for name in ("signatories", "groups", "references", "unclassified"):
        fields[name] = tuple(data.get(name, ()))
    return Statement(**fields)


@functools.lru_cache(maxsize=4096)
def _state_role(code: str, role: str) -> StateRole:
    """A StateRole, shared: the same few hundred pairs of state and role recur in record after record."""
    return StateRole(code, role)
