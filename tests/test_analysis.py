"""Each rule of the French analysis (indexer/analysis.py), as index and queries both use it."""

import pytest

from indexer.analysis import analyse, exact_form, keys, prefix_form
from indexer.whooshdb.analysis import EXACT, terms


def words(text):
    return keys(text)


def spans(text):
    return [(w.key, text[w.start:w.end]) for w in analyse(text) if not w.stop]


def test_offsets_point_at_the_original_accented_words():
    text = "Les États Membres de l’Œuvre"
    assert spans(text) == [("etat", "États"), ("membre", "Membres"), ("oeuvre", "Œuvre")]


def test_stopwords_keep_their_place():
    found = [(w.position, w.key, w.stop) for w in analyse("l’Afrique du Sud")]
    assert found == [(0, "afric", False), (1, "du", True), (2, "sud", False)]


@pytest.mark.parametrize("apostrophe", ["'", "’"])
@pytest.mark.parametrize("elided,word", [
    ("l", "enfant"), ("d", "enfant"), ("j", "ai"), ("m", "engage"), ("n", "est"), ("s", "engage"),
    ("t", "es"), ("c", "est"), ("qu", "il"), ("jusqu", "ici"), ("lorsqu", "elle"), ("puisqu", "on"),
    ("quoiqu", "ils"),
])
def test_elisions_are_removed(apostrophe, elided, word):
    assert words(f"{elided}{apostrophe}{word}") == words(word)


@pytest.mark.parametrize("apostrophe", ["'", "’"])
def test_aujourdhui_stays_one_word(apostrophe):
    assert words(f"aujourd{apostrophe}hui") == ["aujourd'hui"]


def test_case_accents_and_ligatures_fold():
    assert words("ÉTATS") == words("etats") == words("États")
    assert words("œuvre") == words("oeuvre")
    assert words("æquo") == words("aequo")


def test_stopwords_are_folded_too():
    assert words("été") == [] and words("ete") == []
    assert words("à") == [] and words("où") == []


def test_stemming_joins_singular_and_plural():
    assert words("enfants") == words("enfant")
    assert words("humains") == words("humain")


@pytest.mark.parametrize("symbol,token", [
    ("A/RES/78/144", "a/res/78/144"), ("68/192", "68/192"), ("2024", "2024"),
    ("S/RES/2700", "s/res/2700"), ("A/HRC/RES/55/1", "a/hrc/res/55/1"), ("E/2023/L.20", "e/2023/l.20"),
])
def test_symbols_and_numbers_stay_whole(symbol, token):
    assert words(f"la résolution {symbol}.") == [words("résolution")[0], token]


def test_hyphenated_words_give_their_parts_in_order():
    parts = words("extra-atmosphérique")
    assert parts == words("extra atmosphérique") and words("atmosphérique")[0] in parts
    assert [w.position for w in analyse("espace extra-atmosphérique")] == [0, 1, 2]


@pytest.mark.parametrize("space", ["\u00a0", "\u202f", " "])
def test_non_breaking_spaces_separate_words(space):
    assert words(f"traite{space}des{space}enfants") == words("traite des enfants")


def test_non_breaking_hyphen_separates_words():
    assert words("Moyen\u2011Orient") == words("Moyen-Orient")


def test_exact_form_keeps_accented_words_as_written():
    def exact(text):
        return [t[0] for t in terms(text, analyse(text), EXACT)]
    assert exact("Traité traite L’Œuvre des États") == ["traité", "œuvre", "états"]
    assert exact("été") == []
    assert exact_form("L’Œuvre") == "œuvre"


@pytest.mark.parametrize("typed,form", [("l'enf", "enf"), ("l’Enf", "enf"), ("ÉTATS", "etats"), ("jusqu’à", "a"),
                                        ("Œuvr", "oeuvr"), ("traité", "traite")])
def test_prefixes_are_read_as_written_words_are(typed, form):
    assert prefix_form(typed) == form


def test_queries_and_documents_meet():
    assert words("etres humains") == words("Êtres humains")
    assert words("l’enfant") == words("L'ENFANT") == words("enfants")
