"""The fast paths agree with Whoosh's own slow ones: block reads, length columns,
value decoders, phrase matching, and the analysis of documents ahead of writing."""

import random

import pytest
import whoosh.index
from whoosh import query as wq

from indexer.fields import EXACT_FIELD, POSITIONS_FIELD
from indexer.analysis import analyse
from indexer.whooshdb.fastread import (ValueCache, field_lengths, posting_blocks,
                                       positions_decoder, posting_values)
from indexer.phrasing import phrase_matches
from indexer.whooshdb.phrases import phrase_counts
from indexer.whooshdb.formats import Offsets
from indexer.whooshdb.schema import OFFSETS_COLUMN, DocumentAnalysis, build_schema

WORDS = ("droit homme enfant traite traité état états paix sécurité nation unies conseil "
         "développement durable femme fille cour justice charte").split()

HOSTILE = ("L’ÉTAT d'urgence jusqu’à aujourd'hui : l'œuvre des États\u00a0Membres, "
           "extra-atmosphérique; A/RES/78/144 et 68/192 — Côte d’Ivoire, «\u202fÉté\u202f» ; "
           "les les les droits de l'homme ; ÆQUO ; qu'il n'y ait")


@pytest.fixture(scope="module")
def small_index(tmp_path_factory):
    """Three segments (one with deletions) of random French-ish documents."""
    folder = str(tmp_path_factory.mktemp("fast"))
    schema = build_schema()
    ix = whoosh.index.create_in(folder, schema)
    rng = random.Random(7)
    analysis = DocumentAnalysis(schema)
    n = 0
    for batch in range(3):
        with ix.writer() as w:
            for _ in range(150):
                body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 400)))
                w.add_document(**analysis({"id": str(n), "body": body, "title": " ".join(rng.sample(WORDS, 3))}))
                n += 1
    with ix.writer() as w:
        for d in range(0, n, 7):
            w.delete_by_term("id", str(d))
    s = ix.searcher()
    assert len(s.leaf_searchers()) > 1 and any(sub.reader().has_deletions() for sub, _ in s.leaf_searchers())
    s.close()
    return ix


def leaves(ix):
    s = ix.searcher()
    return s, [sub.reader() for sub, _ in s.leaf_searchers()]


def test_posting_blocks_match_the_matcher(small_index):
    s, readers = leaves(small_index)
    for reader in readers:
        for field in ("body", POSITIONS_FIELD, "title"):
            for word in ("droit", "enfant", "nation", "absent"):
                ids, weights, values = [], [], []
                for block_ids, block_weights in posting_blocks(reader, field, word):
                    ids += block_ids
                    weights += block_weights
                for _, block_values in posting_blocks(reader, field, word, values=True):
                    values += block_values
                if (field, word) not in reader:
                    assert ids == []
                    continue
                m = reader.postings(field, word)
                expect = []
                while m.is_active():
                    expect.append((m.id(), m.weight(), m.value()))
                    m.next()
                live = [(d, w, v) for d, w, v in zip(ids, weights, values) if not reader.is_deleted(d)]
                assert live == expect
                full = posting_values(reader, field, word)
                assert full == dict(zip(ids, values))
                some = sorted(random.Random(3).sample(range(reader.doc_count_all()), 20))
                partial = posting_values(reader, field, word, some)
                assert {d: partial.get(d) for d in some} == {d: full.get(d) for d in some}
                assert len(partial) < len(full) or len(full) < 300  # blocks were skipped
    s.close()


def test_field_lengths_match_whoosh(small_index):
    s, readers = leaves(small_index)
    for reader in readers:
        for field in ("body", "title", POSITIONS_FIELD):
            assert field_lengths(reader, field) == [reader.doc_field_length(d, field) or 0
                                                    for d in range(reader.doc_count_all())]
    s.close()


def test_decoders_match_the_formats(small_index):
    s, readers = leaves(small_index)
    for reader in readers:
        for field, term in ((POSITIONS_FIELD, "droit"), ("short_pos", "title:droit")):
            fmt = reader.schema[field].format
            for raw in posting_values(reader, field, term).values():
                assert list(positions_decoder(fmt)(raw)) == fmt.decode_positions(raw)
    s.close()


@pytest.mark.parametrize("text,slop", [
    ("droit homme", 1), ("nation unies conseil", 1), ("enfant enfant", 1),
    ("paix sécurité", 3), ("femme fille cour", 3), ("absent droit", 1),
])
def test_phrases_match_whoosh_phrase(small_index, text, slop):
    words = [w.key for w in analyse(text)]
    s, readers = leaves(small_index)
    cache = ValueCache()
    found = 0
    for reader in readers:
        ours = sorted(phrase_counts(reader, POSITIONS_FIELD, words, slop, cache))
        theirs = sorted(s.__class__(reader).docs_for_query(wq.Phrase(POSITIONS_FIELD, words, slop=slop)))
        assert ours == theirs
        found += len(ours)
    assert found or "absent" in words  # the comparison is not between two empty lists
    s.close()


def test_phrase_matches():
    assert phrase_matches([[0, 5], [6], [7]]) == [(5, 7)]
    assert phrase_matches([[0, 5], [7], [8]]) == []
    assert phrase_matches([[0], [3]], 3) == [(0, 3)] and phrase_matches([[0], [4]], 3) == []
    assert phrase_matches([[3], [0]], 5) == []  # in order only
    assert phrase_matches([[0, 1, 2], [1, 2, 3]]) == [(0, 1), (1, 2), (2, 3)]  # "sud sud sud sud": 3
    assert phrase_matches([[0], [1, 2], [4]], 2) == [(0, 4)]  # the nearest next word is not always the one


def test_document_analysis_gives_whooshs_items():
    schema = build_schema()
    analysis = DocumentAnalysis(schema)
    out = analysis({"id": "x", "body": HOSTILE * 3, "title": HOSTILE})
    for name in (POSITIONS_FIELD, "body", EXACT_FIELD):
        assert sorted(out[name]) == sorted(schema[name].index(HOSTILE * 3))
    assert sorted(out["title"]) == sorted(schema["title"].index(HOSTILE))


def test_document_analysis_keeps_each_positions_characters():
    analysis = DocumentAnalysis(build_schema())
    out = analysis({"id": "x", "body": HOSTILE})
    where = Offsets(out[OFFSETS_COLUMN])
    words = [(w.position, HOSTILE[w.start:w.end]) for w in analyse(HOSTILE)]
    assert len(where) == len(words) and words[0] == (0, "ÉTAT")
    for pos, text in words:
        start, end = where.span(pos)
        assert HOSTILE[start:end] == text


def test_positions_are_written_in_smaller_blocks(tmp_path, monkeypatch):
    from indexer.whooshdb import codec, store
    from tests.conftest import build_index
    from whoosh.codec.whoosh3 import W3LeafMatcher
    monkeypatch.setattr(codec, "BLOCK_LIMITS", {POSITIONS_FIELD: 2})
    docs = {f"d{n}.xml": dict(symbol=f"A/RES/78/{n}", title=f"Titre {n}", paragraphs=("Le droit des enfants.",))
            for n in range(1, 6)}
    ix = store.open_index(str(build_index(tmp_path, docs)))
    reader = ix.reader()

    def block_sizes(field):
        m = reader.postings(field, "droit")
        assert isinstance(m, W3LeafMatcher)
        sizes = []
        while m.is_active():
            sizes.append(m._blocklength)
            m._next_block()
        return sizes
    assert block_sizes(POSITIONS_FIELD) == [2, 2, 1] and block_sizes("body") == [5]
    assert [d for ids, _ in posting_blocks(reader, POSITIONS_FIELD, "droit") for d in ids] == [0, 1, 2, 3, 4]
    reader.close()
