"""A record read back from its stored JSON is the record that was stored, field for field."""

from __future__ import annotations

import dataclasses
import json

from hypothesis import given, settings
from hypothesis import strategies as st

import corpus
from corpus.record import FILTER_ROLES, ROLES, AgendaItem, Statement, StateRole, statement_from_json, statement_to_json


def stored(rec: Statement) -> dict:
    """The record as an index keeps it, and reads it: JSON text."""
    return json.loads(json.dumps(statement_to_json(rec)))


def assert_same(back: Statement, rec: Statement) -> None:
    """Equal in every field, `unclassified` (left out of ==) included, with the same types."""
    assert back == rec
    for field in dataclasses.fields(Statement):
        mine, theirs = getattr(back, field.name), getattr(rec, field.name)
        assert mine == theirs and type(mine) is type(theirs), field.name
    assert all(type(sr) is StateRole for sr in back.states)


codes = st.sampled_from(("FRA", "BLR", "CIV", "XXX", ""))
records = st.builds(
    Statement, id=st.text(max_size=5), path=st.just("a.xml"), checksum=st.just("0"), title=st.text(max_size=5),
    body=st.just(""), date=st.none() | st.dates(), session=st.none() | st.integers(1, 80),
    agenda_items=st.lists(st.builds(AgendaItem, st.text(max_size=3), st.none() | st.text(max_size=5))).map(tuple),
    states=st.lists(st.builds(StateRole, codes, st.sampled_from(ROLES)), max_size=40).map(tuple),
    signatories=st.lists(st.text(max_size=5)).map(tuple), unclassified=st.lists(st.text(max_size=5)).map(tuple))


@settings(max_examples=200, deadline=None)
@given(records)
def test_records_come_back_from_json(rec):
    back = statement_from_json(stored(rec))
    assert_same(back, rec)
    assert back.state_codes(*FILTER_ROLES) == rec.state_codes(*FILTER_ROLES)


def test_real_records_come_back_from_json(real_corpus):
    paths = sorted((real_corpus / "unxml").rglob("*.xml"))[::30]
    recs = [corpus.read(str(path)) for path in paths]
    assert sum(len(rec.states) > 30 for rec in recs) > 5
    for rec in recs:
        assert_same(statement_from_json(stored(rec)), rec)
