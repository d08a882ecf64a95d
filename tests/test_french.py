"""Tests of corpus.french, the parsers of French UN cover-page text."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from unidecode import unidecode

from corpus import french
from corpus.record import AgendaItem

CORPUS = Path(os.environ.get("ONU_SEARCH_CORPUS", Path(__file__).resolve().parents[1].parent / "shared" / "corpus"))

# The ordinals 1 to 99, written out by hand (traditional spelling), one per line.
ORDINALS = """
première deuxième troisième quatrième cinquième sixième septième huitième neuvième dixième
onzième douzième treizième quatorzième quinzième seizième dix-septième dix-huitième dix-neuvième vingtième
vingt_et_unième vingt-deuxième vingt-troisième vingt-quatrième vingt-cinquième vingt-sixième
vingt-septième vingt-huitième vingt-neuvième trentième
trente_et_unième trente-deuxième trente-troisième trente-quatrième trente-cinquième trente-sixième
trente-septième trente-huitième trente-neuvième quarantième
quarante_et_unième quarante-deuxième quarante-troisième quarante-quatrième quarante-cinquième quarante-sixième
quarante-septième quarante-huitième quarante-neuvième cinquantième
cinquante_et_unième cinquante-deuxième cinquante-troisième cinquante-quatrième cinquante-cinquième
cinquante-sixième cinquante-septième cinquante-huitième cinquante-neuvième soixantième
soixante_et_unième soixante-deuxième soixante-troisième soixante-quatrième soixante-cinquième soixante-sixième
soixante-septième soixante-huitième soixante-neuvième soixante-dixième
soixante_et_onzième soixante-douzième soixante-treizième soixante-quatorzième soixante-quinzième
soixante-seizième soixante-dix-septième soixante-dix-huitième soixante-dix-neuvième quatre-vingtième
quatre-vingt-unième quatre-vingt-deuxième quatre-vingt-troisième quatre-vingt-quatrième quatre-vingt-cinquième
quatre-vingt-sixième quatre-vingt-septième quatre-vingt-huitième quatre-vingt-neuvième quatre-vingt-dixième
quatre-vingt-onzième quatre-vingt-douzième quatre-vingt-treizième quatre-vingt-quatorzième
quatre-vingt-quinzième quatre-vingt-seizième quatre-vingt-dix-septième quatre-vingt-dix-huitième
quatre-vingt-dix-neuvième
""".split()


def test_the_ordinal_list_is_complete() -> None:
    assert len(ORDINALS) == 99


# -- dates ----------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("27 juin 2024", dt.date(2024, 6, 27)),
    ("1er mars 2023", dt.date(2023, 3, 1)),
    ("1er\u00a0 mars\u202f2023", dt.date(2023, 3, 1)),
    ("1ᵉʳ décembre 2025", dt.date(2025, 12, 1)),
    ("2 décembre 2022", dt.date(2022, 12, 2)),
    ("2 decembre 2022", dt.date(2022, 12, 2)),
    ("12 FÉVRIER 2020", dt.date(2020, 2, 12)),
    ("12 fevrier 2020", dt.date(2020, 2, 12)),
    ("3 août 2021", dt.date(2021, 8, 3)),
    ("3 aout 2021.", dt.date(2021, 8, 3)),
    ("  7 juillet 1990 ", dt.date(1990, 7, 7)),
])
def test_parse_date(text: str, expected: dt.date) -> None:
    assert french.parse_date(text) == expected


@pytest.mark.parametrize("text", ["31 février 2023", "27 juin", "juin 2024", "27 June 2024", "27 juin 2024 à midi", ""])
def test_parse_date_refuses(text: str) -> None:
    assert french.parse_date(text) is None


def test_find_date_in_a_sentence() -> None:
    assert french.find_date("Lettre datée du 27 juin 2024, adressée au Secrétaire général") == dt.date(2024, 6, 27)
    assert french.find_date("Note verbale datée du 1er\u00a0mars 2023") == dt.date(2023, 3, 1)
    assert french.find_date("le 31 février 2023 puis le 2 mars 2023") == dt.date(2023, 3, 2)
    assert french.find_date("Lettre sans date") is None


# -- sessions -------------------------------------------------------------------

@pytest.mark.parametrize(("number", "words"), list(enumerate(ORDINALS, start=1)))
def test_parse_session_every_ordinal(number: int, words: str) -> None:
    written = words.replace("_", " ")
    capitalised = written[0].upper() + written[1:]
    for form in (capitalised, written.upper(), unidecode(written), written.replace("-", "\u2011"),
                 written.replace("-", " "), written.replace(" ", "-")):
        assert french.parse_session(f"{form} session") == number, form
    assert french.parse_session(capitalised) == number


@pytest.mark.parametrize(("text", "expected"), [
    ("Soixante-dix-huitième session", 78),
    ("Vingt et unième session", 21),
    ("Vingt-et-unième session", 21),
    ("Soixante et onzième session", 71),
    ("Quatre-vingt-unième session", 81),
    ("Premier session", 1),
    ("Seconde session", 2),
    ("dixième session extraordinaire d'urgence", 10),
    ("Dixième session extraordinaire d’urgence", 10),
    ("à sa soixante-dix-huitième session, au titre du point 107", 78),
    ("78e session", 78),
    ("78ᵉ session", 78),
    ("78th", 78),
    ("78th session", 78),
    ("Session de 2023", 2023),
])
def test_parse_session(text: str, expected: int) -> None:
    assert french.parse_session(text) == expected


@pytest.mark.parametrize("text", ["", "session", "Rapport annuel", "Lettre datée du 1er mars 2023", "unième session",
                                  "Soixante-dix session", "Deuxième partie de la reprise"])
def test_parse_session_refuses(text: str) -> None:
    assert french.parse_session(text) is None


# -- languages ------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Original : anglais", "en"), ("Original\u00a0: anglais", "en"), ("Original: English", "en"),
    ("Français", "fr"), ("francais", "fr"), ("FRENCH", "fr"), ("Original : espagnol", "es"),
    ("Russian", "ru"), ("Original : arabe", "ar"), ("chinois", "zh"),
    ("Original : anglais/français", "en"), ("Original : français et anglais", "fr"),
])
def test_parse_language(text: str, expected: str) -> None:
    assert french.parse_language(text) == expected


@pytest.mark.parametrize("text", ["", "Original :", "allemand", "Je parle anglais", "Assemblée générale"])
def test_parse_language_refuses(text: str) -> None:
    assert french.parse_language(text) is None


# -- agenda ---------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Point 107 de l'ordre du jour", ["107"]),
    ("Point 107 de l’ordre du jour", ["107"]),
    ("Points 19 b) et 20 de l'ordre du jour", ["19 b)", "20"]),
    ("Points 12, 13 et 117 de l’ordre du jour", ["12", "13", "117"]),
    ("Point 69 a) de l'ordre du jour", ["69 a)"]),
    ("Point 69\u00a0a) de l’ordre du jour provisoire*", ["69 a)"]),
    ("Point 5 a) et b) de l’ordre du jour", ["5 a)", "5 b)"]),
    ("Points 68 et 69 a) de l’ordre du jour", ["68", "69 a)"]),
    ("Point 20 aa) de l’ordre du jour", ["20 aa)"]),
    ("Agenda items 19 (b) and 20", ["19 b)", "20"]),
])
def test_parse_agenda_numbers(text: str, expected: list[str]) -> None:
    assert french.parse_agenda_numbers(text) == expected


@pytest.mark.parametrize("text", ["", "Point de vue", "au titre du point 107 de l'ordre du jour",
                                  "Points forts de l'ordre du jour", "Point b) de l'ordre du jour"])
def test_parse_agenda_numbers_refuses(text: str) -> None:
    assert french.parse_agenda_numbers(text) == []


def test_agenda_items_pairs_titles() -> None:
    assert french.agenda_items(["107"], ["Prévention du crime", "et justice pénale*"]) == (
        AgendaItem("107", "Prévention du crime et justice pénale"),)
    assert french.agenda_items(["19 b)", "20"], ["Développement durable", "Établissements humains"]) == (
        AgendaItem("19 b)", "Développement durable"), AgendaItem("20", "Établissements humains"))
    assert french.agenda_items(["12", "13", "117"], ["Un titre", "Deux"]) == (
        AgendaItem("12"), AgendaItem("13"), AgendaItem("117"))
    assert french.agenda_items(["4"]) == (AgendaItem("4"),)


# -- organs and document types --------------------------------------------------------

@pytest.mark.parametrize(("text", "code"), [
    ("Assemblée générale", "GA"), ("ASSEMBLEE GENERALE", "GA"), ("General Assembly", "GA"),
    ("Conseil de sécurité", "SC"), ("Security Council", "SC"),
    ("Conseil économique et social", "ECOSOC"), ("Economic and Social Council", "ECOSOC"),
    ("Conseil des droits de l'homme", "HRC"), ("Conseil des droits de l’homme", "HRC"), ("Human Rights Council", "HRC"),
])
def test_parse_organ(text: str, code: str) -> None:
    assert french.parse_organ(text) == (code, french.ORGAN_NAMES[code])


def test_parse_organ_refuses_other_text() -> None:
    assert french.parse_organ("Conseil") is None
    assert french.parse_organ("Assemblée générale des Nations Unies, soixante-dix-huitième session") is None


@pytest.mark.parametrize(("symbol", "code"), [
    ("A/HRC/RES/55/1", "HRC"), ("A/HRC/55/L.1", "HRC"), ("S/RES/2700 (2023)", "SC"), ("S/2024/123", "SC"),
    ("E/RES/2023/5", "ECOSOC"), ("A/RES/78/144", "GA"), ("A/78/L.5", "GA"), ("A/DEC/77/512", "GA"),
    ("a/res/78/144", "GA"), ("https://undocs.org/fr/A/HRC/RES/55/1", "HRC"), ("UNEP/EA.5/Res.1", None),
])
def test_organ_from_symbol(symbol: str, code: str | None) -> None:
    assert french.organ_from_symbol(symbol) == code


@pytest.mark.parametrize(("title", "doc_type"), [
    ("Lettre datée du 27 juin 2024, adressée au Secrétaire général", "lettre"),
    ("Lettres identiques datées du 3 mai 2024", "lettre"),
    ("Note verbale datée du 1er mars 2023", "note verbale"),
    ("Résolution adoptée par l’Assemblée générale le 19 décembre 2023", "résolution"),
    ("RESOLUTION 2700 (2023)", "résolution"),
    ("Décision 77/512", "décision"),
    ("Déclaration faite par le Groupe d'Amis", "déclaration"),
    ("Projet de résolution", "projet de résolution"),
    ("Projet de décision", "projet de décision"),
    ("Décolonisation", None),
    ("Rapport du Secrétaire général", None),
])
def test_doc_type_from_title(title: str, doc_type: str | None) -> None:
    assert french.doc_type_from_title(title) == doc_type


@pytest.mark.parametrize(("symbol", "doc_type"), [
    ("A/RES/78/144", "résolution"), ("S/RES/2700 (2023)", "résolution"), ("A/HRC/RES/55/1", "résolution"),
    ("UNEP/EA.5/Res.1", "résolution"), ("A/DEC/77/512", "décision"), ("S/PRST/2023/1", "déclaration"),
    ("A/78/918", None), ("A/78/L.5", None),
])
def test_doc_type_from_symbol(symbol: str, doc_type: str | None) -> None:
    assert french.doc_type_from_symbol(symbol) == doc_type


# -- symbols and references -----------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("A/RES/1514(XV)", "A/RES/1514 (XV)"),
    ("S/RES/1325(2000)", "S/RES/1325 (2000)"),
    ("s/res/2700 (2023)", "S/RES/2700 (2023)"),
    ("S/RES/2700\u00a0(2023).", "S/RES/2700 (2023)"),
    ("https://undocs.org/fr/A/RES/68/192", "A/RES/68/192"),
    ("https://undocs.org/A/78/918", "A/78/918"),
    ("https://undocs.org/en/S/RES/2700(2023)", "S/RES/2700 (2023)"),
    ("http://www.undocs.org/fr/a/res/1514(XV)", "A/RES/1514 (XV)"),
    ("https://undocs.org//fr/A/RES/217 (III)", "A/RES/217 (III)"),
    ("https://docs.un.org/fr/A/HRC/RES/55/1", "A/HRC/RES/55/1"),
    ("https://undocs.org/fr/A/res/2200 (s-iv)", "A/RES/2200 (S-IV)"),
    ("https://undocs.org/fr/S/RES/2700%20(2023)", "S/RES/2700 (2023)"),
    ("A/77/298", "A/77/298"),
    ("A/78/L.5.", "A/78/L.5"),
    ("A/78/918*", "A/78/918"),
    ("A/78/918);", "A/78/918"),
    ("a/c.3/78/l.5/rev.1", "A/C.3/78/L.5/Rev.1"),
    ("A/77/6/Add.1/Corr.2", "A/77/6/Add.1/Corr.2"),
    ("A/RES/75/101 A-B", "A/RES/75/101 A-B"),
])
def test_normalize_symbol(text: str, expected: str) -> None:
    assert french.normalize_symbol(text) == expected


def test_parse_symbol_line() -> None:
    assert french.parse_symbol_line("A/78/918") == ("A/78/918",)
    assert french.parse_symbol_line("A/78/918–S/2024/500*") == ("A/78/918", "S/2024/500")
    assert french.parse_symbol_line("A/78/918 et S/2024/500") == ()
    assert french.parse_symbol_line("Assemblée générale") == ()


@pytest.mark.parametrize(("ref", "organ", "decision", "expected"), [
    ("68/192", "GA", False, "A/RES/68/192"),
    ("68/192", None, False, "A/RES/68/192"),
    ("2700 (2023)", "SC", False, "S/RES/2700 (2023)"),
    ("2700(2023)", "GA", False, "S/RES/2700 (2023)"),
    ("55/1", "HRC", False, "A/HRC/RES/55/1"),
    ("S-35/1", "HRC", False, "A/HRC/RES/S-35/1"),
    ("S-26/2", "GA", False, "A/RES/S-26/2"),
    ("ES-10/1", "GA", False, "A/RES/ES-10/1"),
    ("1514 (XV)", "SC", False, "A/RES/1514 (XV)"),
    ("2023/5", "ECOSOC", False, "E/RES/2023/5"),
    ("77/512", "GA", True, "A/DEC/77/512"),
    ("55/101", "HRC", True, "A/HRC/DEC/55/101"),
    ("2700 (2023)", "SC", True, None),
    ("annexe", "GA", False, None),
    ("68", "GA", False, None),
])
def test_expand_short_reference(ref: str, organ: str | None, decision: bool, expected: str | None) -> None:
    assert french.expand_short_reference(ref, organ, decision) == expected


def test_find_references() -> None:
    text = ("en application de la résolution 68/192 (voir annexe), des résolutions 70/1 et 2250\u00a0(2015) "
            "du Conseil de sécurité, de la décision 77/512, du document A/RES/78/144 et de S/2024/123. "
            "Résolution 55/1 du Conseil des droits de l’homme ; résolution\n1514 (XV).")
    assert french.find_references(text, "GA") == (
        "A/RES/68/192", "A/RES/70/1", "S/RES/2250 (2015)", "A/DEC/77/512", "A/RES/78/144", "S/2024/123",
        "A/HRC/RES/55/1", "A/RES/1514 (XV)")


def test_find_references_follows_the_organ() -> None:
    assert french.find_references("la résolution 55/1", "HRC") == ("A/HRC/RES/55/1",)
    assert french.find_references("la résolution 55/1 de l'Assemblée générale", "HRC") == ("A/RES/55/1",)
    assert french.find_references("rien à citer, 12/3 n'est pas cité", "GA") == ()


# -- senders, signatories, groups ------------------------------------------------------

STATES = {
    "Bélarus": "BLR", "France": "FRA", "Philippines": "PHL", "Inde": "IND", "Arménie": "ARM",
    "Azerbaïdjan": "AZE", "Royaume-Uni de Grande-Bretagne et d'Irlande du Nord": "GBR",
    "Émirats arabes unis": "ARE",
}


@pytest.mark.parametrize(("title", "codes"), [
    ("Lettre datée du 27 juin 2024, adressée au Secrétaire général par le Représentant permanent du Bélarus "
     "auprès de l'Organisation des Nations Unies", ("BLR",)),
    ("Note verbale datée du 3 mai 2024, adressée au Secrétaire général par la Mission permanente de la France "
     "auprès de l’Organisation des Nations Unies", ("FRA",)),
    ("Lettre datée du 2 décembre 2022, adressée au Président du Conseil de sécurité par le Chargé d’affaires "
     "par intérim de la Mission permanente de l’Inde auprès de l’Organisation des Nations Unies", ("IND",)),
    ("Lettre datée du 1er mars 2023 adressée au Secrétaire général par la Représentante permanente "
     "des Philippines", ("PHL",)),
    ("Lettre par le Représentant permanent des Émirats arabes unis auprès de l'Organisation", ("ARE",)),
    ("Lettre par le Représentant permanent du Royaume-Uni de Grande-Bretagne et d’Irlande du Nord", ("GBR",)),
    ("Lettres identiques par les Représentants permanents de l’Arménie, du Bélarus et de l’Azerbaïdjan "
     "auprès de l'Organisation", ("ARM", "BLR", "AZE")),
    ("Lettre par le Représentant permanent du Bélarus, en sa qualité de président", ("BLR",)),
    ("Lettre datée du 27 juin 2024, adressée au Secrétaire général par le Président du Comité", ()),
    ("Rapport du Secrétaire général", ()),
])
def test_sender_states(title: str, codes: tuple[str, ...]) -> None:
    assert french.sender_states(title, STATES.get) == codes


@pytest.mark.parametrize(("line", "name"), [
    ("(Signé) Valentin Rybakov", "Valentin Rybakov"),
    ("(signé)\u00a0 Jean  Dupont", "Jean Dupont"),
    ("(Signed) John Doe", "John Doe"),
    ("(Signé)", ""),
    ("Signé Valentin Rybakov", None),
    ("Le texte signé", None),
])
def test_parse_signatory(line: str, name: str | None) -> None:
    assert french.parse_signatory(line) == name


@pytest.mark.parametrize(("line", "group"), [
    ("Membres du Groupe d'Amis", "Groupe d'Amis"),
    ("Membres du Groupe d’Amis :", "Groupe d'Amis"),
    ("Liste des membres du Groupe des 77", "Groupe des 77"),
    ("États membres de l'Union européenne", "Union européenne"),
    ("Les membres du Groupe", None),
    ("Membres du Groupe réaffirment leur engagement.", None),
])
def test_member_heading(line: str, group: str | None) -> None:
    assert french.member_heading(line) == group


@pytest.mark.parametrize(("text", "groups"), [
    ("Déclaration faite par le Groupe d'Amis unis contre la traite des êtres humains à l'occasion de la Journée "
     "mondiale", ("Groupe d'Amis unis contre la traite des êtres humains",)),
    ("Déclaration faite par le Groupe d’Amis unis contre la traite des êtres humains",
     ("Groupe d'Amis unis contre la traite des êtres humains",)),
    ("Déclaration du Groupe des 77 et de la Chine", ("Groupe des 77 et de la Chine",)),
    ("Déclaration du Groupe des Amis de la médiation, lors de sa réunion", ("Groupe des Amis de la médiation",)),
    ("Déclaration du Secrétaire général", ()),
])
def test_group_names(text: str, groups: tuple[str, ...]) -> None:
    assert french.group_names(text) == groups


# -- the real AKN4UN corpus, when it is there -------------------------------------------------

def _unxml_files() -> list[Path]:
    root = CORPUS / "unxml"
    if not root.is_dir():
        pytest.skip(f"no AKN4UN corpus at {root} (set ONU_SEARCH_CORPUS to the shared corpus folder)")
    return sorted(root.rglob("*.xml"))


def test_sessions_and_dates_of_the_akn_corpus_agree_with_their_attributes() -> None:
    """Every French cover session and every docDate in words reads as its machine value says."""
    sessions = dates = 0
    for path in _unxml_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for value, words in re.findall(r'<session[^>]*value="(\d+)"[^>]*>([^<]+)</session>', text):
            if "session" in words.lower() and not re.fullmatch(r"[A-Za-z-]+(?:th|st|nd|rd) session", words):
                assert french.parse_session(words) == int(value), (path, words)
                sessions += 1
        for value, words in re.findall(r'<docDate[^>]*date="(\d{4}-\d\d-\d\d)"[^>]*>([^<]+)</docDate>', text):
            if french.parse_date(words):
                assert french.parse_date(words) == dt.date.fromisoformat(value), (path, words)
                dates += 1
    assert sessions > 1000 and dates > 1000
