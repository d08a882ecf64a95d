"""The README's query-language table and library example, executed, so that they cannot drift."""

import re

import pytest

from indexer.settings import ENGINES
from search import Index, parse
from tests.conftest import ROOT, build_index

README = (ROOT / "README.md").read_text(encoding="utf-8")
TABLE = README[README.index("| you type | it finds |"):README.index("### As a library")]
EXAMPLES = [q for row in TABLE.splitlines()[2:] if row.startswith("|")
            for q in re.findall(r"`([^`]+)`", row)]
# What each example must find in the corpus below, and what it must not.
FINDS = {
    "traite des enfants": ({"A/RES/78/10"}, {"A/RES/78/11"}),
    "Bélarus": ({"A/RES/78/10"}, set()),  # sponsored by Belarus; its text does not name it
    '"êtres humains"': ({"A/RES/78/10"}, set()),
    '"Afrique du Sud"': ({"A/RES/78/12"}, {"A/RES/78/13", "A/RES/78/16"}),
    '"traite enfants"~3': ({"A/RES/78/10"}, set()),
    '"conseiller"': ({"A/RES/78/13"}, {"A/RES/78/12"}),
    "climat OR océans": ({"A/RES/78/14", "A/RES/78/15"}, set()),
    "NOT nucléaire": (set(), {"A/RES/78/15"}),
    "-nucléaire": (set(), {"A/RES/78/15"}),
    "(climat OR océans) Pacifique": ({"A/RES/78/15"}, {"A/RES/78/14"}),
    "protection*": ({"A/RES/78/14"}, set()),
    "l’enf*": ({"A/RES/78/10"}, set()),
    "symbol:S/RES/2677": ({"S/RES/2677 (2023)"}, set()),
    "cites:68/192": ({"A/RES/78/10"}, set()),
    "session:78": ({"A/RES/78/10"}, {"A/HRC/RES/54/1"}),
    'session:"AG 78"': ({"A/RES/78/10"}, {"A/HRC/RES/54/1"}),
    "session:HRC54": ({"A/HRC/RES/54/1"}, {"A/RES/78/10"}),
}
DOCS = {
    "a.xml": dict(symbol="A/RES/78/10", title="Traite des êtres humains", agenda=(("107", "Prévention du crime"),),
                  paragraphs=("La traite des enfants est un crime contre les êtres humains.",),
                  sponsors="Belarus and France", links=("A/RES/68/192",)),
    "b.xml": dict(symbol="A/RES/78/11", title="Traité", paragraphs=("Le traité sur l’espace.",), date="2024-01-10"),
    "c.xml": dict(symbol="A/RES/78/12", title="Coopération", paragraphs=("Le Conseil salue l’Afrique du Sud.",)),
    "c2.xml": dict(symbol="A/RES/78/16", title="Paix", paragraphs=("La paix.",), sponsors="South Africa"),
    "d.xml": dict(symbol="A/RES/78/13", title="Conseil", paragraphs=(
        "Le conseiller spécial de l’Afrique et de l’Amérique du Sud.",)),
    "e.xml": dict(symbol="A/RES/78/14", title="Climat", paragraphs=("Le climat et la protection des océans.",)),
    "f.xml": dict(symbol="A/RES/78/15", title="Océans", paragraphs=("Les océans du Pacifique, sans essai nucléaire.",)),
    "g.xml": dict(symbol="S/RES/2677 (2023)", title="Résolution 2677 (2023)", organ="Conseil de sécurité",
                  session=None, paragraphs=("Le Conseil de sécurité décide de proroger le mandat.",)),
    "h.xml": dict(symbol="A/HRC/RES/54/1", title="Droits de l’homme", organ="Conseil des droits de l’homme",
                  session=54, paragraphs=("Le Conseil des droits de l’homme.",)),
}


@pytest.fixture(scope="module", params=ENGINES)
def index_dir(request, tmp_path_factory):
    """The examples' corpus, indexed by each engine in turn."""
    return build_index(tmp_path_factory.mktemp("readme"), DOCS, engine=request.param)


def test_every_example_of_the_table_is_checked():
    assert len(EXAMPLES) >= 20 and {e for e in EXAMPLES if e in FINDS} == set(FINDS)


@pytest.mark.parametrize("query", EXAMPLES)
def test_each_example_of_the_table_runs(index_dir, query):
    parse(query)
    with Index(index_dir) as ix:
        found = {h.symbol for h in ix.search(query, limit=100)}
    must, must_not = FINDS.get(query, (set(), set()))
    assert must <= found and not must_not & found, (query, found)


def test_the_library_example_runs(tmp_path, capsys):
    code = re.search(r"### As a library\n\n```python\n(.*?)```", README, re.S).group(1)
    corpus = tmp_path / "documents"
    corpus.mkdir()
    build_index(corpus, {**DOCS, "i.xml": dict(symbol="A/RES/78/144", title="Traite des personnes",
                                               agenda=(("107", "Prévention du crime"),),
                                               paragraphs=("La traite des enfants.",), sponsors="Belarus")})
    code = code.replace('"path/to/index"', repr(str(tmp_path / "ix"))).replace('"../shared/corpus"', repr(str(corpus)))
    exec(compile(code, "README.md", "exec"), {})
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("2 ") and any(line.startswith("A/RES/78/144 ") for line in out)
