"""The Tantivy engine: chosen per index, damage reported as damage, the extra named when missing.

What queries mean on it is tests/test_differential.py's (both engines against the
reference); kills, two writers and rebuilds beside long-lived searchers are
tests/test_reliability_faults.py's, which run on both engines.
"""

from __future__ import annotations

import builtins
import json
import os
import random
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import indexer.engine as engine_module
from indexer.engine import engine_of, load
from indexer.location import META_NAME
from indexer.tantivydb import store, wordmap
from search import EngineMissingError, Index, IndexDamagedError, UnknownEngineError
from search.cli import main
from tests.conftest import akn_xml

DOCS = {
    "a.xml": dict(symbol="A/RES/78/1", title="La paix et la sécurité", paragraphs=("Le Conseil de sécurité décide.",)),
    "b.xml": dict(symbol="A/RES/78/2", title="Droits de l’enfant", paragraphs=("Les droits de l’enfant.", "La paix.")),
    "c.xml": dict(symbol="A/RES/78/3", title="Traité", paragraphs=("Le traité sur la paix durable.",)),
}


def write_corpus(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, kwargs in DOCS.items():
        (root / name).write_text(akn_xml(**kwargs), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    """A corpus and its Tantivy index (built once; tests copy it before damaging it)."""
    base = tmp_path_factory.mktemp("tantivy")
    corpus = write_corpus(base / "corpus")
    result = CliRunner().invoke(main, ["index", "-q", "--engine", "tantivy", "--index", str(base / "ix"), str(corpus)])
    assert result.exit_code == 0, result.output
    return corpus, base / "ix"


def answers(index_dir: Path) -> dict:
    """What the calls users make return (each in its own Index, as a new process would)."""
    with Index(index_dir) as ix:
        return {"search": [h.id for h in ix.search("paix")],
                "phrase": [(h.id, [s.marked() for s in h.snippets]) for h in ix.search('"conseil de sécurité"')],
                "facets": ix.search("paix", facets=["session", "organ"]).facets,
                "get": ix.get("A/RES/78/3").title,
                "stats": ix.stats().documents}


def test_the_index_says_its_engine_and_every_command_follows_it(built):
    corpus, index_dir = built
    meta = json.loads((index_dir / META_NAME).read_text())
    assert meta["engine"] == "tantivy" and engine_of(str(index_dir)) == "tantivy"
    found = answers(index_dir)
    assert sorted(found["search"]) == ["A/RES/78/1", "A/RES/78/2", "A/RES/78/3"]
    assert found["phrase"] == [("A/RES/78/1", ["1. Le [Conseil de sécurité] décide."])]
    assert found["get"] == "Traité" and found["stats"] == 3
    runner = CliRunner()
    out = runner.invoke(main, ["search", "traite", "--index", str(index_dir), "--json"])
    assert out.exit_code == 0 and json.loads(out.output)["total"] == 1
    stats = runner.invoke(main, ["stats", "--index", str(index_dir)])
    assert stats.exit_code == 0 and "3" in stats.output


def test_naming_another_engine_rebuilds_the_index_with_it(tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    index_dir = tmp_path / "ix"
    with Index(index_dir) as ix:
        ix.sync([corpus])
        assert engine_of(str(index_dir)) == "whoosh"
        before = sorted(h.id for h in ix.search("paix"))
        report = ix.sync(engine="tantivy")  # the remembered folders, rebuilt with Tantivy
        assert any("rebuilt with tantivy" in note for note in report.notes)
        assert engine_of(str(index_dir)) == "tantivy"
        assert sorted(h.id for h in ix.search("paix")) == before
        ix.sync()  # later syncs keep the engine of the index
        assert engine_of(str(index_dir)) == "tantivy"
    assert not Path(f"{index_dir}.new").exists()


def test_switching_engines_with_one_folder_named_keeps_the_other_folders(tmp_path):
    """A change of engine rebuilds every folder of the index, not only the one named with it."""
    first, second = write_corpus(tmp_path / "first"), tmp_path / "second"
    second.mkdir()
    (second / "d.xml").write_text(akn_xml(symbol="A/RES/78/4", title="Océans", paragraphs=("La mer.",)),
                                  encoding="utf-8")
    with Index(tmp_path / "ix") as ix:
        ix.sync([first], engine="tantivy")
        ix.sync([second])
        assert ix.stats().documents == 4
        report = ix.sync([second], engine="whoosh")
        assert engine_of(str(tmp_path / "ix")) == "whoosh" and ix.stats().documents == 4, report.summary()
        assert ix.sync().changed is False  # both folders are remembered


def test_a_tantivy_index_whose_meta_file_is_gone_is_rebuilt_with_tantivy(built, tmp_path):
    corpus, index_dir = built
    copy = tmp_path / "copy"
    shutil.copytree(index_dir, copy)
    (copy / "meta.json").unlink()
    result = CliRunner().invoke(main, ["index", "-q", "--rebuild", "--index", str(copy), str(corpus)])
    assert result.exit_code == 0, result.output
    assert engine_of(str(copy)) == "tantivy" and answers(copy) == answers(index_dir)


@pytest.fixture
def mid_rebuild(built, tmp_path, monkeypatch) -> Path:
    """A Tantivy index, and a rebuild of it ready beside it (`ix.new`), to be renamed into place
    while a reader looks; the default engine is Whoosh, so taking the default is seen."""
    _, index_dir = built
    copy = tmp_path / "ix"
    shutil.copytree(index_dir, copy)
    shutil.copytree(index_dir, f"{copy}.new")
    monkeypatch.setenv("ONU_SEARCH_ENGINE", "whoosh")
    return copy


def test_the_engine_of_an_index_renamed_away_by_a_rebuild_while_it_is_told_is_the_new_one(mid_rebuild, monkeypatch):
    """A reader tells the engine from the folder it located; a rebuild renames that folder away
    meanwhile: the engine is told from the folder the index went to, not the default one."""
    copy = mid_rebuild
    real, calls = engine_module._engine_in, []

    def engine_in(folder):
        calls.append(folder)
        if len(calls) == 1:
            os.rename(copy, f"{copy}.old")
        return real(folder)
    monkeypatch.setattr(engine_module, "_engine_in", engine_in)
    assert engine_of(str(copy)) == "tantivy"
    assert calls == [str(copy), f"{copy}.new"]


def test_the_engine_of_an_index_swapped_whole_while_it_is_told_is_the_new_ones(mid_rebuild, monkeypatch):
    """A rebuild makes both its renames while a reader looks at the index folder: the reader found
    no index there, but one is there now, so it looks again rather than take the default engine."""
    copy = mid_rebuild
    real, calls = engine_module._engine_in, []

    def engine_in(folder):
        calls.append(folder)
        if len(calls) > 1:
            return real(folder)
        os.rename(copy, f"{copy}.old")
        found = real(folder)
        os.rename(f"{copy}.new", copy)
        return found
    monkeypatch.setattr(engine_module, "_engine_in", engine_in)
    assert engine_of(str(copy)) == "tantivy"
    assert calls[0] == str(copy) and len(calls) > 1


def test_the_engine_of_an_index_swapped_whole_while_its_metadata_is_read_is_the_new_ones(mid_rebuild, monkeypatch):
    """A rebuild makes both its renames while a reader reads the index's metadata file: the reader
    found no file, and must not take the default engine when the file is there again a moment later."""
    copy = mid_rebuild
    real, swapped = Path.read_text, []

    def read_text(self, *args, **kwargs):
        if self != copy / META_NAME or swapped:
            return real(self, *args, **kwargs)
        swapped.append(self)
        os.rename(copy, f"{copy}.old")
        try:
            return real(self, *args, **kwargs)
        finally:
            os.rename(f"{copy}.new", copy)
    monkeypatch.setattr(Path, "read_text", read_text)
    assert engine_of(str(copy)) == "tantivy" and swapped


def test_a_search_on_a_new_index_renamed_into_place_just_after_it_was_opened_reads_it_there(built, tmp_path,
                                                                                             monkeypatch):
    """A search opens the new index of a rebuild between its two renames (`ix.new`); the rebuild
    renames it into place before the search reads it: the search opens it again there, never "damaged"."""
    corpus, index_dir = built
    copy = tmp_path / "ix"
    shutil.copytree(index_dir, f"{copy}.old")
    shutil.copytree(index_dir, f"{copy}.new")
    real, folders = store.TantivyIndex.searcher, []

    def searcher(self):
        folders.append(self.folder)
        if len(folders) == 1:
            os.rename(f"{copy}.new", copy)
        return real(self)
    monkeypatch.setattr(store.TantivyIndex, "searcher", searcher)
    with Index(copy) as ix:
        assert ix.search("").total == ix.stats().documents > 0
    assert folders[:2] == [f"{copy}.new", str(copy)]


def test_adding_changing_and_removing_files_on_tantivy(tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    with Index(tmp_path / "ix") as ix:
        ix.sync([corpus], engine="tantivy")
        (corpus / "d.xml").write_text(akn_xml(symbol="A/RES/78/4", title="Océans", paragraphs=("La mer.",)),
                                      encoding="utf-8")
        (corpus / "a.xml").write_text(akn_xml(symbol="A/RES/78/1", title="Désarmement", paragraphs=("Rien.",)),
                                      encoding="utf-8")
        os.unlink(corpus / "c.xml")
        report = ix.sync()
        assert (len(report.added), len(report.updated), len(report.removed)) == (1, 1, 1)
        assert [h.id for h in ix.search("mer")] == ["A/RES/78/4"]
        assert ix.search("traité").total == 0 and ix.search("désarmement").total == 1
        assert ix.stats().documents == 3
        assert ix.sync().changed is False


def test_a_missing_extra_is_named(tmp_path, monkeypatch):
    real_import = builtins.__import__

    def no_tantivy(name, *args, **kwargs):
        if name == "tantivy" or name.startswith("tantivy."):
            raise ImportError("No module named 'tantivy'", name="tantivy")
        return real_import(name, *args, **kwargs)

    for module in [m for m in list(sys.modules) if m.startswith(("tantivy", "indexer.tantivydb"))]:
        monkeypatch.delitem(sys.modules, module)
    monkeypatch.setattr(builtins, "__import__", no_tantivy)
    with pytest.raises(EngineMissingError, match=r"pip install 'onu-search\[tantivy\]'"):
        load("tantivy")
    result = CliRunner().invoke(main, ["index", "--engine", "tantivy", "--index", str(tmp_path / "ix"),
                                       str(write_corpus(tmp_path / "corpus"))])
    assert result.exit_code == 1 and "onu-search[tantivy]" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "ix").exists() or not any((tmp_path / "ix").iterdir())


def test_an_unknown_engine_is_refused():
    with pytest.raises(UnknownEngineError, match="whoosh, tantivy"):
        load("lucene")
    result = CliRunner().invoke(main, ["index", "--engine", "lucene", "x"])
    assert result.exit_code == 2 and "lucene" in result.output


def _flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    rng = random.Random(7)
    for _ in range(max(1, len(data) // 50) if data else 0):
        data[rng.randrange(len(data))] ^= 0xFF
    path.write_bytes(bytes(data))


DAMAGE = {
    "deleted": lambda p: p.unlink(),
    "cut in half": lambda p: p.write_bytes(p.read_bytes()[:p.stat().st_size // 2]),
    "emptied": lambda p: p.write_bytes(b""),
    "garbage": lambda p: p.write_bytes(random.Random(3).randbytes(max(16, p.stat().st_size))),
    "bytes flipped": _flip,
}


def test_every_file_damaged_every_way_is_the_old_answer_or_damage_then_a_rebuild_mends_it(built, tmp_path):
    """Each file of the index, damaged five ways: every call gives the answer of the intact index,
    or says the index is damaged (how to rebuild), never anything else; the rebuild then works."""
    corpus, index_dir = built
    intact = answers(index_dir)
    outcomes = {"same": 0, "damaged": 0}
    for name in sorted(p.name for p in index_dir.iterdir() if p.is_file()):
        for how, damage in DAMAGE.items():
            copy = tmp_path / f"{name}-{how}"
            shutil.copytree(index_dir, copy)
            damage(copy / name)
            try:
                got = answers(copy)
            except IndexDamagedError as exc:
                assert "onu index --rebuild" in str(exc) and "\n" not in str(exc), (name, how, exc)
                outcomes["damaged"] += 1
            else:
                assert got == intact, (name, how)
                outcomes["same"] += 1
            result = CliRunner().invoke(main, ["search", "paix", "--index", str(copy)])
            assert result.exit_code in (0, 1) and "Traceback" not in result.output, (name, how, result.output)
            rebuilt = CliRunner().invoke(main, ["index", "-q", "--rebuild", "--index", str(copy), str(corpus)])
            assert rebuilt.exit_code == 0, (name, how, rebuilt.output)
            assert answers(copy) == intact, (name, how)
    assert outcomes["damaged"] > 40, outcomes  # the segment files, Tantivy's meta.json, ours


def test_a_segment_file_rewritten_with_other_bytes_of_the_same_size_is_damage_not_a_crash(built, tmp_path):
    """Bytes flipped in the document store can make Tantivy read a length of exabytes and abort the
    whole process: the file's changed time sends its checksum to be checked first, and the index is
    reported damaged in one line. A copy whose files got new times but kept their bytes reads as before."""
    _, index_dir = built
    store_file = next(p.name for p in index_dir.iterdir() if p.suffix == ".store")
    damaged, touched = tmp_path / "damaged", tmp_path / "touched"
    for copy in (damaged, touched):
        shutil.copytree(index_dir, copy)
    data = bytearray((damaged / store_file).read_bytes())
    data[len(data) // 3] ^= 0xFF
    (damaged / store_file).write_bytes(bytes(data))
    with pytest.raises(IndexDamagedError, match=f"{store_file} was changed since it was written"):
        answers(damaged)
    for path in touched.iterdir():
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000_000))
    assert answers(touched) == answers(index_dir)


@pytest.mark.parametrize("last", [10, 70_000])
@pytest.mark.parametrize("far", [700, 70_000])
@pytest.mark.parametrize("longest", [5, 255, 300])
def test_the_word_map_gives_back_positions_and_characters(last, far, longest):
    """Positions take 2 bytes below 65,536 words and 4 beyond, starts 2 bytes below 65,536
    characters and 4 beyond, lengths 1 byte up to 255 characters and 2 beyond; keys are found
    in any bucket, and without characters when asked for positions only."""
    body = {f"mot{i}": ([i, last + i], [i * 7, i * 7 + 3, far + i * 9, far + i * 9 + longest]) for i in range(40)}
    short = {f"title:mot{i}": [i] for i in range(9)}
    packed = wordmap.pack(body, short)
    found = wordmap.read(packed, [*body, *short, "absent"], chars=set(body))
    assert set(found) == set(body) | set(short)
    for k, (positions, chars) in body.items():
        assert list(found[k][0]) == positions and found[k][1] == list(zip(chars[::2], chars[1::2]))
    assert [list(found[k][0]) for k in short] == list(short.values()) and found["title:mot0"][1] == []
    positions_only = wordmap.read(packed, body)
    assert {k: (list(p), c) for k, (p, c) in positions_only.items()} == {k: (p, []) for k, (p, _) in body.items()}

