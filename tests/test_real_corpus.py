"""The shared corpus end to end: every file read, indexed without error, the seed found."""

import re
import time

import pytest

import corpus
from corpus.record import FILTER_ROLES
from search import Index

from tests.conftest import SEED_NAME


@pytest.fixture(scope="module")
def scanned(real_corpus):
    started = time.monotonic()
    scan = corpus.scan([real_corpus / "unxml"])
    records = list(scan)
    return records, scan.skipped, time.monotonic() - started


def test_every_french_file_yields_symbol_organ_date_title(scanned):
    records, skipped, seconds = scanned
    assert len(records) == 3046 and seconds < 60
    for rec in records:
        assert rec.symbol and rec.organ in {"GA", "SC", "ECOSOC", "HRC"} and rec.date and rec.title, rec.path
        assert all(len(s.code) == 3 and s.code.isupper() for s in rec.states)
    kinds = sorted((s.kind, s.path.rsplit("/", 1)[-1]) for s in skipped)
    assert [k for k, _ in kinds] == ["duplicate"] * 4 + ["not French"] * 3 + ["unsupported"]


def test_session_and_agenda_wherever_the_cover_has_them(scanned, real_corpus):
    records, _, _ = scanned
    for rec in records:
        raw = open(rec.path, encoding="utf-8").read()
        cover = raw[raw.find("<coverPage"):raw.find("</coverPage>")]
        if 'value="' in cover[cover.find("<session"):cover.find("</session>")] and rec.organ != "SC":
            assert rec.session, rec.path
        if re.search(r'name="agenda item">[^<]', cover):
            assert rec.agenda_items, rec.path
    # Sponsors as codes: states name the sponsors of 2,151 drafts; the rest were put forward by offices.
    assert sum(1 for r in records if r.states) > 2100


def test_the_corpus_indexes_without_errors(real_index):
    _, report = real_index
    assert report.documents == 3047
    assert {s.kind for s in report.skipped} <= {"duplicate", "not French", "unsupported"}


def test_every_statement_is_read_as_french_and_indexed(real_index, real_corpus):
    """The text reader tells English from French: every text of statements/ is French, and indexed."""
    index_dir, report = real_index
    statements = sorted((real_corpus / "statements").glob("*.txt"))
    assert statements
    richer = {s.path for s in report.skipped if s.kind == "duplicate"}  # kept from a richer format
    with Index(index_dir) as index:
        for path in statements:
            record = corpus.read(path)
            assert record.language == "fr"
            assert str(path) in richer or index.get(record.id).path == str(path)


@pytest.fixture(scope="module")
def seed_id(real_corpus):
    """The seed's id: it has no symbol, so its file's name and a fingerprint of its path. The seed
    letter is in office/ as Word and PDF too: one document, kept from its richest file, the Word one."""
    word = real_corpus / "office" / "docx" / "seed-letter.docx"
    return corpus.read(word if word.is_file() else real_corpus / "statements" / SEED_NAME).id


@pytest.fixture(scope="module")
def ix(real_index):
    with Index(real_index[0]) as index:
        yield index


@pytest.mark.parametrize("query", ["etres humains", "Bélarus", "belarus", "traite des enfants", "l’enfant"])
def test_the_seed_is_found(ix, seed_id, query):
    assert seed_id in [h.id for h in ix.search(query, limit=100)]


@pytest.mark.parametrize("state", ["Belarus", "BLR", "Bélarus"])
def test_the_seed_on_the_first_page_with_a_state_filter(ix, seed_id, state):
    assert seed_id in [h.id for h in ix.search("traite des enfants", states=[state])]


@pytest.mark.parametrize("kwargs", [{"agenda": "107"}, {"session": 78}])
def test_the_seed_with_agenda_or_session(ix, seed_id, kwargs):
    assert seed_id in [h.id for h in ix.search("traite des enfants", states=["Belarus"], **kwargs)]


def test_cites_finds_the_seed(ix, seed_id):
    assert seed_id in [h.id for h in ix.search("cites:68/192", limit=100)]


def test_state_and_session_filter_is_exact(ix, scanned):
    records, _, _ = scanned
    expected = {r.id for r in records if r.session == 78 and "FRA" in r.state_codes(*FILTER_ROLES)}
    res = ix.search("", states=["FRA"], session=78, limit=1000)
    assert {h.id for h in res} == expected and res.total == len(expected) > 50
    assert [h.date for h in res] == sorted((h.date for h in res), reverse=True)
