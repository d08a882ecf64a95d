"""Tests of corpus.textreader, the reader of text converted from PDF."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest

import corpus
from corpus.errors import ReadError
from corpus.french import text_language
from corpus.record import MEMBER, SENDER, SIGNATORY, AgendaItem, Statement, StateRole
from corpus.scanning import NOT_FRENCH, Skipped
from corpus.textreader import decode, read_text

CORPUS = Path(os.environ.get("ONU_SEARCH_CORPUS", Path(__file__).resolve().parents[1].parent / "shared" / "corpus"))
SEED = CORPUS / "statements" / "000_b95a1824a29d38a3.txt"
FIXTURES = Path(__file__).parent / "fixtures" / "text"
MEMBERS = ("BHR BGD BLR BOL EGY ARE ERI RUS IND KAZ KGZ LBY NIC NGA UZB PHL QAT LAO SGP TJK TKM VEN").split()


def read(path: Path, data: bytes | None = None) -> tuple[Statement, list[str]]:
    """Read a file (or other bytes under its name) with a dummy checksum."""
    return read_text(str(path), path.read_bytes() if data is None else data, "checksum")


@pytest.fixture(scope="module")
def seed_bytes() -> bytes:
    if not SEED.is_file():
        pytest.skip(f"seed statement not found at {SEED} (set ONU_SEARCH_CORPUS to the shared corpus folder)")
    return SEED.read_bytes()


@pytest.fixture(scope="module")
def seed(seed_bytes: bytes) -> Statement:
    statement, warnings = read(SEED, seed_bytes)
    assert warnings == []
    return statement


# -- the seed statement ------------------------------------------------------------------

def test_seed_cover_page(seed: Statement) -> None:
    assert re.fullmatch(r"000_b95a1824a29d38a3 \([0-9a-f]{8}\)", seed.id)  # no symbol: its file's name and path
    assert seed.symbol is None
    assert seed.path == str(SEED)
    assert seed.checksum == "checksum"
    assert seed.date == dt.date(2024, 6, 27)
    assert seed.session == 78
    assert (seed.organ, seed.organ_name) == ("GA", "Assemblée générale")
    assert seed.language == "fr"
    assert seed.original_language == "en"
    assert seed.agenda_items == (AgendaItem("107", "Prévention du crime et justice pénale"),)
    assert seed.title == ("Lettre datée du 27 juin 2024, adressée au Secrétaire général par le Représentant "
                          "permanent du Bélarus auprès de l'Organisation des Nations Unies")
    assert seed.doc_type == "lettre"


def test_seed_people_states_and_group(seed: Statement) -> None:
    assert seed.signatories == ("Valentin Rybakov",)
    assert seed.state_codes(SENDER) == ("BLR",)
    assert seed.state_codes(SIGNATORY) == ("BLR",)
    assert list(seed.state_codes(MEMBER)) == MEMBERS
    assert seed.states == (StateRole("BLR", SENDER), StateRole("BLR", SIGNATORY),
                           *(StateRole(code, MEMBER) for code in MEMBERS))
    assert seed.groups == ("Groupe d'Amis unis contre la traite des êtres humains",)
    assert seed.unclassified == ()


def test_seed_references(seed: Statement) -> None:
    assert seed.references == ("A/RES/68/192",)


def test_seed_body_is_clean_text_in_paragraphs(seed: Statement) -> None:
    body = seed.body
    assert body.startswith("J'ai l'honneur de vous faire tenir ci-joint la déclaration")
    assert "paragraphe 5 de la résolution 68/192 (voir annexe)." in body
    assert "\n\n(Signé) Valentin Rybakov\n\n" in body
    assert "Membres du Groupe d'Amis\n\nBahreïn\tBangladesh\n" in body
    assert body.endswith("Turkménistan\tVenezuela")
    for mark in ("**", "](", "[68", "\u00a0", "\u202f", "\n\n\n", "Distr. générale", "Original :"):
        assert mark not in body
    assert len(body.split("\n\n")) == 20


@pytest.mark.parametrize(("encode", "warning"), [
    (lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"), None),
    (lambda text: text.replace("\n", "\r\n").encode("utf-8"), None),
    (lambda text: text.replace("\n", "\r").encode("utf-8"), None),
    (lambda text: text.replace("'", "\u2019").encode("utf-8"), None),
    (lambda text: text.replace(" ", "\u00a0", 50).encode("utf-8"), None),
    (lambda text: text.encode("utf-16"), "UTF-16"),
    (lambda text: b"\xfe\xff" + text.encode("utf-16-be"), "UTF-16"),
    (lambda text: text.replace("\n", "\r\n").encode("cp1252"), "cp1252"),
], ids=["bom", "crlf", "cr", "curly", "nbsp", "utf16le", "utf16be", "cp1252"])
def test_seed_in_other_encodings_reads_the_same(seed: Statement, seed_bytes: bytes, encode, warning: str | None) -> None:
    other, warnings = read(SEED, encode(seed_bytes.decode("utf-8")))
    fields = ("date", "session", "organ", "language", "original_language", "agenda_items", "signatories",
              "states", "groups", "references", "doc_type", "id")
    assert {f: getattr(other, f) for f in fields} == {f: getattr(seed, f) for f in fields}
    assert other.title.replace("\u2019", "'") == seed.title
    if warning is None:
        assert warnings == []
    else:
        assert len(warnings) == 1 and warning in warnings[0]


# -- fixtures: hard cases ----------------------------------------------------------------

def test_note_verbale_with_curly_apostrophes_and_nbsp() -> None:
    statement, warnings = read(FIXTURES / "note_verbale_france_nbsp.txt")
    assert warnings == []
    assert statement.id == statement.symbol == "A/77/812"
    assert statement.doc_type == "note verbale"
    assert statement.date == dt.date(2023, 3, 1)
    assert (statement.organ, statement.session) == ("GA", 77)
    assert (statement.language, statement.original_language) == ("fr", "fr")
    assert statement.agenda_items == (
        AgendaItem("19 b)", "Développement durable : suivi et application des Orientations de Samoa"),
        AgendaItem("20", "Application des décisions prises par la Conférence des Nations Unies sur les "
                         "établissements humains"))
    assert statement.states == (StateRole("FRA", SENDER),)
    assert statement.signatories == ()
    assert statement.references == ("A/RES/77/1", "S/RES/2700 (2023)", "A/77/298")
    assert "le rapport national de la France (voir annexe)" in statement.body
    assert "\nRapport national de la France\n" in statement.body
    assert "_" not in statement.body and "**" not in statement.body


def test_english_text_is_english_and_skipped_as_not_french() -> None:
    """An English original declares no language (only "Original: English"): its words tell it,
    and the scan skips it as it skips an English AKN file."""
    english = FIXTURES / "ga_letter_belarus_english.txt"
    assert read(english)[0].language == "en"
    scan = corpus.scan([english, FIXTURES / "note_verbale_france_nbsp.txt"])
    assert [r.symbol for r in scan] == ["A/77/812"]
    assert scan.skipped == [Skipped(str(english), NOT_FRENCH, "language is 'en', not 'fr'")]


@pytest.mark.parametrize(("text", "language"), [
    ("La traite des enfants est un crime contre les droits de la personne et une atteinte à la dignité "
     "qui doit cesser dans le monde entier.", "fr"),
    ("Trafficking in persons is a crime that has been condemned by the General Assembly, which calls for "
     "the protection of its victims and for the cooperation of States with the Office.", "en"),
    ("Texte.", None),
    ("The Group of Friends: le Bélarus, the Philippines et le Qatar.", None),
])
def test_text_language(text: str, language: str | None) -> None:
    assert text_language(text) == language


def test_security_council_letter_in_cp1252_with_crlf_and_no_agenda_item() -> None:
    statement, warnings = read(FIXTURES / "sc_letter_inde_cp1252_crlf.txt")
    assert warnings == ["not valid UTF-8; read as Windows-1252 (cp1252), a guess"]
    assert statement.id == "S/2022/912"
    assert (statement.organ, statement.organ_name) == ("SC", "Conseil de sécurité")
    assert statement.date == dt.date(2022, 12, 2)
    assert statement.session is None and statement.agenda_items == ()
    assert statement.doc_type == "lettre"
    assert statement.title.startswith("Lettre datée du 2 décembre 2022, adressée au Président du Conseil de sécurité "
                                      "par le Chargé d’affaires par intérim de la Mission permanente de l’Inde")
    assert statement.signatories == ("Prénom Nomdefamille",)
    assert statement.states == (StateRole("IND", SENDER), StateRole("IND", SIGNATORY))
    assert statement.references == ("S/RES/1373 (2001)",)
    assert "au cœur de notre action" in statement.body and "\r" not in statement.body


def test_general_assembly_letter_with_bom_crlf_and_a_member_list_in_spaces() -> None:
    statement, warnings = read(FIXTURES / "ga_letter_france_bom_crlf.txt")
    assert warnings == []
    assert statement.id == "A/71/789"
    assert statement.date == dt.date(2017, 2, 14)
    assert (statement.session, statement.original_language) == (71, "en")
    assert [item.number for item in statement.agenda_items] == ["12", "13", "117"]
    assert statement.agenda_items[2] == AgendaItem("117", "Renforcement du système des Nations Unies")
    assert statement.state_codes(SENDER) == statement.state_codes(SIGNATORY) == ("FRA",)
    assert statement.state_codes(MEMBER) == ("ESP", "FIN", "FRA", "IDN", "MAR", "TUR", "CHE")
    assert statement.unclassified == ("Union européenne",)
    assert statement.groups == ("Groupe des Amis de la médiation",)
    assert statement.signatories == ("Prénom Autrenom",)
    assert statement.references == ("A/RES/70/1", "A/RES/65/283", "A/RES/68/303")
    assert not statement.body.startswith("\ufeff") and "\r" not in statement.body


def test_human_rights_council_note_in_utf16() -> None:
    statement, warnings = read(FIXTURES / "hrc_note_philippines_utf16.txt")
    assert warnings == ["encoded in UTF-16 (byte-order mark), not UTF-8"]
    assert statement.id.startswith("hrc_note_philippines_utf16 (") and statement.symbol is None
    assert (statement.organ, statement.session, statement.doc_type) == ("HRC", 55, "note verbale")
    assert statement.date == dt.date(2024, 3, 5)
    assert statement.original_language is None and statement.language == "fr"
    assert statement.agenda_items == (
        AgendaItem("4", "Situations relatives aux droits de l’homme qui requièrent l’attention du Conseil"),)
    assert statement.states == (StateRole("PHL", SENDER),)
    assert statement.references == ("A/HRC/RES/52/1",)


# -- small texts -------------------------------------------------------------------------

def text_statement(text: str, name: str = "doc.txt") -> Statement:
    """Read a UTF-8 text given inline."""
    statement, _ = read_text(name, text.encode("utf-8"), "c")
    return statement


def test_text_without_cover_page_takes_its_first_block_as_title() -> None:
    statement = text_statement("Rapport sur la traite\n\nPremier paragraphe.\n\n\n\nDeuxième.\n", "dir/rapport.txt")
    assert statement.id.startswith("rapport (")
    assert statement.title == "Rapport sur la traite"
    assert statement.body == "Premier paragraphe.\n\nDeuxième."
    assert statement.organ is None and statement.doc_type is None and statement.date is None


def test_agenda_item_without_title_and_title_over_two_lines() -> None:
    statement = text_statement("Assemblée générale\nSoixante-dix-huitième session\nPoint 107 de l’ordre du jour\n\n"
                               "Lettre datée du 3 mai 2024, adressée au Secrétaire général\npar le Représentant "
                               "permanent de l’Inde\n\nTexte.")
    assert statement.agenda_items == (AgendaItem("107"),)
    assert statement.title == ("Lettre datée du 3 mai 2024, adressée au Secrétaire général par le Représentant "
                               "permanent de l’Inde")
    assert statement.date == dt.date(2024, 5, 3)
    assert statement.state_codes() == ("IND",)
    assert statement.body == "Texte."


def test_markdown_marks_and_links() -> None:
    statement = text_statement(
        "Conseil de sécurité\n\nLettre datée du 3 mai 2024\n\n# Annexe\n\n"
        "Voir la [résolution 2700 (2023)](https://undocs.org/fr/S/RES/2700(2023)), le __rapport__ "
        "[A/78/918](#) et _ceci_ ; snake_case reste.\n\n![logo](logo.png)\n\n(Signé)\n\n**Jean Dupont**")
    assert statement.body == ("Annexe\n\nVoir la résolution 2700 (2023), le rapport A/78/918 et ceci ; "
                              "snake_case reste.\n\nlogo\n\n(Signé)\n\nJean Dupont")
    assert statement.references == ("S/RES/2700 (2023)", "A/78/918")
    assert statement.signatories == ("Jean Dupont",)


def test_own_symbol_is_not_a_reference() -> None:
    statement = text_statement("A/78/918\nAssemblée générale\n\nLettre\n\nVoir A/78/918 et A/78/919.")
    assert statement.id == "A/78/918"
    assert statement.references == ("A/78/919",)


@pytest.mark.parametrize(("data", "reason"), [
    (b"Texte\x00\x01\x02", "binary"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
    (b"\x81\x8d\x8f\x90\x9d", "neither UTF-8 nor Windows-1252"),
    (b"\xff\xfeA", "UTF-16"),
    ("A\x00B".encode("utf-16"), "NUL characters"),
    (b"  \n\r\n\t", "no text"),
])
def test_unreadable_content_raises_read_error(data: bytes, reason: str) -> None:
    with pytest.raises(ReadError) as caught:
        read_text("bad.txt", data, "c")
    assert caught.value.path == "bad.txt"
    assert reason in caught.value.reason


def test_decode() -> None:
    assert decode("x", "é".encode("utf-8")) == ("é", [])
    assert decode("x", b"\xef\xbb\xbf\xc3\xa9") == ("é", [])
    assert decode("x", b"\xe9\x92") == ("é’", ["not valid UTF-8; read as Windows-1252 (cp1252), a guess"])


def test_fixtures_are_what_their_names_say() -> None:
    """Guard the fixture files against an editor re-encoding them."""
    assert (FIXTURES / "ga_letter_france_bom_crlf.txt").read_bytes().startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in (FIXTURES / "ga_letter_france_bom_crlf.txt").read_bytes()
    assert (FIXTURES / "hrc_note_philippines_utf16.txt").read_bytes().startswith(b"\xff\xfe")
    cp1252 = (FIXTURES / "sc_letter_inde_cp1252_crlf.txt").read_bytes()
    assert b"\x92" in cp1252 and b"\r\n" in cp1252
    note = (FIXTURES / "note_verbale_france_nbsp.txt").read_text(encoding="utf-8")
    assert "\u00a0" in note and "\u202f" in note and "’" in note

