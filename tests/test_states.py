"""The member-state registry: its data file, name folding, lookup, resolution and suggestions."""

from __future__ import annotations

from importlib import resources

import pytest

from corpus.errors import UnknownStateError
from corpus.states import MemberState, StateRegistry, fold_name, parse_states, registry


def _tsv() -> str:
    return resources.files("corpus").joinpath("data/states.tsv").read_text(encoding="utf-8")


def test_registry_holds_193_members_and_2_observers() -> None:
    reg = registry()
    assert len(reg) == 195
    assert sorted(s.alpha3 for s in reg if s.observer) == ["PSE", "VAT"]


def test_codes_and_official_names_are_unique() -> None:
    states = list(registry())
    for field in ("alpha3", "alpha2", "name_fr", "name_en"):
        values = [getattr(s, field) for s in states]
        assert len(set(values)) == len(values), field
    assert all(len(s.alpha3) == 3 and s.alpha3.isupper() for s in states)
    assert all(len(s.alpha2) == 2 and s.alpha2.isupper() for s in states)


def test_every_name_form_finds_its_own_state() -> None:
    reg = registry()
    for state in reg:
        for name in state.names():
            assert reg.lookup(name) is state, name


def test_data_file_is_sorted_tab_separated_with_header() -> None:
    lines = _tsv().splitlines()
    assert lines[0].split("\t") == ["alpha3", "alpha2", "observer", "name_fr", "name_en", "variants"]
    codes = [line.split("\t")[0] for line in lines[1:]]
    assert codes == sorted(codes)
    rows = [line.split("\t") for line in lines[1:]]
    assert all(len(row) == 6 and all(field == field.strip() for field in row) for row in rows)


@pytest.mark.parametrize(("code", "name_fr", "name_en"), [
    ("BLR", "Bélarus", "Belarus"),
    ("RUS", "Fédération de Russie", "Russian Federation"),
    ("LAO", "République démocratique populaire lao", "Lao People's Democratic Republic"),
    ("GBR", "Royaume-Uni de Grande-Bretagne et d'Irlande du Nord",
     "United Kingdom of Great Britain and Northern Ireland"),
    ("TUR", "Türkiye", "Türkiye"),
    ("VNM", "Viet Nam", "Viet Nam"),
    ("NLD", "Pays-Bas (Royaume des)", "Netherlands (Kingdom of the)"),
    ("BOL", "Bolivie (État plurinational de)", "Bolivia (Plurinational State of)"),
    ("VEN", "Venezuela (République bolivarienne du)", "Venezuela (Bolivarian Republic of)"),
    ("FSM", "Micronésie (États fédérés de)", "Micronesia (Federated States of)"),
    ("IRN", "Iran (République islamique d')", "Iran (Islamic Republic of)"),
    ("CIV", "Côte d'Ivoire", "Côte d'Ivoire"),
    ("CZE", "Tchéquie", "Czechia"),
    ("SWZ", "Eswatini", "Eswatini"),
    ("MKD", "Macédoine du Nord", "North Macedonia"),
    ("CPV", "Cabo Verde", "Cabo Verde"),
    ("VAT", "Saint-Siège", "Holy See"),
    ("PSE", "État de Palestine", "State of Palestine"),
])
def test_official_short_names(code: str, name_fr: str, name_en: str) -> None:
    state = registry().get(code)
    assert (state.name_fr, state.name_en) == (name_fr, name_en)


@pytest.mark.parametrize(("name", "code"), [
    ("Russie", "RUS"), ("Biélorussie", "BLR"), ("Bielorussie", "BLR"), ("Belarus", "BLR"), ("Laos", "LAO"),
    ("Turquie", "TUR"), ("Turkey", "TUR"), ("Turkiye", "TUR"), ("Vietnam", "VNM"), ("Royaume-Uni", "GBR"),
    ("UK", "GBR"), ("Grande-Bretagne", "GBR"), ("États-Unis", "USA"), ("USA", "USA"), ("U.S.A.", "USA"),
    ("Etats-Unis d'Amérique", "USA"), ("Pays-Bas", "NLD"), ("Netherlands", "NLD"), ("the Netherlands", "NLD"),
    ("Corée du Sud", "KOR"), ("Syrie", "SYR"), ("Iran", "IRN"), ("Tanzanie", "TZA"), ("Bolivie", "BOL"),
    ("Venezuela", "VEN"), ("Moldavie", "MDA"), ("Macédoine du Nord", "MKD"), ("Swaziland", "SWZ"),
    ("Eswatini", "SWZ"), ("Cap-Vert", "CPV"), ("Czech Republic", "CZE"), ("Czechia", "CZE"),
    ("Ivory Coast", "CIV"), ("Vatican", "VAT"), ("Palestine", "PSE"), ("the Gambia", "GMB"), ("St. Lucia", "LCA"),
    ("Congo", "COG"), ("République démocratique du Congo", "COD"), ("Niger", "NER"), ("Nigeria", "NGA"),
])
def test_variants(name: str, code: str) -> None:
    assert registry().resolve(name).alpha3 == code


@pytest.mark.parametrize(("name", "code"), [
    ("Pays-Bas (Royaume des)", "NLD"), ("Royaume des Pays-Bas", "NLD"), ("NETHERLANDS (KINGDOM OF THE)", "NLD"),
    ("Kingdom of the Netherlands", "NLD"), ("Bolivia (Plurinational State of)", "BOL"),
    ("Plurinational State of Bolivia", "BOL"), ("Venezuela (République bolivarienne du)", "VEN"),
    ("République bolivarienne du Venezuela", "VEN"), ("Iran (Islamic Republic of)", "IRN"),
    ("Islamic Republic of Iran", "IRN"), ("République islamique d’Iran", "IRN"),
    ("Iran (Islamic Republic of )", "IRN"),
    ("Federated States of Micronesia", "FSM"), ("Bahamas (The)", "BHS"),
])
def test_parenthesised_forms_in_either_word_order(name: str, code: str) -> None:
    assert registry().resolve(name).alpha3 == code


@pytest.mark.parametrize(("name", "code"), [
    ("State Of Palestine", "PSE"),
    ("Democratic People’s Republic of Korea", "PRK"),
    ("Democratic Peopleʼs Republic of Korea", "PRK"),
    ("Lao People's Democratic Republic", "LAO"),
    ("Lao People’s Democratic Republic", "LAO"),
    ("Côte d’Ivoire", "CIV"),
    ("COTE D'IVOIRE", "CIV"),
    ("Bélarus\u00a0", "BLR"),
    ("Royaume\u202fUni", "GBR"),
    ("Royaume\u00a0-\u00a0Uni", "GBR"),
    ("Sao Tomé et Principe", "STP"),
    ("\u200bFrance", "FRA"),
    ("Timor Leste", "TLS"),
])
def test_case_accents_apostrophes_spaces_and_hyphens_are_ignored(name: str, code: str) -> None:
    assert registry().resolve(name).alpha3 == code


@pytest.mark.parametrize(("code", "expected"), [("BLR", "BLR"), ("blr", "BLR"), ("BY", "BLR"), ("by", "BLR"),
                                                ("FRA", "FRA"), ("fr", "FRA"), ("USA", "USA"), ("us", "USA")])
def test_codes_resolve(code: str, expected: str) -> None:
    assert registry().resolve(code).alpha3 == expected


def _state(alpha3: str, alpha2: str, name: str, *variants: str) -> MemberState:
    return MemberState(alpha3, alpha2, name, name, False, variants)


def test_a_full_name_takes_precedence_over_a_code() -> None:
    reg = StateRegistry([_state("AAA", "AA", "Aland", "BB"), _state("BBB", "BB", "Bland")])
    assert reg.lookup("BB").alpha3 == "AAA"
    assert reg.lookup("BBB").alpha3 == "BBB"


def test_a_name_shared_by_two_states_is_refused() -> None:
    with pytest.raises(ValueError, match="names both"):
        StateRegistry([_state("AAA", "AA", "Aland", "Same Name"), _state("BBB", "BB", "Bland", "same-name")])


def test_get_by_alpha3_only() -> None:
    assert registry().get("BLR").name_fr == "Bélarus"
    with pytest.raises(KeyError):
        registry().get("BY")


def test_unknown_name_without_near_miss() -> None:
    assert registry().lookup("Atlantis") is None
    with pytest.raises(UnknownStateError) as caught:
        registry().resolve("Atlantis")
    assert caught.value.suggestions == ()
    assert "did you mean" not in str(caught.value)


def test_near_miss_is_suggested() -> None:
    with pytest.raises(UnknownStateError) as caught:
        registry().resolve("Belarsu")
    assert caught.value.suggestions[0] == "Bélarus"
    assert "did you mean Bélarus" in str(caught.value)


def test_suggest_gives_french_names_at_most_n() -> None:
    assert registry().suggest("Allemange") == ("Allemagne",)
    assert len(registry().suggest("Guinee Bisau", n=1)) == 1


def test_names_lists_every_form() -> None:
    names = registry().get("BLR").names()
    assert names[:2] == ("Bélarus", "Belarus")
    assert names[-2:] == ("BLR", "BY")
    assert "Biélorussie" in names


def test_registry_is_read_once() -> None:
    assert registry() is registry()


@pytest.mark.parametrize(("text", "key"), [
    ("Pays-Bas (Royaume des)", "royaume des pays bas"),
    ("Côte d’Ivoire", "cote d ivoire"),
    ("  The  Gambia ", "gambia"),
    ("St. Kitts & Nevis", "saint kitts and nevis"),
    ("LA", "la"),
])
def test_fold_name(text: str, key: str) -> None:
    assert fold_name(text) == key


@pytest.mark.parametrize("text", [
    "",
    "code\tname\n",
    "alpha3\talpha2\tobserver\tname_fr\tname_en\tvariants\nAAA\tAA\t2\tA\tA\t",
    "alpha3\talpha2\tobserver\tname_fr\tname_en\tvariants\nAAA\tAA\t0\tA\tA",
])
def test_malformed_table_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_states(text)
