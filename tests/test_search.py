"""The query language, filters, snippets, facets, paging, sorting and errors, on a small index."""

import datetime as dt
import json
import re

import pytest
from click.testing import CliRunner

from search import Index, NotFoundError, QueryError, UnknownStateError
from search.cli import main
from tests.conftest import ROOT, build_index


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    docs = {
        "traite.xml": dict(symbol="A/RES/78/10", title="Traite des êtres humains", date="2023-12-04", session=78,
                           agenda=(("107", "Prévention du crime et justice pénale"),),
                           paragraphs=("La traite des enfants est un crime.", "Les êtres humains ne sont pas à vendre."),
                           sponsors="Belarus, France and Philippines", links=("A/RES/68/192",)),
        "traite2.xml": dict(symbol="A/RES/77/20", title="Traite des femmes et des filles", date="2022-12-15",
                            session=77, agenda=(("26", "Promotion des femmes"),),
                            paragraphs=("La traite des femmes, des filles et des enfants.",), sponsors="France"),
        "traite3.xml": dict(symbol="A/RES/78/30", title="Coopération", date="2023-06-01", session=78,
                            paragraphs=("La traite et l’exploitation des enfants; la coopération.",),
                            sponsors="Bahrain", links=("S/RES/1325 (2000)",)),
        "traites.xml": dict(symbol="A/RES/78/11", title="Traité sur l’espace extra-atmosphérique", date="2024-01-10",
                            session=78, agenda=(("19 b)", "Désarmement général et complet"),),
                            paragraphs=("Le traité interdit les armes dans l’espace extra-atmosphérique.",
                                        "Aujourd’hui, l’Œuvre des États Membres."), sponsors="France, Japan"),
        "sc.xml": dict(symbol="S/RES/2700 (2023)", title="La situation en Haïti", date="2023-10-02", session=None,
                       organ="Conseil de sécurité", paragraphs=("Le Conseil de sécurité, préoccupé par Haïti.",),
                       sponsors="United States of America and Ecuador"),
    }
    return build_index(tmp_path_factory.mktemp("small"), docs)


@pytest.fixture(scope="module")
def ix(index_dir):
    with Index(index_dir) as index:
        yield index


def symbols(res):
    return [h.symbol for h in res]


@pytest.mark.parametrize("query", ["traite enfants", "TRAITE ENFANT", "traité enfants", "traite des enfants"])
def test_bare_words_all_match_stemmed_and_folded(ix, query):
    assert set(symbols(ix.search(query))) == {"A/RES/78/10", "A/RES/77/20", "A/RES/78/30"}


def test_accented_word_ranks_its_exact_form_first(ix):
    assert symbols(ix.search("traité"))[0] == "A/RES/78/11"
    assert symbols(ix.search("traite"))[0] != "A/RES/78/11"
    assert "A/RES/78/11" in symbols(ix.search("traite"))


def test_phrase_and_slop(ix):
    assert symbols(ix.search('"traite des enfants"')) == ["A/RES/78/10"]
    assert symbols(ix.search('"etres humains"')) == ["A/RES/78/10"]
    # Slop counts every word between, stopwords included (as Lucene does).
    assert set(symbols(ix.search('"traite enfants"~3'))) == {"A/RES/78/10", "A/RES/78/30"}
    assert set(symbols(ix.search('"traite enfants"~7'))) == {"A/RES/78/10", "A/RES/77/20", "A/RES/78/30"}


def test_or_not_minus_parentheses_prefix(ix):
    assert set(symbols(ix.search("Haïti OR espace"))) == {"S/RES/2700 (2023)", "A/RES/78/11"}
    assert "A/RES/77/20" not in symbols(ix.search("traite NOT femmes"))
    assert "A/RES/77/20" not in symbols(ix.search("traite -femmes"))
    assert set(symbols(ix.search("(femmes OR coopération) enfants"))) == {"A/RES/77/20", "A/RES/78/30"}
    assert "A/RES/78/11" in symbols(ix.search("atmosph*"))


def test_hyphenated_words_by_the_whole_and_by_parts(ix):
    for query in ("extra-atmosphérique", "extra atmosphérique", "atmosphérique", '"extra atmospherique"',
                  "extra-atmosph*", "extra-atm*"):
        assert symbols(ix.search(query)) == ["A/RES/78/11"], query


@pytest.mark.parametrize("query,expected", [
    ("title:femmes", ["A/RES/77/20"]),
    ("agenda:107", ["A/RES/78/10"]), ("point:19", ["A/RES/78/11"]), ("agenda:\"19 b)\"", ["A/RES/78/11"]),
    ("agenda:désarmement", ["A/RES/78/11"]),
    ("state:Bélarus", ["A/RES/78/10"]), ("etat:BLR", ["A/RES/78/10"]), ("state:japon", ["A/RES/78/11"]),
    ("organ:SC", ["S/RES/2700 (2023)"]), ("organe:\"Conseil de sécurité\"", ["S/RES/2700 (2023)"]),
    ("symbol:A/RES/78/30", ["A/RES/78/30"]), ("cote:a/res/78/30", ["A/RES/78/30"]),
    ("cites:68/192", ["A/RES/78/10"]), ("cites:A/RES/68/192", ["A/RES/78/10"]),
    ('cites:"S/RES/1325 (2000)"', ["A/RES/78/30"]), ("cites:S/RES/1325", ["A/RES/78/30"]),  # with or without its year
    ("type:résolution session:77", ["A/RES/77/20"]),
    ("date:2024", ["A/RES/78/11"]), ("date:2023-06", ["A/RES/78/30"]),
    ("date:[2023-06-01 TO 2023-10-02]", ["S/RES/2700 (2023)", "A/RES/78/30"]),
])
def test_fields(ix, query, expected):
    assert symbols(ix.search(query, sort="-date")) == expected


def test_symbol_as_a_bare_word(ix):
    assert symbols(ix.search("A/RES/78/30")) == ["A/RES/78/30"]


def test_filters_without_words_list_newest_first(ix):
    res = ix.search("", states=["FRA"], session=78)
    assert symbols(res) == ["A/RES/78/11", "A/RES/78/10"] and res.total == 2


def test_state_filters_take_any_name_and_all_must_match(ix):
    for name in ("Belarus", "Bélarus", "BLR", "by", "Biélorussie"):
        assert symbols(ix.search("traite", states=[name])) == ["A/RES/78/10"], name
    assert symbols(ix.search("", states=["France", "Japon"])) == ["A/RES/78/11"]
    assert set(symbols(ix.search("", states=["Japon", "Bahreïn"], any_state=True))) == {"A/RES/78/11", "A/RES/78/30"}


def test_unknown_state_says_did_you_mean(ix):
    with pytest.raises(UnknownStateError, match="Bélarus"):
        ix.search("", states=["Belarsu"])
    with pytest.raises(UnknownStateError, match="Atlantis"):
        ix.search("", states=["Atlantis"])


def test_other_filters(ix):
    assert symbols(ix.search("traite", agenda="107")) == ["A/RES/78/10"]
    assert symbols(ix.search("", agenda="Promotion des femmes")) == ["A/RES/77/20"]
    assert symbols(ix.search("", organ="Conseil de sécurité")) == ["S/RES/2700 (2023)"]
    assert symbols(ix.search("", since="2024-01-01")) == ["A/RES/78/11"]
    assert symbols(ix.search("", until=dt.date(2022, 12, 31))) == ["A/RES/77/20"]
    assert symbols(ix.search("", symbol="s/res/2700 (2023)")) == ["S/RES/2700 (2023)"]
    assert symbols(ix.search("", doc_type="resolution", session=77)) == ["A/RES/77/20"]


def test_snippets_mark_the_original_accented_words(ix):
    hit = next(iter(ix.search("etres humains")))
    marked = [s.marked() for s in hit.snippets]
    assert any("[êtres] [humains]" in m for m in marked), marked


def test_snippets_with_accents_in_the_query_and_elisions(ix):
    hit = next(iter(ix.search("l’œuvre aujourd'hui")))
    assert any("[Aujourd’hui], l’[Œuvre]" in s.marked() for s in hit.snippets)


def test_hit_carries_what_a_result_page_needs(ix):
    hit = next(iter(ix.search("traite", states=["BLR"])))
    assert (hit.symbol, hit.date, hit.organ, hit.session) == ("A/RES/78/10", dt.date(2023, 12, 4), "GA", 78)
    assert hit.agenda_items[0].number == "107" and set(hit.states) == {"BLR", "FRA", "PHL"}
    assert hit.path.endswith("traite.xml") and hit.score > 0


def test_facets_count_all_matches(ix):
    res = ix.search("traite", limit=1, facets=["state", "session", "organ", "agenda", "year"])
    assert res.total == 4 and len(res.hits) == 1
    assert res.facets["state"]["FRA"] == 3 and res.facets["session"] == {"GA 78": 3, "GA 77": 1}
    assert res.facets["organ"] == {"GA": 4} and res.facets["agenda"]["107"] == 1
    assert res.facets["year"] == {"2023": 2, "2022": 1, "2024": 1}


def test_paging_and_sorting(ix):
    everything = ix.search("", sort="date", limit=100)
    assert [h.date for h in everything] == sorted(h.date for h in everything)
    pages = [symbols(ix.search("", sort="-date", limit=2, page=p)) for p in (1, 2, 3, 4)]
    assert sum(pages, []) == symbols(ix.search("", sort="-date", limit=100)) and pages[3] == []
    assert ix.search("", limit=2).pages == 3
    assert ix.search("", limit=0).total == 5


def test_partial_matches_when_nothing_matches_every_word(ix):
    res = ix.search("traite zygomatique")
    assert res.partial and res.total > 0


def test_did_you_mean_from_the_index_words(ix):
    res = ix.search("enfnats")
    assert res.total == 0 and res.suggestions == ("enfants",)
    assert ix.search("Bélaruss").suggestions == ()  # a word in one document only is not proposed


def test_get_by_symbol_and_missing(ix):
    record = ix.get("A/RES/78/11")
    assert record.title.startswith("Traité")
    # The body is kept apart from the rest of the record in the index: it comes back whole.
    assert record.body == ("1. Le traité interdit les armes dans l’espace extra-atmosphérique.\n\n"
                           "2. Aujourd’hui, l’Œuvre des États Membres.")
    with pytest.raises(NotFoundError):
        ix.get("A/RES/1/1")


@pytest.mark.parametrize("query,message", [
    ('"traite', "unbalanced quote"), ("(traite", "unbalanced parenthesis"), ("traite)", "unbalanced parenthesis"),
    ("foo:bar", "unknown field 'foo:'"), ("*", "prefix needs letters"), ("date:2023-02-30", "does not exist"),
    ("session:abc", "session is a number"), ("organ:XYZ", "unknown organ"), ("date:[2023 TO", "unbalanced"),
])
def test_query_errors_say_where_and_why(ix, query, message):
    with pytest.raises(QueryError, match=message):
        ix.search(query)


def run(index_dir, *args):
    return CliRunner().invoke(main, [*args, "--index", str(index_dir)])


def test_cli_search_text_and_json(index_dir):
    text = run(index_dir, "search", "traite des enfants", "--state", "Bélarus")
    assert text.exit_code == 0 and "A/RES/78/10" in text.output and "[traite] des [enfants]" in text.output
    lines = text.output.splitlines()
    assert "   point 107 Prévention du crime et justice pénale" in lines  # indented under its hit
    assert any(line.startswith("   états: ") for line in lines)
    data = json.loads(run(index_dir, "search", "traite", "--json", "--facets", "state,year").output)
    assert data["total"] == 4 and data["facets"]["state"]["FRA"] == 3
    assert {"symbol", "title", "date", "organ", "session", "agenda_items", "states", "score", "path",
            "snippets"} <= set(data["hits"][0])


def test_cli_show_stats_inspect(index_dir, tmp_path):
    assert "Traité sur l’espace" in run(index_dir, "show", "A/RES/78/11").output
    assert json.loads(run(index_dir, "show", "A/RES/78/11", "--json").output)["session"] == 78
    stats = json.loads(run(index_dir, "stats", "--json").output)
    assert stats["documents"] == 5 and stats["by_organ"] == {"GA": 4, "SC": 1}
    assert stats["by_session"] == {"GA 78": 3, "GA 77": 1}  # the SC resolution has no session
    inspected = CliRunner().invoke(main, ["inspect", str(index_dir.parent / "traite.xml"), "--json"])
    assert json.loads(inspected.output)["records"][0]["symbol"] == "A/RES/78/10"


@pytest.mark.parametrize("args,message", [
    (["search", '"traite'], "unbalanced quote"),
    (["search", "", "--state", "Atlantis"], "unknown member state: 'Atlantis'"),
    (["search", "", "--state", "Belarsu"], "did you mean Bélarus"),
    (["search", "x", "--since", "2023-02-30"], "YYYY-MM-DD"),
    (["show", "A/RES/1/1"], "no document"),
])
def test_cli_errors_are_one_line(index_dir, args, message):
    result = run(index_dir, *args)
    assert result.exit_code != 0 and message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_cli_missing_index(tmp_path):
    result = CliRunner().invoke(main, ["search", "x", "--index", str(tmp_path / "none")])
    assert result.exit_code != 0 and "no index at" in result.output and "onu index" in result.output


def test_the_readme_library_example_syncs_the_documents_of_its_first_command():
    """Not "corpus/": from the project's root, that is the Python package, not documents."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    synced = re.findall(r'ix\.sync\(\["([^"]+)"\]\)', readme)
    indexed = re.search(r"onu index (\S+)", readme).group(1)
    assert synced == [indexed] and not (ROOT / indexed / "__init__.py").exists()
