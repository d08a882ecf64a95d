"""Reliability: crashes, concurrent use, full disks and damaged indexes lose nothing.

A sync killed with SIGKILL at random points leaves every document in its old
or its new state; two syncs at once never corrupt the index; a full disk or a
read-only folder gives IndexWriteError and leaves the previous index
searchable; a damaged index says to run `onu index --rebuild`, which works;
threads searching while another process syncs see the old or the new index.
"""

from __future__ import annotations

import builtins
import errno
import gc
import json
import os
import random
import signal
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from whoosh.filedb.filestore import FileStorage

import indexer.sync as sync_module
from indexer import whooshdb as engine
from indexer.engine import engine_of, load
from indexer.location import replace
from indexer.settings import ENGINES
from indexer.sync import sync
from indexer.errors import SyncInterrupted
from search import Index, IndexDamagedError, IndexLockedError, IndexWriteError
from search.cli import main
from tests.conftest import akn_xml

WORDS = ("alpha bravo charlie delta echo foxtrot golf hotel india juliett kilo lima mike november oscar papa "
         "quebec romeo sierra tango uniform victor whiskey xray yankee zulu").split()


class Corpus:
    """Generated documents whose every version is known: path -> (word of the version, fingerprint)."""

    def __init__(self, root: Path, size: int, session: int = 70) -> None:
        self.root = root
        self.size = size
        self.session = session
        self.files: dict[str, tuple[str, str]] = {}
        self.tick = 0
        root.mkdir(parents=True, exist_ok=True)

    def path(self, i: int) -> str:
        return str(self.root / f"doc{i:03}.xml")

    def write(self, i: int, word: str) -> None:
        path = self.path(i)
        xml = akn_xml(f"A/RES/{self.session}/{i + 1}", title=f"Document {i}", date=f"2023-01-{i % 28 + 1:02}",
                      paragraphs=(f"{word} commun numero{i}",))
        Path(path).write_text(xml, encoding="utf-8")
        self.tick += 1  # distinct modification times, so every version has its own fingerprint
        os.utime(path, ns=(1_700_000_000_000_000_000 + self.tick * 1_000_000,) * 2)
        self.files[path] = (word, sync_module.fingerprint(path))

    def delete(self, i: int) -> None:
        os.unlink(self.path(i))
        del self.files[self.path(i)]

    def snapshot(self) -> dict[str, tuple[str, str]]:
        return dict(self.files)


def index_state(index_dir) -> dict[str, tuple[str, str]]:
    """path -> (word of the stored version, fingerprint), checked three ways against each other."""
    chosen = load(engine_of(str(index_dir)))
    entries = chosen.manifest(chosen.open_index(str(index_dir)))
    state: dict[str, tuple[str, str]] = {}
    with Index(index_dir) as index:
        for path, entry in entries.items():
            record = index.get(entry.id)
            assert record.path == path
            words = [w for w in WORDS if f"{w} commun" in record.body]
            assert len(words) == 1, record.body
            state[path] = (words[0], entry.fingerprint)
        assert index.search("", limit=1000).total == len(entries)
        for word in {w for w, _ in state.values()}:  # the postings agree with the stored records
            found = {h.path for h in index.search(f'"{word} commun"', limit=1000)}
            assert found == {p for p, (w, _) in state.items() if w == word}, word
    return state


@pytest.fixture(params=ENGINES)
def engine_name(request, monkeypatch) -> str:
    """Each engine in turn builds the indexes of the test (new indexes take $ONU_SEARCH_ENGINE)."""
    monkeypatch.setenv("ONU_SEARCH_ENGINE", request.param)
    return request.param


def run_in_child(func, *args, **kwargs) -> int:
    """Fork a process (and process group) that runs func(*args, **kwargs), then exits; return its pid."""
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        code = 0
        try:
            os.setpgid(0, 0)
            signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal, even if the runner ignores it
            func(*args, **kwargs)
        except IndexLockedError:
            code = 3
        except SyncInterrupted:
            code = 130
        except BaseException:
            code = 1
        os._exit(code)
    return pid


def wait(pid: int) -> int:
    """The child's exit code, or minus the signal that killed it."""
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def _small_batches_sync(roots, index_dir, batch):
    sync_module.BATCH = batch  # many commits in one run: more points for a kill to fall between
    sync(roots, index_dir, lock_timeout=30)


# -- SIGKILL at random points -----------------------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork() to kill a real sync process")
def test_a_sync_killed_or_interrupted_at_random_points_loses_nothing(engine_name, tmp_path):
    rng = random.Random(20240315)
    corpus = Corpus(tmp_path / "corpus", 60)
    index_dir = tmp_path / "ix"
    for i in range(55):
        corpus.write(i, WORDS[0])
    sync([corpus.root], str(index_dir))
    assert index_state(index_dir) == corpus.snapshot()

    def mutate(trial: int) -> None:
        present = [i for i in range(corpus.size) if corpus.path(i) in corpus.files]
        for i in rng.sample(present, 15):
            corpus.write(i, WORDS[(trial + 1) % len(WORDS)])
        for i in rng.sample([i for i in present if corpus.files.get(corpus.path(i))], 2):
            corpus.delete(i)
        for i in rng.sample([i for i in range(corpus.size) if corpus.path(i) not in corpus.files], 2):
            corpus.write(i, WORDS[(trial + 1) % len(WORDS)])

    # How long an uninterrupted run takes, to spread the kills over it.
    mutate(0)
    started = time.monotonic()
    assert wait(run_in_child(_small_batches_sync, [corpus.root], str(index_dir), 4)) == 0
    duration = time.monotonic() - started
    assert index_state(index_dir) == corpus.snapshot()

    outcomes, stages = [], []
    deadline = time.monotonic() + 45
    for trial in range(1, 21):
        before = corpus.snapshot()
        mutate(trial)
        after = corpus.snapshot()
        if rng.random() < 0.2:  # a rebuild, written beside the index and swapped in when complete
            pid = run_in_child(sync, [corpus.root], str(index_dir), rebuild=True)
        else:
            pid = run_in_child(_small_batches_sync, [corpus.root], str(index_dir), rng.choice([1, 3, 7, 600]))
        time.sleep(rng.uniform(0, duration * 1.2))
        # A crash of the sync alone (its reader processes must not outlive it holding the lock),
        # or Ctrl-C, which a terminal sends to the whole process group.
        kill = rng.choice([lambda: os.kill(pid, signal.SIGKILL), lambda: os.killpg(pid, signal.SIGINT)])
        try:
            kill()
        except ProcessLookupError:
            pass
        outcomes.append(wait(pid))
        if outcomes[-1] == 130:  # stopped by Ctrl-C: an abandoned rebuild leaves nothing behind
            assert not os.path.exists(f"{index_dir}.new"), trial
        state = index_state(index_dir)  # the index opens, and reads consistently
        for path in set(before) | set(after):
            assert state.get(path) in (before.get(path), after.get(path)), (trial, path, state.get(path))
        changed = [p for p in set(before) | set(after) if before.get(p) != after.get(p)]
        done = sum(state.get(p) == after.get(p) for p in changed)
        stages.append("old" if done == 0 else "new" if done == len(changed) else "mixed")
        report = sync([corpus.root], str(index_dir))  # the next sync finishes the work
        assert report.documents == len(after)
        assert index_state(index_dir) == after, trial
        assert time.monotonic() < deadline, f"too slow: {trial} trials"
    killed = sum(1 for code in outcomes if code == -signal.SIGKILL)
    interrupted = sum(1 for code in outcomes if code == 130)
    assert killed >= 3, f"only {killed} of {len(outcomes)} runs were killed before they ended: {outcomes}"
    assert interrupted >= 3, f"only {interrupted} of {len(outcomes)} runs were stopped by Ctrl-C: {outcomes}"
    assert len(set(stages)) >= 2, f"every kill fell at the same stage: {stages}"


def test_a_rebuild_that_dies_between_its_two_renames_leaves_an_index(engine_name, tmp_path, monkeypatch):
    """The swap of a rebuilt index is two renames; a crash between them must not lose the index."""
    corpus = Corpus(tmp_path / "corpus", 5)
    for i in range(5):
        corpus.write(i, "alpha")
    index_dir = tmp_path / "ix"
    sync([corpus.root], str(index_dir))
    real_rename, calls = os.rename, []

    def rename(src, dst):
        if os.path.dirname(dst) != str(tmp_path):  # Whoosh's own renames, inside the index folders
            return real_rename(src, dst)
        calls.append(dst)
        if len(calls) == 2:
            raise SystemExit("killed")  # stands for the SIGKILL that can fall between the renames
        real_rename(src, dst)
    monkeypatch.setattr(sync_module.os, "rename", rename)
    with pytest.raises(SystemExit):
        sync([corpus.root], str(index_dir), rebuild=True)
    monkeypatch.undo()
    assert calls == [str(index_dir) + ".old", str(index_dir)]
    assert index_state(index_dir) == corpus.snapshot()  # the old index, or the new: the same documents


def _index_and_its_rebuild(tmp_path: Path) -> Path:
    """An index of 5 documents (`ix`), and in `rebuilt` one of the same 5 and 2 more; the index's path."""
    corpus = Corpus(tmp_path / "corpus", 7)
    for i in range(5):
        corpus.write(i, "alpha")
    index_dir = tmp_path / "ix"
    sync([corpus.root], str(index_dir))
    for i in range(5, 7):
        corpus.write(i, "alpha")
    sync([corpus.root], str(tmp_path / "rebuilt"))
    return index_dir


def test_an_index_renamed_away_by_a_rebuild_just_after_it_was_located_is_read_where_it_went(
        engine_name, tmp_path, monkeypatch):
    """A reader locates the index, then a rebuild renames that folder away (the first of its two
    renames) before the reader opens it: the reader finds the new index, never "no index"."""
    index_dir = _index_and_its_rebuild(tmp_path)
    os.rename(tmp_path / "rebuilt", f"{index_dir}.new")
    store = load(engine_name).store
    real_exists, renamed = store.exists, []

    def exists(folder):
        if not renamed:
            renamed.append(folder)
            os.rename(index_dir, f"{index_dir}.old")
        return real_exists(folder)
    monkeypatch.setattr(store, "exists", exists)
    with Index(index_dir) as ix:
        assert ix.search("").total == 7
    assert renamed == [str(index_dir)]


def test_the_size_of_an_index_counted_while_a_rebuild_swaps_it_in_is_that_of_the_new_one(
        engine_name, tmp_path, monkeypatch):
    """`stats` lists the index folder just as a rebuild renames it away and deletes its files: the
    listing comes back empty, and the files are counted again in the new folder, not as 0 bytes."""
    index_dir = _index_and_its_rebuild(tmp_path)
    os.rename(tmp_path / "rebuilt", f"{index_dir}.new")
    real, swapped = os.scandir, []

    def scandir(path="."):
        listing = real(path)
        if path == str(index_dir) and not swapped:
            swapped.append(path)
            replace(str(index_dir), f"{index_dir}.new")  # both renames, then the old folder deleted
        return listing
    with Index(index_dir) as ix:
        monkeypatch.setattr(os, "scandir", scandir)
        size = ix.stats().size_bytes
    assert swapped and size == sum(p.stat().st_size for p in index_dir.iterdir() if p.is_file())


# The function each engine opens the located folder with, which the test below runs a rename before.
_OPENS = {"whoosh": "open_dir", "tantivy": "check_sizes"}


def test_a_new_index_renamed_into_place_just_after_it_was_located_is_read_where_it_went(
        engine_name, tmp_path, monkeypatch):
    """A reader finds a rebuild between its two renames and locates the new index (`ix.new`); the
    rebuild renames it into place before the reader opens it: the reader reads it there, never
    "damaged" (the same index under another name is a change, not a damaged file)."""
    index_dir = _index_and_its_rebuild(tmp_path)
    os.rename(index_dir, f"{index_dir}.old")
    os.rename(tmp_path / "rebuilt", f"{index_dir}.new")
    store = load(engine_name).store
    name = _OPENS[engine_name]
    real_open, opened = getattr(store, name), []

    def open_after_the_rename(folder, *args):
        if not opened:
            os.rename(f"{index_dir}.new", index_dir)
        opened.append(str(folder))
        return real_open(folder, *args)
    monkeypatch.setattr(store, name, open_after_the_rename)
    with Index(index_dir) as ix:
        assert ix.search("").total == 7
    assert opened[:2] == [f"{index_dir}.new", str(index_dir)]


# -- two syncs at once --------------------------------------------------------------------------------

def _slow_sync(roots, index_dir, seconds, ready, lock_timeout=30.0, out=None):
    """A sync that holds the lock `seconds` longer (while it applies its plan), then writes when it ended.

    The file `ready` appears once it holds the lock.
    """
    real_apply = sync_module._apply

    def slow_apply(*args, **kwargs):
        Path(ready).touch()
        time.sleep(seconds)
        return real_apply(*args, **kwargs)
    sync_module._apply = slow_apply
    sync(roots, index_dir, lock_timeout=lock_timeout)
    if out:
        Path(out).write_text(str(time.time()))


def _wait_for(path: Path, timeout: float = 20.0) -> None:
    """Wait until a child process says it holds the sync lock."""
    end = time.monotonic() + timeout
    while not path.exists():
        assert time.monotonic() < end, f"{path} never appeared"
        time.sleep(0.01)


def _timed_sync(roots, index_dir, lock_timeout, out):
    sync(roots, index_dir, lock_timeout=lock_timeout)
    Path(out).write_text(str(time.time()))


@pytest.fixture
def changed_corpus(tmp_path):
    """A corpus of 30 documents indexed in one version, then 12 of them changed and 3 added."""
    corpus = Corpus(tmp_path / "corpus", 40)
    for i in range(30):
        corpus.write(i, "alpha")
    sync([corpus.root], str(tmp_path / "ix"))
    for i in range(12):
        corpus.write(i, "bravo")
    for i in range(30, 33):
        corpus.write(i, "bravo")
    return corpus, tmp_path / "ix"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork() for two real processes")
def test_two_syncs_at_once_one_waits_then_works(engine_name, changed_corpus, tmp_path):
    corpus, index_dir = changed_corpus
    first = run_in_child(_slow_sync, [corpus.root], str(index_dir), 1.0, tmp_path / "ready", out=tmp_path / "first")
    _wait_for(tmp_path / "ready")
    started = time.time()
    second = run_in_child(_timed_sync, [corpus.root], str(index_dir), 30.0, tmp_path / "second")
    assert wait(first) == 0 and wait(second) == 0
    first_end, second_end = (float((tmp_path / n).read_text()) for n in ("first", "second"))
    assert second_end >= first_end and second_end - started >= 0.5  # the second waited for the first
    assert index_state(index_dir) == corpus.snapshot()
    again = sync([corpus.root], str(index_dir))
    assert again.unchanged == len(corpus.files) and not again.changed


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork() for two real processes")
def test_a_second_sync_that_waits_too_long_fails_clearly_and_changes_nothing(engine_name, changed_corpus, tmp_path):
    corpus, index_dir = changed_corpus
    old = index_state(index_dir)
    first = run_in_child(_slow_sync, [corpus.root], str(index_dir), 1.5, tmp_path / "ready")
    _wait_for(tmp_path / "ready")
    assert index_state(index_dir) == old  # the first holds the lock, and has not written yet
    result = CliRunner().invoke(main, ["index", str(corpus.root), "--index", str(index_dir), "--wait", "0.2"])
    assert result.exit_code != 0 and isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output
    assert lines[0] == (f"Error: the index is locked by another writer ({index_dir}.lock); "
                        f"waited 0.2 s, try again later")
    with pytest.raises(IndexLockedError, match="locked by another writer"):
        sync([corpus.root], str(index_dir), lock_timeout=0.1)
    assert wait(first) == 0
    assert index_state(index_dir) == corpus.snapshot()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork() for two real processes")
def test_two_syncs_of_different_folders_at_once_both_count(engine_name, tmp_path):
    index_dir = tmp_path / "ix"
    folders = {}
    for n, name in enumerate(("un", "deux", "trois")):
        folders[name] = Corpus(tmp_path / name, 3, session=71 + n)
        for i in range(3):
            folders[name].write(i, WORDS[n])
    sync([folders["un"].root], str(index_dir))
    first = run_in_child(_slow_sync, [folders["deux"].root], str(index_dir), 1.5, tmp_path / "ready")
    _wait_for(tmp_path / "ready")
    second = run_in_child(sync, [folders["trois"].root], str(index_dir), lock_timeout=30.0)
    assert wait(first) == 0 and wait(second) == 0
    assert len(index_state(index_dir)) == 9  # every document of the three folders is in
    roots = json.loads((index_dir / "onu-index.json").read_text())["roots"]
    assert sorted(roots) == sorted(str(f.root) for f in folders.values())  # `onu index` syncs all three


# -- a full disk, a read-only folder ------------------------------------------------------------------

def _enospc(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _fail_structfile_writes(monkeypatch, when):
    """Make Whoosh's file writes fail with ENOSPC when `when(file name, number of the write)` says so."""
    from whoosh.filedb import structfile

    real, count = structfile.StructFile.write, [0]

    def write(self, *args, **kwargs):
        count[0] += 1
        if when(str(self._name), count[0]):
            _enospc()
        return real(self, *args, **kwargs)
    monkeypatch.setattr(structfile.StructFile, "write", write)
    return count


def _fail_meta_write(monkeypatch):
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            _enospc()
    monkeypatch.setattr(os, "fdopen", lambda fd, mode="r", *a, **k: Full(real_fdopen(fd, mode, *a, **k))
                        if "w" in mode and not isinstance(fd, str) else real_fdopen(fd, mode, *a, **k))


FULL_DISK = {
    "opening the writer": lambda mp: _fail_structfile_writes(mp, lambda name, n: True),
    "commit: the table of contents": lambda mp: _fail_structfile_writes(mp, lambda name, n: ".toc" in name),
    "commit: segment files": lambda mp: _fail_structfile_writes(mp, lambda name, n: n > 400),
    "adding documents": lambda mp: _fail_structfile_writes(mp, lambda name, n: n > 40),
    "the metadata file": _fail_meta_write,
}
FULL_DISK_CASES = ["opening the writer", "commit: the table of contents", "commit: segment files",
                   "adding documents", "the metadata file"]


@pytest.mark.parametrize("where", FULL_DISK_CASES)
def test_a_full_disk_gives_index_write_error_and_the_index_stays_searchable(changed_corpus, monkeypatch, where):
    corpus, index_dir = changed_corpus
    old = index_state(index_dir)
    files_before = set(os.listdir(index_dir))
    FULL_DISK[where](monkeypatch)
    with pytest.raises(IndexWriteError) as caught:
        sync([corpus.root], str(index_dir))
    monkeypatch.undo()
    message = str(caught.value)
    del caught  # a kept error must not keep the index locked (see the test below); here it is dropped
    gc.collect()
    assert "could not write the index" in message and "previous index is intact" in message
    assert "disk full" in message or "No space left on device" in message
    state = index_state(index_dir)
    if where != "the metadata file":  # the documents were committed before the metadata failed
        assert state == old
    leftovers = {f for f in set(os.listdir(index_dir)) - files_before if f.startswith(".meta-")}
    assert not leftovers
    report = sync([corpus.root], str(index_dir))
    assert index_state(index_dir) == corpus.snapshot() and report.documents == len(corpus.files)


def test_a_failed_writer_opening_does_not_keep_the_index_locked(changed_corpus, monkeypatch):
    corpus, index_dir = changed_corpus
    _fail_structfile_writes(monkeypatch, lambda name, n: True)
    with pytest.raises(IndexWriteError) as caught:
        sync([corpus.root], str(index_dir))
    monkeypatch.undo()
    kept = caught.value  # as a long-running program keeps or logs it
    gc.collect()
    report = sync([corpus.root], str(index_dir), lock_timeout=0.5)
    assert report.documents == len(corpus.files) and kept


def test_cli_full_disk_is_one_line(changed_corpus, monkeypatch):
    corpus, index_dir = changed_corpus
    _fail_structfile_writes(monkeypatch, lambda name, n: ".toc" in name)
    result = CliRunner().invoke(main, ["index", str(corpus.root), "--index", str(index_dir)])
    monkeypatch.undo()
    assert result.exit_code != 0 and isinstance(result.exception, SystemExit)
    assert result.output.strip().splitlines() == [
        f"Error: could not write the index at {index_dir} (disk full); the previous index is intact"]


def _read_only(monkeypatch, folder: Path) -> None:
    """Refuse, as a read-only file system would, every opening for writing under `folder`.

    Tests run as root, for whom chmod does not stop writes; this is what the system would say.
    """
    prefix = str(folder)
    real_open, real_os_open = builtins.open, os.open

    def refuse(path):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.fsdecode(path))

    def fake_open(file, mode="r", *args, **kwargs):
        if isinstance(file, (str, bytes, os.PathLike)) and os.fsdecode(file).startswith(prefix) \
                and any(c in mode for c in "wax+"):
            refuse(file)
        return real_open(file, mode, *args, **kwargs)

    def fake_os_open(path, flags, *args, **kwargs):
        if os.fsdecode(path).startswith(prefix) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            refuse(path)
        return real_os_open(path, flags, *args, **kwargs)
    monkeypatch.setattr(builtins, "open", fake_open)
    monkeypatch.setattr(os, "open", fake_os_open)


def test_a_read_only_index_folder_gives_index_write_error_and_stays_searchable(changed_corpus, monkeypatch):
    corpus, index_dir = changed_corpus
    old = index_state(index_dir)
    _read_only(monkeypatch, index_dir)
    with pytest.raises(IndexWriteError, match="could not write the index at .*previous index is intact"):
        sync([corpus.root], str(index_dir))
    result = CliRunner().invoke(main, ["index", str(corpus.root), "--index", str(index_dir)])
    assert result.exit_code != 0 and isinstance(result.exception, SystemExit)
    assert result.output.strip().splitlines() == [
        f"Error: could not write the index at {index_dir} ({os.strerror(errno.EROFS)}); "
        f"the previous index is intact"]
    with Index(index_dir) as ix:  # searching needs no writing
        assert ix.search("alpha", limit=100).total == 30
    searched = CliRunner().invoke(main, ["search", "alpha", "--index", str(index_dir)])
    assert searched.exit_code == 0 and searched.output.startswith("30 documents")
    monkeypatch.undo()
    assert index_state(index_dir) == old
    sync([corpus.root], str(index_dir))
    assert index_state(index_dir) == corpus.snapshot()


def test_a_read_only_folder_for_a_new_index(tmp_path, monkeypatch):
    corpus = Corpus(tmp_path / "corpus", 2)
    corpus.write(0, "alpha")
    _read_only(monkeypatch, tmp_path / "ix")
    result = CliRunner().invoke(main, ["index", str(corpus.root), "--index", str(tmp_path / "ix")])
    assert result.exit_code != 0 and isinstance(result.exception, SystemExit), repr(result.exception)
    assert len(result.output.strip().splitlines()) == 1 and "could not write the index" in result.output


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root writes whatever the permissions; the simulated read-only tests cover it")
def test_a_read_only_index_folder_for_real(changed_corpus):
    corpus, index_dir = changed_corpus
    old = index_state(index_dir)
    index_dir.chmod(0o555)
    try:
        with pytest.raises(IndexWriteError):
            sync([corpus.root], str(index_dir))
        assert index_state(index_dir) == old
    finally:
        index_dir.chmod(0o755)


# -- an index damaged on disk, or written by another version -------------------------------------------

def _toc(index_dir: Path) -> Path:
    """The table of contents of the latest commit (those of earlier ones stay a while)."""
    return max(index_dir.glob("_MAIN_*.toc"), key=lambda p: int(p.stem.rsplit("_", 1)[1]))


def _garbage(path: Path) -> None:
    path.write_bytes(b"\x80\x04garbage" * 20)


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _flip_bytes(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for i in range(64, len(data), 5):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))


def _other_schema(index_dir: Path) -> None:
    """Replace the index by a Whoosh index of other fields, as another version could have written."""
    import whoosh.index
    from whoosh.fields import ID, TEXT, Schema

    meta = (index_dir / "onu-index.json").read_bytes()
    for path in index_dir.iterdir():
        path.unlink()
    ix = whoosh.index.create_in(str(index_dir), Schema(path=ID(stored=True), text=TEXT))
    with ix.writer() as writer:
        writer.add_document(path="/ailleurs.txt", text="alpha")
    (index_dir / "onu-index.json").write_bytes(meta)


def _segment_files(index_dir: Path) -> list[Path]:
    """The terms and postings files of every segment (segments are written as separate files)."""
    return [*index_dir.glob("*.trm"), *index_dir.glob("*.pst")]


def _set_format(index_dir: Path, value) -> None:
    meta = json.loads((index_dir / "onu-index.json").read_text())
    meta["format"] = value
    (index_dir / "onu-index.json").write_text(json.dumps(meta))


DAMAGE = {
    "format number changed": lambda d: _set_format(d, 99),
    "format number not a number": lambda d: _set_format(d, "deux"),
    "fields of another version": _other_schema,
    "table of contents garbage": lambda d: _garbage(_toc(d)),
    "table of contents truncated": lambda d: _truncate(_toc(d)),
    "table of contents empty": lambda d: _toc(d).write_bytes(b""),
    "segment file truncated": lambda d: [_truncate(p) for p in _segment_files(d)],
    "segment file garbled": lambda d: [_flip_bytes(p) for p in _segment_files(d)],
    "segment file deleted": lambda d: [p.unlink() for p in _segment_files(d)],
}
@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_index_says_to_rebuild_and_the_rebuild_works(changed_corpus, damage):
    corpus, index_dir = changed_corpus
    DAMAGE[damage](index_dir)
    outcomes = []
    started = time.monotonic()
    try:
        with Index(index_dir) as ix:
            ix.search("alpha")
    except IndexDamagedError as exc:
        outcomes.append(("library", time.monotonic() - started < 1.0, f"{time.monotonic() - started:.1f} s: {exc}"))
    except Exception as exc:  # noqa: BLE001 - what escaped is the finding
        outcomes.append(("library", False, repr(exc)))
    else:
        outcomes.append(("library", False, "no error"))
    searched = CliRunner().invoke(main, ["search", "alpha", "--index", str(index_dir)])
    lines = searched.output.strip().splitlines()
    outcomes.append(("cli", isinstance(searched.exception, SystemExit) and searched.exit_code != 0
                     and len(lines) == 1 and "onu index --rebuild" in lines[0], searched.output or
                     repr(searched.exception)))
    try:
        sync([corpus.root], str(index_dir))
    except IndexDamagedError as exc:
        outcomes.append(("sync", "onu index --rebuild" in str(exc), str(exc)))
    except Exception as exc:  # noqa: BLE001
        outcomes.append(("sync", False, repr(exc)))
    else:
        outcomes.append(("sync", True, "repaired by a plain sync"))
    rebuilt = CliRunner().invoke(main, ["index", "--rebuild", "--index", str(index_dir)])
    outcomes.append(("rebuild", rebuilt.exit_code == 0, rebuilt.output or repr(rebuilt.exception)))
    failed = [o for o in outcomes if not o[1]]
    assert not failed, failed
    assert "onu index --rebuild" in outcomes[0][2]
    assert index_state(index_dir) == corpus.snapshot()
    with Index(index_dir) as ix:
        assert ix.search("bravo", limit=100).total == 15


@pytest.mark.parametrize("rebuild", [False, True], ids=["a commit", "a rebuild"])
def test_a_reader_whose_files_were_replaced_after_it_listed_them_tries_again(tmp_path, monkeypatch, rebuild):
    """Between the table of contents and the segment files it names, a commit (merging the five
    segments of five earlier commits, and deleting their files at once here, not a minute later)
    or a rebuild replaces them: the reader finds a file missing, sees that the index changed,
    and reads the new one."""
    corpus, index_dir = Corpus(tmp_path / "corpus", 6), tmp_path / "ix"
    for i in range(5):
        corpus.write(i, "alpha")
        sync([corpus.root], str(index_dir))
    monkeypatch.setattr(engine.store, "GRACE_SECONDS", 0.0)
    monkeypatch.setattr(engine.merging, "to_merge", lambda storage, segments: list(segments))
    real_open = FileStorage.open_file
    replaced: list[str] = []

    def open_file(storage, name, *args, **kwargs):
        if name.endswith(".trm") and not replaced:
            replaced.append(name)
            corpus.write(5, "alpha")
            sync([corpus.root], str(index_dir), rebuild=rebuild)
            assert not (index_dir / name).exists()
        return real_open(storage, name, *args, **kwargs)

    monkeypatch.setattr(FileStorage, "open_file", open_file)
    with Index(index_dir) as ix:
        assert ix.search("alpha", limit=100).total == 6
    assert replaced


def test_a_garbled_metadata_file_says_how_to_rebuild_in_words_that_work(changed_corpus):
    corpus, index_dir = changed_corpus
    (index_dir / "onu-index.json").write_text("{pas du json", encoding="utf-8")
    searched = CliRunner().invoke(main, ["search", "alpha", "--index", str(index_dir)])
    assert searched.exit_code != 0 and "onu index --rebuild" in searched.output
    rebuilt = CliRunner().invoke(main, ["index", "--rebuild", "--index", str(index_dir)])
    assert rebuilt.exit_code == 0 or "onu index --rebuild PATH" in searched.output, rebuilt.output
    rebuilt = CliRunner().invoke(main, ["index", "--rebuild", str(corpus.root), "--index", str(index_dir)])
    assert rebuilt.exit_code == 0 and index_state(index_dir) == corpus.snapshot()


# -- searching from threads while another process syncs ------------------------------------------------

def _flip_flop(corpus: Corpus, index_dir: str, cycles: int, hold: float, rebuild: bool) -> None:
    """Add 20 documents and sync, wait `hold` seconds, remove them and sync, `cycles` times."""
    for _ in range(cycles):
        for i in range(40, 60):
            corpus.write(i, "charlie")
        sync([corpus.root], index_dir, rebuild=rebuild)
        time.sleep(hold)
        for i in range(40, 60):
            corpus.delete(i)
        sync([corpus.root], index_dir, rebuild=rebuild)
        time.sleep(0.2)


def _search_while_syncing(tmp_path: Path, fresh_index_each_time: bool, rebuild: bool) -> None:
    """Four threads search while another process syncs (or rebuilds) 20 documents in and out of 40.

    Either the threads share one Index, or each opens the index anew for every
    search (as `onu search` does). No search may fail, every total is the old
    count or the new one, facets count every hit, dates come in order, and the
    shared Index sees each new version.
    """
    corpus = Corpus(tmp_path / "corpus", 60)
    for i in range(40):
        corpus.write(i, "alpha")
    index_dir = tmp_path / "ix"
    sync([corpus.root], str(index_dir))
    errors: list[str] = []
    totals: list[int] = []
    stop = threading.Event()

    def search_loop(shared: Index, n: int) -> None:
        k = 0
        while not stop.is_set():
            k += 1
            ix = Index(index_dir) if fresh_index_each_time else shared
            try:
                res = ix.search("commun", limit=5, facets=["year"] if k % 3 == 0 else ())
                totals.append(res.total)
                assert len(res.hits) == 5, f"{len(res.hits)} hits"
                if k % 3 == 0:
                    assert sum(res.facets["year"].values()) == res.total, f"facets {res.facets} for {res.total}"
                everything = ix.search("", limit=3, page=1 + k % 4)
                assert everything.total in (40, 60), f"{everything.total} documents in all"
                dated = [h.date for h in ix.search("", sort="date", limit=60)]
                assert dated == sorted(dated), "dates out of order"
                record = ix.get(f"A/RES/70/{1 + (n + k) % 40}")
                assert record.title.startswith("Document"), record.title
                stats = ix.stats()
                assert stats.documents in (40, 60) and stats.size_bytes > 0 and stats.roots, stats
            except Exception as exc:  # noqa: BLE001 - every error is collected and reported
                errors.append(f"{type(exc).__name__}: {exc}")
                time.sleep(0.01)
            finally:
                if ix is not shared:
                    ix.close()

    # A shared Index looks for a new version at most once a second: the new state stays longer than that.
    cycles, hold = (8, 0.2) if fresh_index_each_time else (2, 1.3)
    child = run_in_child(_flip_flop, corpus, str(index_dir), cycles, hold, rebuild)
    with Index(index_dir) as shared:
        threads = [threading.Thread(target=search_loop, args=(shared, n)) for n in range(4)]
        for t in threads:
            t.start()
        code = wait(child)
        time.sleep(1.2)  # searchers look for a new index at most once a second
        stop.set()
        for t in threads:
            t.join(10)
        assert not errors, sorted(set(errors))[:5]
        assert code == 0
        assert set(totals) <= {40, 60}, sorted(set(totals))
        assert 60 in totals, "the searchers never saw the new index"
        assert totals[-1] == 40 and shared.search("commun").total == 40, totals[-20:]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork() for a syncing process")
@pytest.mark.parametrize("rebuild", [False, True], ids=["syncs", "rebuilds"])
def test_threads_sharing_an_index_while_another_process_syncs_see_the_old_or_the_new_one(engine_name, tmp_path,
                                                                                          rebuild):
    _search_while_syncing(tmp_path, fresh_index_each_time=False, rebuild=rebuild)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork() for a syncing process")
@pytest.mark.parametrize("rebuild", [False, True], ids=["syncs", "rebuilds"])
def test_opening_the_index_while_another_process_syncs_never_says_it_is_damaged(engine_name, tmp_path, rebuild):
    _search_while_syncing(tmp_path, fresh_index_each_time=True, rebuild=rebuild)
