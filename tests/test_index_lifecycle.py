"""The index over many syncs and rebuilds: its size, what `stats` and `index` say of it, its
permissions, Ctrl-C, and the numbering of its commits that searchers rely on."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import stat
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import indexer.sync as sync_module
from indexer import whooshdb as engine
from indexer.engine import load
from indexer.settings import ENGINES
from indexer.tantivydb import searching as tantivy_searching
from indexer.errors import IndexAccessError, IndexMissingError, SyncInterrupted
from indexer.location import META_NAME
from indexer.sync import sync
from search import Index
from search.cli import main
from tests.conftest import akn_xml
from tests.test_reliability_faults import Corpus, run_in_child, wait

SYLLABLES = ("ra", "to", "mi", "ne", "lu", "ca", "de", "po", "si", "ve", "ton", "mar", "gel", "bri", "sol")


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    return ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(size)]


def _write(root: Path, i: int, version: int, words: list[str], rng: random.Random) -> None:
    """A document of 300 words drawn with Zipf-like frequencies, as real text has them."""
    text = " ".join(words[min(int(rng.paretovariate(0.8)) - 1, len(words) - 1)] for _ in range(300))
    xml = akn_xml(f"A/RES/70/{i + 1}", title=f"Document {i} version {version}", paragraphs=(text,))
    (root / f"doc{i:03}.xml").write_text(xml, encoding="utf-8")


def _size(index_dir: Path) -> int:
    return sum(e.stat().st_size for e in os.scandir(index_dir) if e.is_file())


def _indexed(tmp_path: Path, size: int, written: int, word: str = "alpha") -> tuple[Corpus, Path]:
    """A corpus with room for `size` documents, `written` of them written and indexed."""
    corpus = Corpus(tmp_path / "corpus", size)
    for i in range(written):
        corpus.write(i, word)
    sync([corpus.root], str(tmp_path / "ix"))
    return corpus, tmp_path / "ix"


@pytest.fixture(params=ENGINES)
def engine_name(request, monkeypatch) -> str:
    """Each engine in turn builds the indexes of the test; searchers look for a new commit at every search."""
    monkeypatch.setenv("ONU_SEARCH_ENGINE", request.param)
    monkeypatch.setattr(engine.searching, "REFRESH_SECONDS", 0.0)
    monkeypatch.setattr(tantivy_searching, "REFRESH_SECONDS", 0.0)
    return request.param


def test_after_many_small_syncs_the_index_stays_near_the_size_of_a_fresh_build(tmp_path, monkeypatch):
    """Twelve syncs of five changed files each: once replaced files are gone (no grace here),
    the index is never more than 1.3x a fresh build of the same files (Whoosh's own merging
    left 1.5x), and searches still find every document."""
    monkeypatch.setattr(engine.store, "GRACE_SECONDS", 0.0)
    rng = random.Random(7)
    words = _vocabulary(rng, 4000)
    root = tmp_path / "corpus"
    root.mkdir()
    for i in range(80):
        _write(root, i, 0, words, rng)
    index_dir = tmp_path / "ix"
    sync([root], str(index_dir), workers=1)
    ratios = []
    for version in range(1, 13):
        for i in rng.sample(range(80), 5):
            _write(root, i, version, words, rng)
        sync([root], str(index_dir), workers=1)
        fresh = tmp_path / f"fresh{version}"
        sync([root], str(fresh), workers=1)
        ratios.append(round(_size(index_dir) / _size(fresh), 2))
    assert max(ratios) <= 1.3, ratios
    with Index(index_dir) as ix:
        assert ix.search("", limit=0).total == 80
        assert ix.search('"version 12"', limit=100).total == 5


def test_stats_says_how_much_is_waiting_for_removal(tmp_path):
    corpus, index_dir = _indexed(tmp_path, 12, 10)
    with Index(index_dir) as ix:
        first = ix.stats().pending_bytes  # the empty index's table of contents, replaced by the first commit
    for i in range(10):
        corpus.write(i, "bravo")
    sync([corpus.root], str(index_dir))
    pending = json.loads((index_dir / engine.store.PENDING_NAME).read_text("utf-8"))
    assert pending, "a sync that rewrote every document leaves the old files for the searches reading them"
    with Index(index_dir) as ix:
        stats = ix.stats()
    expected = sum((index_dir / name).stat().st_size for name in pending if (index_dir / name).exists())
    assert stats.pending_bytes == expected > first + 10_000
    shown = CliRunner().invoke(main, ["stats", "--index", str(index_dir)])
    assert shown.exit_code == 0 and "left by replaced commits" in shown.output


def test_a_rebuild_numbers_its_commits_after_the_index_it_replaces(engine_name, tmp_path):
    """A searcher tells a newer index by a higher commit number; a rebuild that started again
    from 0 looked older than the index it replaced, and searchers kept the deleted documents."""
    corpus = Corpus(tmp_path / "corpus", 5)
    for i in range(3):
        corpus.write(i, "alpha")
        sync([corpus.root], str(tmp_path / "ix"))
    chosen = load(engine_name)
    before = chosen.version(chosen.open_index(str(tmp_path / "ix")))
    sync([corpus.root], str(tmp_path / "ix"), rebuild=True)
    assert chosen.version(chosen.open_index(str(tmp_path / "ix"))) > before


def test_a_long_lived_index_sees_a_rebuild_by_another_process(engine_name, tmp_path):
    corpus, index_dir = _indexed(tmp_path, 10, 8)
    with Index(index_dir) as ix:
        assert ix.search("alpha").total == 8
        corpus.delete(0)
        corpus.write(8, "bravo")
        assert wait(run_in_child(sync, [corpus.root], str(index_dir), rebuild=True)) == 0
        assert ix.search("alpha").total == 7
        assert ix.search("bravo").total == 1
        assert sum(ix.search("", facets=["year"]).facets["year"].values()) == 8


def test_an_index_older_than_what_the_last_sync_wrote_is_reported(tmp_path):
    """Deleting the newest table of contents rolls the index back a commit; `onu index` says so."""
    corpus = Corpus(tmp_path / "corpus", 5)
    index_dir = tmp_path / "ix"
    for i in range(3):
        corpus.write(i, "alpha")
        sync([corpus.root], str(index_dir))
    newest = max(index_dir.glob("_MAIN_*.toc"), key=lambda p: int(p.stem.split("_")[-1]))
    newest.unlink()
    result = CliRunner().invoke(main, ["index", "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    assert "warning: the index is older than what the last sync wrote" in result.output
    report = sync([corpus.root], str(index_dir))
    assert report.notes == [] and report.documents == 3  # brought up to date, and said once


def test_index_files_follow_the_users_umask(tmp_path):
    corpus = Corpus(tmp_path / "corpus", 2)
    corpus.write(0, "alpha")
    old = os.umask(0o022)
    try:
        sync([corpus.root], str(tmp_path / "ix"))
    finally:
        os.umask(old)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "ix").iterdir() if p.is_file()}
    assert modes[META_NAME] == 0o644, modes
    assert all(mode & 0o644 == 0o644 and not mode & 0o022 for mode in modes.values()), modes


def test_an_index_this_user_may_not_read_says_so(tmp_path, monkeypatch):
    """Another user's private index: 'cannot read ... permission denied', not 'format 0, rebuild it'."""
    corpus = Corpus(tmp_path / "corpus", 2)
    corpus.write(0, "alpha")
    index_dir = tmp_path / "ix"
    sync([corpus.root], str(index_dir))
    real = Path.read_text

    def refused(path, *args, **kwargs):
        if path.name == META_NAME:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, *args, **kwargs)
    monkeypatch.setattr(Path, "read_text", refused)
    with pytest.raises(IndexAccessError, match="cannot read .*permission denied"):
        Index(index_dir).search("alpha")
    result = CliRunner().invoke(main, ["search", "alpha", "--index", str(index_dir)])
    assert result.exit_code == 1 and "cannot read" in result.output and "rebuild" not in result.output


def _interrupt_after(commits: int, monkeypatch) -> None:
    """Ctrl-C while the sync writes its commit number `commits` + 1."""
    real = engine.store.writing
    count = {"n": 0}

    def writing(*args, **kwargs):
        count["n"] += 1
        if count["n"] > commits:
            raise KeyboardInterrupt
        return real(*args, **kwargs)
    monkeypatch.setattr(engine, "writing", writing)


def test_ctrl_c_says_what_a_sync_had_committed(tmp_path, monkeypatch):
    corpus = Corpus(tmp_path / "corpus", 12)
    for i in range(12):
        corpus.write(i, "alpha")
    monkeypatch.setattr(sync_module, "BATCH", 4)
    _interrupt_after(2, monkeypatch)
    index_dir = tmp_path / "ix"
    with pytest.raises(SyncInterrupted) as caught:
        sync([corpus.root], str(index_dir))
    assert caught.value.message.startswith("interrupted; 8 changes had been committed and stay in the index")
    monkeypatch.undo()
    assert Index(index_dir).search("", limit=0).total == 8
    report = sync(None, str(index_dir))  # the folder was remembered: `onu index` alone finishes
    assert report.documents == 12 and len(report.added) == 4


def test_ctrl_c_before_any_commit_and_during_a_rebuild_leave_the_index_as_it_was(tmp_path, monkeypatch):
    corpus, index_dir = _indexed(tmp_path, 6, 6)
    corpus.write(0, "bravo")
    _interrupt_after(0, monkeypatch)
    with pytest.raises(SyncInterrupted, match="before anything was written; the index is as it was"):
        sync([corpus.root], str(index_dir))
    with pytest.raises(SyncInterrupted, match="rebuild was abandoned, and the index is as it was"):
        sync([corpus.root], str(index_dir), rebuild=True)
    monkeypatch.undo()
    assert not Path(f"{index_dir}.new").exists()
    assert Index(index_dir).search("alpha").total == 6


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork() to kill a real sync process")
def test_a_sync_killed_alone_leaves_no_reader_process_holding_its_lock(engine_name, tmp_path):
    """kill -9 of the sync only (the OOM killer does that): its reader processes stop soon,
    and the next sync gets the lock instead of waiting for ever."""
    corpus = Corpus(tmp_path / "corpus", 80)
    for i in range(80):
        corpus.write(i, "alpha")
    index_dir = tmp_path / "ix"
    pid = run_in_child(sync, [corpus.root], str(index_dir), workers=2)
    deadline = time.monotonic() + 20
    while not list(Path(tmp_path).glob("ix.lock")) and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.3)  # the reader processes are started
    os.kill(pid, signal.SIGKILL)
    wait(pid)
    report = sync([corpus.root], str(index_dir), lock_timeout=5)
    assert report.documents == 80


def _first_build(root: Path, index_dir: str) -> None:
    sync_module.BATCH = 10  # many commits, the first of them while searches already run
    sync([root], index_dir, workers=1)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork() for a building process")
def test_searches_during_a_first_build_never_fail(engine_name, tmp_path):
    """From the empty index a first build starts with to its last commit, every search answers:
    a word query on an index of no documents once took log(0) for its closeness bonus."""
    corpus = Corpus(tmp_path / "corpus", 60)
    for i in range(60):
        corpus.write(i, "alpha")
    index_dir = str(tmp_path / "ix")
    errors: list[str] = []
    child = run_in_child(_first_build, corpus.root, index_dir)
    deadline = time.monotonic() + 60
    with Index(index_dir) as shared:
        while time.monotonic() < deadline:
            for query in ("alpha", "alpha commun", '"alpha commun"', "alp*"):
                try:
                    shared.search(query, facets=["year"])
                except Exception as exc:  # noqa: BLE001 - collected, reported below
                    if "no index" not in str(exc):
                        errors.append(f"{type(exc).__name__}: {exc}")
            if os.waitpid(child, os.WNOHANG) != (0, 0):
                break
        else:
            wait(child)
    assert not errors, sorted(set(errors))
    assert Index(index_dir).search("alpha").total == 60


def test_a_long_lived_index_recovers_when_its_index_is_deleted_then_built_again(engine_name, tmp_path):
    """While the folder is away, searches say there is no index; once it is built again, they
    answer. A searcher closed on the way was once kept, and every search failed until restart."""
    corpus, index_dir = _indexed(tmp_path, 4, 3)
    with Index(index_dir) as ix:
        assert ix.search("alpha").total == 3
        shutil.rmtree(index_dir)
        for _ in range(3):
            with pytest.raises(IndexMissingError):
                ix.search("alpha")
        sync([corpus.root], str(index_dir))
        assert ix.search("alpha").total == 3
        assert ix.stats().documents == 3
