"""Reliability: bad queries get a clear message or a sensible answer, never a traceback.

Hand-picked hostile queries through the library and the `onu` command, then
property-based tests (hypothesis) that feed the parser, and a sample of them
the whole search, arbitrary text: only the project's own errors may escape,
and no query takes more than a second.
"""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from corpus.errors import OnuError
from indexer import query as q
from search import Index, QueryError
from search.cli import main
from search.parser import MAX_QUERY_LENGTH, parse
from tests.conftest import build_index

DOCS = {  # file -> akn_xml arguments; dates all differ, to check "newest first"
    "traite.xml": dict(symbol="A/RES/78/10", title="Traite des êtres humains", date="2023-12-04", session=78,
                       agenda=(("107", "Prévention du crime"),), sponsors="Belarus, France",
                       paragraphs=("La traite des enfants est un crime.", "Les êtres humains.")),
    "oceans.xml": dict(symbol="A/RES/77/20", title="Océans et droit de la mer", date="2022-12-15", session=77,
                       paragraphs=("Le droit de la mer.",), sponsors="Japan"),
    "climat.xml": dict(symbol="A/RES/78/30", title="Changements climatiques", date="2024-01-10", session=78,
                       paragraphs=("Les changements climatiques menacent les océans.",), sponsors="France"),
    "haiti.xml": dict(symbol="S/RES/2700 (2023)", title="La situation en Haïti", date="2023-10-02", session=None,
                      organ="Conseil de sécurité", paragraphs=("Le Conseil, préoccupé par Haïti.",)),
}
NEWEST_FIRST = ["A/RES/78/30", "A/RES/78/10", "S/RES/2700 (2023)", "A/RES/77/20"]


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    return build_index(tmp_path_factory.mktemp("queries"), DOCS)


@pytest.fixture(scope="module")
def ix(index_dir):
    with Index(index_dir) as index:
        index.search("traite")  # open the searcher once, so timings below measure queries only
        yield index


# -- the library ------------------------------------------------------------------------------------

@pytest.mark.parametrize("query", ["", " ", "   \t\n ", "\u00a0", "\x00\x01", "\u202f \u00a0"])
def test_an_empty_query_lists_every_document_newest_first(ix, query):
    res = ix.search(query, limit=100)
    assert res.total == len(DOCS) and [h.symbol for h in res] == NEWEST_FIRST
    dates = [h.date for h in res]
    assert dates == sorted(dates, reverse=True)


def test_an_empty_query_with_a_filter_lists_its_documents_newest_first(ix):
    assert [h.symbol for h in ix.search("", session=78)] == ["A/RES/78/30", "A/RES/78/10"]
    assert [h.symbol for h in ix.search("  ", states=["France"])] == ["A/RES/78/30", "A/RES/78/10"]


@pytest.mark.parametrize("query,message", [
    ('"traite', "unbalanced quote"),
    ('traite "des enfants', "unbalanced quote"),
    ('"', "unbalanced quote"),
    ("(traite", "unbalanced parenthesis: '(' is never closed"),
    ("((traite) OR mer", "unbalanced parenthesis"),
    ("traite)", "unbalanced parenthesis: ')' without '('"),
    (")", "expected words here"),
    ("()", "expected words here"),
    ("*", "a prefix needs letters before '*'"),
    ("-", "'-' is not a word"),
    (":", "':' is not a word"),
    ("-*", "a prefix needs letters"),
    ("--", "is not a word"),
    ("NOT", "NOT needs a word after it"),
    ("traite OR", "OR needs a word after it"),
    ("OR", "expected words here"),
    ("foo:bar", "unknown field 'foo:'"),
    ("Couleur:rouge", "unknown field 'Couleur:'"),
    ("état:Atlantide", "unknown member state"),
    ("x" * 10_000, "query too long (10000 characters; the limit is 2000)"),
    ("date:2023-02-30", "the date 2023-02-30 does not exist"),
    ("date:2023-13", "does not exist"),
    ("date:2024-02-30", "does not exist"),
    ("date:[2023-02-30 TO 2024-01-01]", "does not exist"),
    ("date:demain", "is not a date"),
    ("date:[2023 TO", "unbalanced"),
    ("session:abc", "session is a number"),
    ("organ:XYZ", "unknown organ"),
    ('""', "empty phrase"),
    ("(" * 40 + "traite" + ")" * 40, "too many nested parentheses"),
    ("\x1b[31mtraite", "bracket"),
])
def test_a_bad_query_gets_a_clear_error(ix, query, message):
    started = time.monotonic()
    with pytest.raises(QueryError, match=re.escape(message)) if "state" not in message else \
            pytest.raises(OnuError, match=message):
        ix.search(query)
    assert time.monotonic() - started < 1.0


@pytest.mark.parametrize("query,expected", [
    ("traite\x00enfants", ["A/RES/78/10"]),  # control characters separate words
    ("traite\x07\x1fenfants", ["A/RES/78/10"]),
    ("\x7ftraite\x0b", ["A/RES/78/10"]),
    ("traite\u00a0enfants", ["A/RES/78/10"]),
    ("date:2024-02-29", []),  # a leap day exists
    ("date:9999-12-31", []),
    ("date:[2024 TO 2023]", []),
    ("session:99999999999999999999", []),
    ('"traite"~99999999999999999999', ["A/RES/78/10"]),
    ("date:[* TO *]", NEWEST_FIRST),
])
def test_odd_but_valid_queries_get_a_sensible_answer(ix, query, expected):
    res = ix.search(query, sort="-date", limit=100)
    assert [h.symbol for h in res] == expected and res.total == len(expected)


def test_limit_zero_counts_without_hits_and_a_page_past_the_end_is_empty(ix):
    counted = ix.search("traite OR océans", limit=0)
    assert counted.total == 3 and counted.hits == () and counted.pages == 1
    past = ix.search("traite OR océans", page=99)
    assert past.total == 3 and past.hits == () and past.page == 99
    everything_past = ix.search("", page=2, limit=4)
    assert everything_past.total == 4 and everything_past.hits == ()


@pytest.mark.parametrize("kwargs,message", [
    (dict(limit=-1), "limit must be between 0 and"),
    (dict(limit=10**9), "limit must be between 0 and"),
    (dict(page=0), "page numbers start at 1"),
    (dict(page=-5), "page numbers start at 1"),
    (dict(since="2023-02-30"), "YYYY-MM-DD"),
    (dict(until="hier"), "YYYY-MM-DD"),
    (dict(sort="random"), "unknown sort"),
    (dict(facets=["couleur"]), "unknown facet"),
    (dict(organ="Lune"), "unknown organ"),
    (dict(states=["Atlantide"]), "unknown member state"),
])
def test_bad_search_arguments_get_a_clear_error(ix, kwargs, message):
    with pytest.raises(OnuError, match=message):
        ix.search("traite", **kwargs)


@pytest.mark.parametrize("query", ["-" * 1990 + "x", "(" * 30 + "-" * 900 + "traite" + ")" * 30])
def test_a_long_chain_of_minus_signs_is_a_query_error(ix, query):
    with pytest.raises(QueryError):
        parse(query)


# -- the command line -------------------------------------------------------------------------------

def onu(index_dir, *args):
    result = CliRunner().invoke(main, ["search", *args, "--index", str(index_dir)])
    # CliRunner swallows tracebacks: an exception other than SystemExit is one that escaped.
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result


@pytest.mark.parametrize("query", ["", "   ", "\t"])
def test_cli_empty_query_lists_newest_first(index_dir, query):
    result = onu(index_dir, query)
    assert result.exit_code == 0 and result.output.startswith("4 documents")
    shown = [line.split()[1] for line in result.output.splitlines() if re.match(r"\d+\. ", line)]
    assert shown == ["A/RES/78/30", "A/RES/78/10", "S/RES/2700", "A/RES/77/20"]


@pytest.mark.parametrize("query,message", [
    ('"traite', "unbalanced quote"),
    ("(traite", "unbalanced parenthesis"),
    ("traite)", "unbalanced parenthesis"),
    ("*", "prefix needs letters"),
    ("-", "is not a word"),
    (":", "is not a word"),
    ("foo:bar", "unknown field 'foo:'"),
    ("x" * 10_000, "query too long"),
    ("date:2023-02-30", "does not exist"),
    ("\x1b[2J", "bracket"),
    ("\udcff", "is not a word"),  # bytes that are not UTF-8 on the command line arrive as surrogates
])
def test_cli_bad_query_is_one_line(index_dir, query, message):
    result = onu(index_dir, query)
    assert result.exit_code != 0 and message in result.output
    assert len(result.output.strip().splitlines()) == 1 and result.output.startswith("Error: ")


@pytest.mark.parametrize("args,message", [
    (["traite", "--since", "2023-02-30"], "YYYY-MM-DD"),
    (["traite", "--state", "Atlantide"], "unknown member state"),
    (["traite", "--organ", "Lune"], "unknown organ"),
])
def test_cli_bad_filter_is_one_line(index_dir, args, message):
    result = onu(index_dir, *args)
    assert result.exit_code != 0 and message in result.output and len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize("args,option", [
    (["traite", "--limit", "-1"], "--limit"), (["traite", "--limit", "1001"], "--limit"),
    (["traite", "--page", "0"], "--page"), (["traite", "--limit", "dix"], "--limit"),
    (["traite", "--facets", "couleur"], "--facets"), (["traite", "--sort", "hasard"], "--sort"),
])
def test_cli_bad_option_value_is_a_usage_error(index_dir, args, option):
    result = onu(index_dir, *args)
    assert result.exit_code == 2 and f"Error: Invalid value for '{option}'" in result.output


def test_cli_control_characters_in_a_query(index_dir):
    result = onu(index_dir, "traite\x07enfants")
    assert result.exit_code == 0 and "A/RES/78/10" in result.output


def test_cli_limit_zero_prints_the_count_only(index_dir):
    result = onu(index_dir, "traite OR océans", "--limit", "0")
    assert result.exit_code == 0 and result.output.startswith("3 documents")
    assert "1-0" not in result.output and "shown" not in result.output


def test_cli_page_past_the_end_says_so(index_dir):
    result = onu(index_dir, "traite OR océans", "--page", "99")
    assert result.exit_code == 0 and result.output.startswith("3 documents")
    assert "981-980" not in result.output and "past the end" in result.output


def test_cli_json_page_past_the_end_and_limit_zero(index_dir):
    import json

    data = json.loads(onu(index_dir, "traite OR océans", "--page", "99", "--json").output)
    assert data["total"] == 3 and data["hits"] == [] and data["page"] == 99
    data = json.loads(onu(index_dir, "traite OR océans", "--limit", "0", "--json").output)
    assert data["total"] == 3 and data["hits"] == []


# -- properties: arbitrary text ---------------------------------------------------------------------

SYNTAX = ["(", ")", '"', "-", "*", ":", "~", "~3", "[", "]", " TO ", "*", "NOT ", " OR ", " AND ", "\\", "'", "’",
          "title:", "titre:", "state:", "état:", "pays:", "session:", "organ:", "organe:", "type:", "symbol:",
          "cote:", "cites:", "date:", "year:", "année:", "agenda:", "point:", "body:", "foo:", "date:[", "2023",
          "2023-02-30", "2024-02-29", "2023-13-01", "0000", "99999999999", "traite", "traité", "enfants", "Bélarus",
          "France", "GA", "A/RES/78/10", "S/RES/2700 (2023)", "68/192", "107", "19 b)", "l'", "d’", "é", "Œ", "ß",
          "\u00a0", "\u202f", "\u200b", "\ufeff", "\x00", "\x1b", "\x7f", "\n", "\t", " ", "  ", "\udcff", "\ud800",
          "\U0001f600", "ﬁ", "İ", "ǅ", "\u0301", "a" * 50, "x*", "tr*", "**"]
query_like = st.lists(st.sampled_from(SYNTAX), max_size=40).map("".join)
arbitrary = st.text(st.characters(exclude_categories=()), max_size=300)  # surrogates and controls included
long_text = st.text(st.sampled_from(list("ab -()\":*[]~OR")), min_size=1500, max_size=2600)


def _parses_or_says_why(text: str) -> None:
    started = time.perf_counter()
    try:
        node = parse(text)
    except OnuError as exc:
        assert str(exc)  # a message for the user
    else:
        assert isinstance(node, (q.Term, q.Phrase, q.Prefix, q.Match, q.Range, q.And, q.Or, q.Not, q.All))
    assert time.perf_counter() - started < 1.0, f"parse took {time.perf_counter() - started:.2f} s"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(query_like, arbitrary))
@example("")
@example("\udcff")
@example('title:"' + "a" * 1990)
@example("(" * 32 + "x" + ")" * 32)
@example("NOT " * 495 + "x")
def test_parse_raises_only_our_errors_and_is_fast(text):
    _parses_or_says_why(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(long_text)
def test_parse_of_long_queries_raises_only_our_errors_and_is_fast(text):
    _parses_or_says_why(text)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=st.one_of(query_like, arbitrary),
       page=st.integers(min_value=1, max_value=3), limit=st.sampled_from([0, 1, 10]),
       sort=st.sampled_from([None, "relevance", "date", "-date"]))
@example(text="a* " * 600, page=1, limit=10, sort=None)
@example(text=" OR ".join(["traite"] * 300), page=1, limit=10, sort=None)
@example(text="NOT " * 400 + "traite", page=1, limit=10, sort=None)
@example(text="traite\udcff enfants", page=1, limit=10, sort=None)
def test_search_raises_only_our_errors_and_is_fast(ix, text, page, limit, sort):
    started = time.perf_counter()
    try:
        res = ix.search(text, page=page, limit=limit, sort=sort, facets=["state", "year"])
    except OnuError as exc:
        assert str(exc)
    else:
        assert 0 <= res.total <= len(DOCS) and len(res.hits) <= limit
        assert {h.symbol for h in res} <= set(NEWEST_FIRST)
        assert all(isinstance(h.date, dt.date) for h in res)
        assert sum(res.facets["year"].values()) == res.total
    assert time.perf_counter() - started < 1.0, f"search took {time.perf_counter() - started:.2f} s"


def test_the_query_length_limit_is_what_the_messages_say():
    assert MAX_QUERY_LENGTH == 2000
    parse("a " * 999)  # 1998 characters: fine
    with pytest.raises(QueryError, match="query too long"):
        parse("a" * 2001)
