"""A Security Council resolution's subject: its agenda item, read from the AKN keywords, in French."""

import json
from importlib import resources

import pytest
from click.testing import CliRunner

import corpus
from corpus.french import sc_agenda_item
from corpus.record import statement_from_json, statement_to_json
from search import Index
from search.cli import main
from search.cli.render import _title_line
from tests.conftest import build_index

LIBYA = dict(symbol="S/RES/2509 (2020)", title="Résolution 2509 (2020)", date="2020-02-11", session=None,
             organ="Conseil de sécurité", paragraphs=("Le Conseil de sécurité, rappelant l’embargo sur les armes.",),
             agenda_keywords=(("S/75", "LIBYA SITUATION"), ("S/", "The situation in Libya.")))


def test_the_agenda_item_is_the_subject_in_french_and_the_title_stays(write_akn):
    rec = corpus.read(str(write_akn("S_RES_2509.xml", **LIBYA)))
    assert rec.subject == "La situation en Libye"
    assert rec.title == "Résolution 2509 (2020)"


def test_an_item_missing_from_the_table_stays_in_english(write_akn):
    path = write_akn("S_RES_2900.xml", **{**LIBYA, "symbol": "S/RES/2900 (2026)",
                                           "agenda_keywords": (("S/", "The situation in\n  Atlantis."),)})
    assert corpus.read(str(path)).subject == "The situation in Atlantis"


@pytest.mark.parametrize("keywords", [(), (("A/78/251", "Crime prevention and criminal justice."),)])
def test_no_subject_without_a_council_agenda_keyword(write_akn, keywords):
    assert corpus.read(str(write_akn("A_RES_78_1.xml", agenda_keywords=keywords))).subject is None


@pytest.mark.parametrize("english,french", [
    ("Non-proliferation/Democratic People’s Republic of Korea.", "Non-prolifération/République populaire démocratique de Corée"),
    ("THE SITUATION IN THE MIDDLE EAST", "La situation au Moyen-Orient"),
    ("Identical letters dated 19 January 2016 from the Permanent  Representative of Colombia to the United Nations "
     "addressed to the  Secretary-General and the President of the Security Council (S/2016/53).",
     "Lettres identiques datées du 19 janvier 2016, adressées au Secrétaire général et au Président du Conseil de "
     "sécurité par le Représentant permanent de la Colombie auprès de l’Organisation des Nations Unies (S/2016/53)"),
])
def test_the_table_matches_the_files_spellings(english, french):
    assert sc_agenda_item(english) == french


def test_the_subject_survives_json_and_older_records_load(write_akn):
    rec = corpus.read(str(write_akn("S_RES_2509.xml", **LIBYA)))
    data = json.loads(json.dumps(statement_to_json(rec)))
    assert data["subject"] == "La situation en Libye" and statement_from_json(data) == rec
    del data["subject"]  # a record stored before the field existed
    assert statement_from_json(data).subject is None


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    return build_index(tmp_path_factory.mktemp("subject"), {
        "S_RES_2509.xml": LIBYA,
        "A_RES_78_1.xml": dict(title="Embargo sur les armes", paragraphs=("L’embargo sur les armes.",)),
    })


def run(index_dir, *args):
    return CliRunner().invoke(main, [*args, "--index", str(index_dir)])


def test_hits_carry_the_subject(index_dir):
    with Index(index_dir) as ix:
        hits = {h.symbol: h for h in ix.search("embargo")}
    assert hits["S/RES/2509 (2020)"].subject == "La situation en Libye"
    assert hits["A/RES/78/1"].subject is None
    assert hits["S/RES/2509 (2020)"].to_json()["subject"] == "La situation en Libye"


def test_cli_search_and_show_print_it(index_dir):
    text = run(index_dir, "search", "embargo").output
    assert "   Résolution 2509 (2020) — La situation en Libye\n" in text
    assert "   Embargo sur les armes\n" in text  # a title that says what it is about stands alone
    data = json.loads(run(index_dir, "search", "embargo", "--json").output)
    assert {h["symbol"]: h["subject"] for h in data["hits"]} == {"S/RES/2509 (2020)": "La situation en Libye",
                                                                "A/RES/78/1": None}
    shown = run(index_dir, "show", "S/RES/2509 (2020)").output
    assert "     subject: La situation en Libye\n" in shown and "       title: Résolution 2509 (2020)\n" in shown
    assert json.loads(run(index_dir, "show", "S/RES/2509 (2020)", "--json").output)["subject"] == "La situation en Libye"


def test_a_long_title_is_cut_before_the_subject():
    sponsors = ", ".join(["Émirats arabes unis"] * 20) + " : projet de résolution"
    line = _title_line(sponsors, "La situation au Moyen-Orient", 80)
    assert len(line) <= 80 and line.startswith("Émirats arabes unis,") and line.endswith("… — La situation au Moyen-Orient")
    assert _title_line("Résolution 2677 (2023)", None, 80) == "Résolution 2677 (2023)"


# -- the real corpus ----------------------------------------------------------------

# Files without the Council's agenda keyword (dictionary "S/"): ten carry only the
# library's English subject headings ("[219] LIBYA SITUATION"), four no agenda keyword at all.
WITHOUT_AGENDA_KEYWORD = {
    "S/RES/2505 (2020)", "S/RES/2509 (2020)", "S/RES/2559 (2020)", "S/RES/2572 (2021)", "S/RES/2573 (2021)",
    "S/RES/2580 (2021)", "S/RES/2617 (2021)", "S/RES/2783 (2025)", "S/RES/2796 (2025)", "S/RES/2798 (2025)",
    "S/RES/2814 (2026)", "S/RES/2820 (2026)", "S/2023/970", "S/2024/173",
}


@pytest.fixture(scope="module")
def council(real_corpus):
    return {r.symbol: r for r in corpus.scan([real_corpus / "unxml" / "SCresolutions"])}


def test_resolution_2677_says_what_it_is_about(council):
    rec = council["S/RES/2677 (2023)"]
    assert rec.title == "Résolution 2677 (2023)"
    assert rec.subject == "Rapports du Secrétaire général sur le Soudan et le Soudan du Sud"


def test_every_council_record_with_an_agenda_keyword_has_a_french_subject(council):
    table = resources.files("corpus").joinpath("data/sc_agenda.tsv").read_text(encoding="utf-8").splitlines()
    french = {row.split("\t")[1] for row in table[1:] if row}
    assert len(council) == 324
    assert {s for s, r in council.items() if not r.subject} == WITHOUT_AGENDA_KEYWORD
    assert {r.subject for r in council.values() if r.subject} <= french  # none left in English
