"""Differential tests: each engine (Whoosh, Tantivy) answers every query as the reference does.

The reference engine (tests/reference.py) defines what a query means; here hypothesis
makes small corpora of French text that stress the analysis (accents, elisions, stopwords,
hyphens, symbols, odd spaces) and query trees over the same words, and checks, query by
query, that the Whoosh engine finds the same documents, counts and facets; and that its
pages are slices of one ranking, whatever the page size.

    ONU_DIFFERENTIAL_EXAMPLES=5000 pytest tests/test_differential.py   # a longer hunt
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import tempfile
from contextlib import contextmanager

import pytest

from hypothesis import HealthCheck, settings
from hypothesis import event, given
from hypothesis import strategies as st

from corpus.record import ROLES, AgendaItem, Statement, StateRole, statement_from_json
from indexer import query as q
from indexer.analysis import TOKEN_PATTERN, analyse
from indexer.engine import FACET_FIELDS, SORTS, date_key, load
from indexer.location import IndexMeta
from indexer.fields import TEXT_BOOSTS, Ranking
from indexer.fields import text_fields as field_texts
from indexer.whooshdb.schema import to_document
from search import Index, QueryError
from search.parser import parse
from tests.reference import ReferenceEngine, ReferenceSearcher, filter_keys

ENGINES = ("whoosh", "tantivy")  # every test below runs on each
per_engine = pytest.mark.parametrize("engine_name", ENGINES)
FACETS = tuple(FACET_FIELDS)
TEXT_FIELDS = tuple(TEXT_BOOSTS)

# Hypothesis examples per test (each builds one index and asks it many queries).
settings.register_profile(
    "onu-differential",
    max_examples=int(os.environ.get("ONU_DIFFERENTIAL_EXAMPLES", "50")),
    deadline=None,
    report_multiple_bugs=False,  # shrinking re-runs many indexes: one failure at a time
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
DIFFERENTIAL = settings(settings.get_profile("onu-differential"))

# -- the vocabulary ----------------------------------------------------------------------------

WORDS = (
    "traité", "traite", "Traité", "TRAITÉ", "traités", "traites",
    "États", "etats", "État", "état", "ÉTATS",
    "déplacé", "déplacées", "deplacees", "déplacés",
    "conseil", "Conseil", "conseils", "conseiller", "conseillers", "conseillère",
    "enfant", "enfants", "l’enfant", "l'enfant", "L’Enfant", "d’enfants",
    "nationaux", "nationale", "national", "nationales",
    "œuvre", "oeuvre", "Œuvre", "l’œuvre",
    "d'Afrique", "d’Afrique", "Afrique", "africain",
    "jusqu’à", "qu’il", "aujourd'hui", "aujourd’hui",
    "de", "la", "du", "des", "les", "et", "à", "le", "en", "leur", "leurs", "été", "étés", "a",
    "extra-atmosphérique", "Sud-Sud", "sud", "Sud", "Nord-Sud",
    "espace", "droits", "droit", "homme", "l’homme", "humains", "humaine",
    "paix", "sécurité", "securite", "mer", "mers", "coopération", "cooperation",
    "A/RES/78/144", "68/192", "S/RES/2677", "2677", "78", "2023", "E/2023/L.20", "ES-11/6",
)
# Query words that the texts do not hold as such.
EXTRA_WORDS = ("de la", "des enfants", "droits de l’homme", "'", "l’", "-", "S/RES/2677 (2023)",
               "Deplacees", "CONSEILLERS", "Etats", "oeuvres", "extra", "atmosphérique", "jusqu'a")
SEPARATORS = (" ", " ", " ", " ", "\u00a0", "\u202f", ", ", ". ", "\n", "-", " (", ") ", "'")
SYMBOLS = ("A/RES/78/144", "A/RES/68/192", "S/RES/2677 (2023)", "A/HRC/RES/54/1", "E/2023/L.20", "A/78/L.1",
           "A/ES-11/L.6")
STATES = ("FRA", "BLR", "JPN", "USA", "CIV", "DEU", "BRA", "ZAF")
AGENDA_NUMBERS = ("107", "19 b)", "19", "68 a)", "3", "19 B)")
ORGANS = ("GA", "SC", "HRC", "ECOSOC")
SESSIONS = (5, 54, 77, 78)
DATES = tuple(dt.date.fromisoformat(d) for d in
              ("2021-03-01", "2022-06-30", "2022-12-15", "2023-01-01", "2023-06-30", "2023-12-04", "2024-01-10"))
DOC_TYPES = ("résolution", "Résolution", "lettre", "décision", "note verbale")
SIGNATORIES = ("Jean-Marc Dupont", "Élise Côté", "Nicolas de Rivière", "Mme Œ. Lefèvre", "Linda Thomas-Greenfield")
GROUPS = ("Groupe des 77 et la Chine", "Union européenne", "Mouvement des pays non alignés",
          "Groupe des États d’Afrique")


def texts(vocabulary: tuple[str, ...], min_words: int = 0, max_words: int = 12) -> st.SearchStrategy[str]:
    """French-looking text made of these words, with odd separators."""
    word = st.sampled_from(vocabulary)
    return st.lists(st.tuples(word, st.sampled_from(SEPARATORS)), min_size=min_words, max_size=max_words).map(
        lambda pairs: "".join(w + s for w, s in pairs).strip())


def maybe(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(st.none(), strategy)


@st.composite
def records(draw, n: int, vocabulary: tuple[str, ...]) -> Statement:
    return Statement(
        id=f"doc{n}", path=f"/corpus/doc{n}.xml", checksum=f"sum{n}",
        title=draw(texts(vocabulary, 0, 6)),
        body=draw(texts(vocabulary, 0 if n == 0 else 3, 30)),  # one body may be empty
        subject=draw(maybe(texts(vocabulary, 1, 4))),
        symbol=draw(maybe(st.sampled_from(SYMBOLS))), organ=draw(maybe(st.sampled_from(ORGANS))),
        doc_type=draw(maybe(st.sampled_from(DOC_TYPES))), date=draw(maybe(st.sampled_from(DATES))),
        session=draw(maybe(st.sampled_from(SESSIONS))),
        agenda_items=tuple(draw(st.lists(st.builds(AgendaItem, st.sampled_from(AGENDA_NUMBERS),
                                                   maybe(texts(vocabulary, 1, 5))), max_size=2))),
        signatories=tuple(draw(st.lists(st.sampled_from(SIGNATORIES), max_size=2))),
        states=tuple(draw(st.lists(st.builds(StateRole, st.sampled_from(STATES), st.sampled_from(ROLES)),
                                   max_size=3))),
        groups=tuple(draw(st.lists(st.sampled_from(GROUPS), max_size=2))),
        references=tuple(draw(st.lists(st.sampled_from(SYMBOLS).map(lambda s: s.lower()) | st.sampled_from(SYMBOLS),
                                       max_size=2))),
    )


BLANK = Statement(id="", path="", checksum="", title="", body="")


class Corpus(list):
    """Records, each shown with its id and the fields it fills (failing examples stay readable)."""

    def __repr__(self) -> str:
        shown = []
        for rec in self:
            filled = [f"{f.name}={getattr(rec, f.name)!r}" for f in dataclasses.fields(rec)
                      if f.name not in ("id", "path", "checksum") and getattr(rec, f.name) != getattr(BLANK, f.name)]
            shown.append(f"    Statement({', '.join([f'id={rec.id!r}', *filled])}),\n")
        return "Corpus([\n" + "".join(shown) + "])"

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(repr(self))


@st.composite
def corpora(draw, min_size: int = 3, max_size: int = 12) -> Corpus:
    """Records written with a few words of the vocabulary, so that they share words and phrases."""
    vocabulary = tuple(draw(st.lists(st.sampled_from(WORDS), min_size=3, max_size=20, unique=True)))
    n = draw(st.integers(min_size, max_size))
    return Corpus(draw(records(i, vocabulary)) for i in range(n))


@st.composite
def rankings(draw) -> Ranking:
    """Ranking knobs, with a shallow closeness rerank so that it reorders within a small corpus."""
    ranking = Ranking(proximity_depth=draw(st.sampled_from((0, 1, 2, 3, 20))),
                      exact_boost=draw(st.sampled_from((0.0, 0.3))),
                      proximity_boost=draw(st.sampled_from((0.0, 0.5, 5.0, 5.0))))
    off = draw(st.sets(st.sampled_from(TEXT_FIELDS), max_size=2))
    return ranking.replace(boosts={name: 0.0 for name in off}) if off else ranking


# -- query trees ------------------------------------------------------------------------------

def written(corpus: list[Statement]) -> tuple[str, ...]:
    """Every word of the corpus' text fields as written (an elided article kept), in order."""
    return tuple(dict.fromkeys(m.group() for rec in corpus for text in field_texts(rec).values()
                               for m in TOKEN_PATTERN.finditer(text)))


def words_of(corpus: list[Statement]) -> st.SearchStrategy[str]:
    """A word of the corpus mostly, of the whole vocabulary sometimes."""
    return st.sampled_from(written(corpus) or WORDS) | st.sampled_from(WORDS + EXTRA_WORDS)


@st.composite
def excerpts(draw, corpus: list[Statement]) -> str:
    """A few words in a row of one of the corpus' texts, sometimes edited: a word dropped,
    a stopword slipped in, two words swapped, a word swapped for another form."""
    rec = draw(st.sampled_from(corpus))
    tokens = [m.group() for m in TOKEN_PATTERN.finditer(draw(st.sampled_from(list(field_texts(rec).values()))))]
    if not tokens:
        return " ".join(draw(st.lists(words_of(corpus), min_size=1, max_size=3)))
    start = draw(st.integers(0, len(tokens) - 1))
    window = tokens[start:start + draw(st.integers(1, 4))]
    edit = draw(st.sampled_from(("none", "none", "drop", "insert", "swap", "replace")))
    at = draw(st.integers(0, len(window) - 1))
    if edit == "drop" and len(window) > 1:
        del window[at]
    elif edit == "insert":
        window.insert(at, draw(st.sampled_from(("de", "la", "des", "du", "et", "à", "les", "leur"))))
    elif edit == "swap" and len(window) > 1:
        window[0], window[-1] = window[-1], window[0]
    elif edit == "replace":
        window[at] = draw(words_of(corpus))
    return draw(st.sampled_from((" ", "\u00a0", "-"))).join(window)


@st.composite
def prefixes(draw, words: st.SearchStrategy[str]) -> str:
    """The start of a word, long more often than short (where folded forms and stems part)."""
    word = draw(words)
    read = [w for w in analyse(word) if not w.stop]
    if read and read[0].key != read[0].folded and draw(st.booleans()):
        # Where the folded form and the stem part: "deplacee" is a prefix of "deplacees", not of "deplace".
        folded, stem = read[0].folded, read[0].key
        common = next((i for i, (a, b) in enumerate(zip(folded, stem)) if a != b), min(len(folded), len(stem)))
        text = folded[:draw(st.integers(min(common + 1, len(folded)), len(folded)))]
    else:
        cut = draw(st.integers(0, 3)) if draw(st.booleans()) else draw(st.integers(0, len(word) - 1))
        text = word[:max(1, len(word) - cut)]
    text = draw(st.sampled_from(("", "", "", "l’", "d'", " "))) + text
    return text.upper() if draw(st.integers(0, 3)) == 0 else text


FIELDS = st.one_of(st.none(), st.none(), st.none(), st.sampled_from(TEXT_FIELDS))
FILTERS = st.one_of(
    st.builds(q.Match, st.just("states"), st.sampled_from(STATES + ("fra", "Jpn", "XXX"))),
    st.builds(q.Match, st.just("organ"), st.sampled_from(ORGANS + ("ga", "Sc", ""))),
    st.builds(q.Match, st.just("session"), st.sampled_from(SESSIONS + (6,))),
    st.builds(q.Match, st.just("year"), st.sampled_from((2021, 2022, 2023, "2024", 1999))),
    st.builds(q.Match, st.just("date"), st.sampled_from(DATES).map(date_key)),
    st.builds(q.Match, st.just("agenda_num"), st.sampled_from(AGENDA_NUMBERS + ("19b", "68", "108"))),
    st.builds(q.Match, st.just("doc_type"), st.sampled_from(DOC_TYPES + ("resolution", "Note Verbale"))),
    st.builds(q.Match, st.sampled_from(("references", "symbol_key")),
              st.sampled_from(SYMBOLS + ("s/res/2677", "S/RES/2677", "a / res / 78 / 144"))),
    st.builds(q.Match, st.just("language"), st.sampled_from(("fr", "en"))),
    st.builds(q.Match, st.just("id"), st.sampled_from(("doc0", "doc1", "doc5"))),
    st.builds(q.Range, st.just("date"), maybe(st.sampled_from(DATES)), maybe(st.sampled_from(DATES))),
    st.builds(q.Range, st.just("session"), maybe(st.sampled_from(SESSIONS)), maybe(st.sampled_from(SESSIONS))),
    st.builds(q.Range, st.just("year"), maybe(st.integers(2021, 2024)), maybe(st.integers(2021, 2024))),
    st.just(q.All()),
)


LEAF_KINDS = ("term", "term", "phrase", "phrase", "phrase", "quoted", "prefix", "prefix", "filter", "filter")


@st.composite
def leaves(draw, corpus: list[Statement]) -> q.Node:
    """A word node over the corpus' words and excerpts (mostly), or a filter.

    (Drawn by an explicit kind: hypothesis' one_of flattens nested alternatives, which
    would drown the word nodes among the many filters.)"""
    kind = draw(st.sampled_from(LEAF_KINDS))
    words = words_of(corpus)
    if kind == "term":
        return q.Term(draw(words), draw(FIELDS))
    if kind == "phrase":
        return q.Phrase(draw(excerpts(corpus)), draw(st.sampled_from((0, 0, 1, 2, 3))), draw(FIELDS))
    if kind == "quoted":
        return q.Phrase(draw(words), 0, draw(FIELDS))
    if kind == "prefix":
        return q.Prefix(draw(prefixes(words)), draw(FIELDS))
    return draw(FILTERS)


@st.composite
def query_trees(draw, corpus: list[Statement], depth: int = 0) -> q.Node:
    """Query trees over the corpus' words and excerpts, with filters, And / Or / Not; or bare
    words together, the shape that earns the closeness bonus and its rerank."""
    kind = draw(st.sampled_from(("leaf", "leaf", "leaf", "and", "or", "not", "near") if depth < 3 else ("leaf",)))
    if kind == "leaf":
        return draw(leaves(corpus))
    if kind == "not":
        return q.Not(draw(query_trees(corpus, depth + 1)))
    if kind == "near":
        body = tuple(dict.fromkeys(m.group() for rec in corpus for m in TOKEN_PATTERN.finditer(rec.body)))
        words = st.sampled_from(body) if body and draw(st.integers(0, 3)) else words_of(corpus)
        return q.And(tuple(q.Term(w) for w in draw(st.lists(words, min_size=2, max_size=3))))
    children = tuple(draw(st.lists(query_trees(corpus, depth + 1), min_size=1, max_size=3)))
    return q.And(children) if kind == "and" else q.Or(children)


# -- user text --------------------------------------------------------------------------------

FILTER_TEXT = st.sampled_from((
    "state:France", "etat:FRA", "pays:Japon", "état:Bélarus", "session:78", "session:GA-78", "session:5",
    "organe:AG", "organ:SC", "organe:HRC", "type:résolution", "type:lettre", "cote:A/RES/78/144", "cote:S/RES/2677",
    "cites:68/192", "cites:a/res/78/144", "date:2023", "date:2022-12", "date:[2022-01-01 TO 2023-06-30]",
    "year:2022", "année:[2021 TO 2022]", "session:[54 TO 77]", "point:19", "point:19b", "agenda:107",
))


@st.composite
def user_queries(draw, corpus: list[Statement], depth: int = 0) -> str:
    """Query text as people type it, over the corpus' words."""
    words = words_of(corpus).filter(lambda w: not set(w) & set(' ()"[]'))
    kind = draw(st.sampled_from(("atom", "atom", "atom", "and", "or", "not", "group") if depth < 3 else ("atom",)))
    if kind == "and":
        return " ".join(draw(st.lists(user_queries(corpus, depth + 1), min_size=2, max_size=3)))
    if kind == "or":
        return " OR ".join(draw(st.lists(user_queries(corpus, depth + 1), min_size=2, max_size=2)))
    if kind == "not":
        return "NOT " + draw(user_queries(corpus, depth + 1))
    if kind == "group":
        return f"({draw(user_queries(corpus, depth + 1))})"
    kind = draw(st.sampled_from(("word", "word", "-word", "phrase", "phrase", "prefix", "field", "filter")))
    if kind in ("word", "-word"):
        return kind[:-4] + draw(words)
    if kind == "phrase":
        return '"' + draw(excerpts(corpus)).replace('"', " ") + '"' + draw(st.sampled_from(("", "", "~1", "~3")))
    if kind == "prefix":
        return draw(prefixes(words)).strip().replace(" ", "") + "*"
    if kind == "field":
        value = draw(words) if draw(st.booleans()) else '"' + draw(excerpts(corpus)).replace('"', " ") + '"'
        return draw(st.sampled_from(("titre:", "title:", "texte:", "signataire:", "groupe:", "point:"))) + value
    return draw(FILTER_TEXT)


@st.composite
def index_filters(draw) -> dict:
    """Keyword filters of Index.search, a few at a time."""
    choices = {
        "states": st.lists(st.sampled_from(("France", "Japon", "BLR", "États-Unis d’Amérique")), min_size=1,
                           max_size=2),
        "any_state": st.booleans(),
        "agenda": st.sampled_from(("19", "19 b)", "107", "Prévention")),
        "session": st.sampled_from((78, "GA 78", "HRC 54", 5)),
        "organ": st.sampled_from(("GA", "Conseil de sécurité", "ECOSOC")),
        "doc_type": st.sampled_from(("résolution", "lettre")),
        "since": st.sampled_from(DATES),
        "until": st.sampled_from(DATES),
        "symbol": st.sampled_from(("A/RES/78/144", "S/RES/2677", "s/res/2677 (2023)")),
    }
    names = draw(st.sets(st.sampled_from(sorted(choices)), max_size=3))
    return {name: draw(choices[name]) for name in names}


# -- indexes ----------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Commit:
    """One commit of a sync: records added (or replaced, by path), paths deleted."""

    add: tuple[Statement, ...] = ()
    delete: tuple[str, ...] = ()


@st.composite
def layouts(draw, corpus: list[Statement], min_commits: int = 1) -> list[Commit]:
    """How the corpus reaches the index: in 1 to 3 commits (segments), some records first
    written as an older version and replaced, a vanished record written then deleted; so
    that deleted documents lie in the segments the engine reads."""
    commits = draw(st.integers(min_commits, 3))
    adds: list[list[Statement]] = [[] for _ in range(commits)]
    deletes: list[list[str]] = [[] for _ in range(commits)]
    for rec in corpus:
        at = draw(st.integers(0, commits - 1))
        if at and draw(st.integers(0, 2)) == 0:
            older = dataclasses.replace(rec, checksum=rec.checksum + "-old", title=draw(texts(WORDS, 0, 4)),
                                        body=draw(texts(WORDS, 1, 12)), date=draw(maybe(st.sampled_from(DATES))),
                                        organ=draw(maybe(st.sampled_from(ORGANS))))
            adds[draw(st.integers(0, at - 1))].append(older)
        adds[at].append(rec)
    if commits > 1 and draw(st.booleans()):
        gone = Statement(id="gone", path="/corpus/gone.xml", checksum="gone", title=draw(texts(WORDS, 0, 4)),
                         body=draw(texts(WORDS, 1, 12)), organ="GA", session=78, date=DATES[0])
        at = draw(st.integers(0, commits - 2))
        adds[at].append(gone)
        deletes[draw(st.integers(at + 1, commits - 1))].append(gone.path)
    return [Commit(tuple(a), tuple(d)) for a, d in zip(adds, deletes)]


@contextmanager
def engine_index(engine_name: str, corpus: list[Statement], layout: list[Commit] | None = None):
    """An index of the records by the engine of that name, written straight through the engine's
    store (one commit each, in the layout's order), in a temporary folder that says its engine."""
    engine = load(engine_name)
    with tempfile.TemporaryDirectory(prefix="onu-differential-") as folder:
        ix = engine.create(folder)
        for commit in layout or [Commit(tuple(corpus))]:
            with engine.writing(ix, folder, 10.0) as writer:
                for rec in commit.add:
                    writer.add(rec.path, engine.prepare(rec, "fp-" + rec.checksum))
                for path in commit.delete:
                    writer.delete(path)
        IndexMeta(engine=engine_name).save(folder)
        yield folder


def ids(hits) -> list[str]:
    return [h.record["id"] for h in hits]


def dates_of(hits) -> list[str | None]:
    return [h.record["date"] for h in hits]


def check_same_answer(node: q.Node, engine, reference: ReferenceSearcher, n: int,
                      facets: tuple[str, ...] = FACETS) -> list[str]:
    """Same documents, total and facets as the reference; the engine's full ranking, returned."""
    got = engine.search(node, limit=n, facets=facets)
    want = reference.search(node, limit=n, facets=facets)
    found = ids(got.hits)
    assert len(found) == len(set(found)), f"{node}: a document twice in {found}"
    assert set(found) == set(ids(want.hits)), f"{node}: engine {sorted(found)} != reference {sorted(ids(want.hits))}"
    assert got.total == want.total == len(found), f"{node}: totals {got.total} != {want.total}"
    assert got.facets == want.facets, f"{node}: facets {got.facets} != {want.facets}"
    for counts in got.facets.values():
        assert list(counts.values()) == sorted(counts.values(), reverse=True), f"{node}: facets {got.facets}"
    event("query tree matches " + ("no document" if not found else "every document" if len(found) == n else
                                   "some documents"))
    return found


def check_slices(node: q.Node, engine, full: list[str], sort: str, pages: list[tuple[int, int]]) -> None:
    """Any offset and limit give the slice of the full ranking."""
    for offset, limit in pages:
        page = engine.search(node, offset=offset, limit=limit, sort=sort)
        assert ids(page.hits) == full[offset:offset + limit], (
            f"{node} sort={sort} offset={offset} limit={limit}: {ids(page.hits)} != {full[offset:offset + limit]}")
        assert page.total == len(full)


def every_page(total: int) -> list[tuple[int, int]]:
    """(offset, limit) of every page of every size."""
    return [(offset, size) for size in range(1, total + 1) for offset in range(0, total, size)]


def near_shaped(node: q.Node) -> bool:
    """Bare words together: the query whose best hits the closeness bonus reorders."""
    return isinstance(node, q.And) and sum(isinstance(c, q.Term) and c.field is None for c in node.children) > 1


def check_date_order(where: str, got_dates: list[str | None], want_dates: list[str | None]) -> None:
    """The dates in the reference's order: the dated documents by date, then the undated ones."""
    assert got_dates == want_dates, f"{where}: dates {got_dates} != {want_dates}"


# -- the tests --------------------------------------------------------------------------------

@DIFFERENTIAL
@given(corpus=corpora(1, 6))
def test_the_reference_reads_what_the_index_gets(corpus):
    """The reference's field texts and filter keys are `to_document`'s (else the specification is stale)."""
    for rec in corpus:
        doc = to_document(rec, "fp")
        assert field_texts(rec) == {name: doc.get(name, "") for name in TEXT_FIELDS}
        keys = filter_keys(rec)
        for name in ("states", "agenda_num", "organ", "doc_type", "references", "symbol_key", "language", "id",
                     "path"):
            assert keys[name] == set(str(doc.get(name, "")).split()), name
        for name in ("session", "date", "year"):
            assert keys[name] == ({doc[name]} if name in doc else set()), name


def check_query_trees(engine_name: str, corpus: Corpus, ranking: Ranking, layout: list[Commit], data) -> None:
    """Query trees on an index written in this layout: the same matches, totals, facets and
    statistics as the reference, records and ids found, pages slices of one ranking, date
    orders by date."""
    n = len(corpus)
    reference = ReferenceSearcher(corpus, ranking)
    with engine_index(engine_name, corpus, layout) as folder:
        engine = load(engine_name).searcher(folder, ranking)
        try:
            assert engine.stats() == reference.stats()
            for rec in corpus:
                assert statement_from_json(engine.get(rec.id)) == rec
            nodes = data.draw(st.lists(query_trees(corpus), min_size=1, max_size=12), label="queries")
            for node in nodes:
                full = check_same_answer(node, engine, reference, n)
                assert set(engine.find_ids(node, limit=n)) == set(full)
                assert ids(engine.search(node, limit=n + 5).hits) == full, f"{node}: ranking depends on the limit"
                pages = data.draw(st.lists(st.tuples(st.integers(0, n), st.integers(0, n)), min_size=1, max_size=3),
                                  label="offset, limit")
                if near_shaped(node):  # the closeness rerank may reorder: every page of every size
                    pages += every_page(len(full))
                check_slices(node, engine, full, "relevance", pages)
                for sort in ("date", "-date"):
                    ordered = engine.search(node, limit=n, sort=sort)
                    assert set(ids(ordered.hits)) == set(full)
                    check_date_order(f"{node} sort={sort}", dates_of(ordered.hits),
                                     dates_of(reference.search(node, limit=n, sort=sort).hits))
                    check_slices(node, engine, ids(ordered.hits), sort, pages)
        finally:
            engine.close()


@per_engine
@DIFFERENTIAL
@given(corpus=corpora(), ranking=rankings(), data=st.data())
def test_query_trees_answer_as_the_reference(engine_name, corpus, ranking, data):
    """Generated query trees: same matches, totals and facets; pages are slices of one ranking;
    date orders follow the dates."""
    check_query_trees(engine_name, corpus, ranking, [Commit(tuple(corpus))], data)


@per_engine
@DIFFERENTIAL
@given(corpus=corpora(), ranking=rankings(), data=st.data())
def test_segments_and_deleted_documents_answer_as_the_reference(engine_name, corpus, ranking, data):
    """The same over an index written in several commits, with replaced and deleted documents
    in its segments (and segments without some columns: no session, no date...)."""
    check_query_trees(engine_name, corpus, ranking, data.draw(layouts(corpus, min_commits=2), label="commits"), data)


@per_engine
@DIFFERENTIAL
@given(corpus=corpora(), ranking=rankings(), data=st.data())
def test_user_queries_answer_as_the_reference(engine_name, corpus, ranking, data):
    """User text through search.Index, on the engine and the reference: same hits, totals, facets,
    relaxation; page k of size s is the slice of the full ranking, pages never overlap."""
    n = len(corpus)
    with engine_index(engine_name, corpus) as folder, Index(folder, ranking=ranking) as engine, \
            Index(folder, ranking=ranking, engine=ReferenceEngine(corpus)) as reference:
        for _ in range(data.draw(st.integers(1, 8), label="how many queries")):
            text = data.draw(user_queries(corpus) | st.just(""), label="query")
            filters = data.draw(index_filters(), label="filters")
            try:
                parse(text)
            except QueryError:
                continue
            got = engine.search(text, limit=n, facets=FACETS, **filters)
            want = reference.search(text, limit=n, facets=FACETS, **filters)
            where = f"{text!r} {filters}"
            assert {h.id for h in got} == {h.id for h in want}, f"{where}: {sorted(h.id for h in got)} != " \
                                                               f"{sorted(h.id for h in want)}"
            assert (got.total, got.partial) == (want.total, want.partial), where
            assert got.facets == want.facets, where
            event("user query matches " + ("no document" if not got.total else "every document" if got.total == n
                                           else "some documents") + (" (relaxed)" if got.partial else ""))
            sort = data.draw(st.sampled_from((None,) + SORTS), label="sort")
            full = [h.id for h in engine.search(text, limit=n, sort=sort, **filters)]
            assert full == [h.id for h in engine.search(text, limit=n + 3, sort=sort, **filters)], \
                f"{where} sort={sort}: the ranking depends on the limit"
            size = data.draw(st.integers(1, n), label="page size")
            pages = []
            for page in range(1, -(-len(full) // size) + 2):
                found = [h.id for h in engine.search(text, limit=size, page=page, sort=sort, **filters)]
                assert found == full[(page - 1) * size:page * size], (
                    f"{where} sort={sort}: page {page} of {size} is {found}, not a slice of {full}")
                pages += found
            assert pages == full and len(set(pages)) == len(pages), f"{where} sort={sort}: pages overlap or miss"
            if sort in ("date", "-date") or (sort is None and not q.positive_words(parse(text))):
                order = sort or "-date"
                dates = [h.date.isoformat() if h.date else None for h in engine.search(text, limit=n, sort=sort,
                                                                                         **filters)]
                wanted = [h.date.isoformat() if h.date else None for h in reference.search(text, limit=n, sort=sort,
                                                                                            **filters)]
                check_date_order(f"{where} sort={order}", dates, wanted)


@per_engine
@DIFFERENTIAL
@given(corpus=corpora(4, 12), depth=st.integers(0, 3), boost=st.sampled_from((0.5, 5.0)), data=st.data())
def test_the_closeness_rerank_keeps_pages_slices_of_one_ranking(engine_name, corpus, depth, boost, data):
    """Bare words together, whose best hits the closeness bonus reorders: every page of every
    size is the slice of the full ranking (the rerank depth must not follow the page asked)."""
    n = len(corpus)
    body = tuple(dict.fromkeys(m.group() for rec in corpus for m in TOKEN_PATTERN.finditer(rec.body)))
    ranking = Ranking(proximity_depth=depth, proximity_boost=boost)
    reference = ReferenceSearcher(corpus, ranking)
    with engine_index(engine_name, corpus) as folder:
        engine = load(engine_name).searcher(folder, ranking)
        try:
            for words in data.draw(st.lists(st.lists(st.sampled_from(body), min_size=2, max_size=3), min_size=1,
                                            max_size=4), label="bare words"):
                node = q.And(tuple(q.Term(w) for w in words))
                full = check_same_answer(node, engine, reference, n)
                check_slices(node, engine, full, "relevance", every_page(len(full)))
        finally:
            engine.close()


@per_engine
def test_undated_documents_come_after_the_dated_ones_in_both_orders(engine_name):
    """Newest first (the order of a query of filters only) does not start with the undated documents."""
    corpus = [Statement(id="undated", path="/undated", checksum="2", title="", body="paix"),
              Statement(id="old", path="/old", checksum="1", title="", body="paix", date=DATES[0]),
              Statement(id="new", path="/new", checksum="3", title="", body="paix", date=DATES[-1])]
    with engine_index(engine_name, corpus) as folder:
        engine = load(engine_name).searcher(folder, Ranking())
        try:
            assert ids(engine.search(q.All(), sort="date").hits) == ["old", "new", "undated"]
            assert ids(engine.search(q.All(), sort="-date").hits) == ["new", "old", "undated"]
            assert ids(engine.search(q.All(), sort="-date", offset=2, limit=1).hits) == ["undated"]
        finally:
            engine.close()


@per_engine
def test_a_segment_without_a_column_does_not_shift_facets(engine_name):
    """Segments without a column (no session, no organ) among others: each document's values are
    its own (Whoosh's MultiReader.column_reader leaves such segments out, which read the other
    segments' documents at the wrong place: IndexError, OSError, or a document counted twice)."""
    sc = Statement(id="S/RES/2700 (2023)", path="/sc.xml", checksum="2", title="Paix", body="La paix.",
                   symbol="S/RES/2700 (2023)", organ="SC", date=dt.date(2023, 10, 2))
    letter = Statement(id="A/78/900", path="/letter.xml", checksum="3", title="Paix", body="La paix.",
                       doc_type="lettre")
    ga = Statement(id="A/RES/78/1", path="/ga.xml", checksum="1", title="Paix", body="La paix.",
                   symbol="A/RES/78/1", organ="GA", session=78, date=dt.date(2023, 12, 4))
    for order in ((sc, letter, ga), (ga, letter, sc), (letter, ga, sc)):
        with engine_index(engine_name, list(order), [Commit((rec,)) for rec in order]) as folder, \
                Index(folder) as ix:
            assert ix.search("paix", facets=["session", "organ", "type"]).facets == {
                "session": {"GA 78": 1}, "organ": {"SC": 1, "GA": 1}, "type": {"lettre": 1}}, order
            assert ix.stats().by_session == {"GA 78": 1}
            assert [h.id for h in ix.search("paix", sort="-date")] == ["A/RES/78/1", "S/RES/2700 (2023)",
                                                                        "A/78/900"]


@per_engine
def test_each_quoted_word_prefix_and_phrase_of_a_query_is_marked_as_itself(engine_name):
    """Several quoted words, prefixes and phrases in one query: each one's matches are marked, under
    its own label (spans built lazily once read the last one's word, label or prefix)."""
    body = "La paix durable et la sécurité collective des traités."
    corpus = [Statement(id="a", path="/a", checksum="1", title="", body=body)]
    with engine_index(engine_name, corpus) as folder:
        engine = load(engine_name).searcher(folder, Ranking())
        try:
            for node, want in [
                (q.And((q.Phrase("paix"), q.Phrase("sécurité"))), {("paix", "paix"), ("sécurité", "securite")}),
                (q.And((q.Prefix("dur"), q.Prefix("coll"))), {("durable", "dur*"), ("collective", "coll*")}),
                (q.And((q.Phrase("paix durable"), q.Phrase("sécurité collective"))),
                 {("paix durable", "pai durable"), ("sécurité collective", "securite collectif")}),
            ]:
                (hit,) = engine.search(node).hits
                assert {(body[a:b], label) for a, b, label in hit.spans} == want, node
        finally:
            engine.close()
