"""Sync keeps the index equal to the files: add, change, delete, rename, no-op, rebuild."""

import contextlib
import os
import threading
import time

import pytest

from search import Index, IndexLockedError, NoSuchPathError, NotFoundError
from indexer.location import IndexMeta
from indexer.sync import sync


@pytest.fixture
def corpus(write_akn, tmp_path):
    write_akn("a.xml", symbol="A/RES/78/1", title="Traite des êtres humains", paragraphs=("La traite des enfants.",))
    write_akn("b.xml", symbol="A/RES/78/2", title="Océans", paragraphs=("Le droit de la mer.",))
    return tmp_path / "corpus"


def ids(index_dir, query=""):
    with Index(index_dir) as ix:
        return sorted(h.id for h in ix.search(query, limit=100))


def test_first_run_builds_then_nothing_changes(corpus, tmp_path):
    index_dir = tmp_path / "ix"
    first = sync([corpus], str(index_dir))
    assert len(first.added) == 2 and first.documents == 2 and not first.skipped
    again = sync([corpus], str(index_dir))
    assert again.unchanged == 2 and not again.changed
    assert ids(index_dir) == ["A/RES/78/1", "A/RES/78/2"]


def test_changed_file_is_read_again(corpus, tmp_path, write_akn):
    index_dir = tmp_path / "ix"
    sync([corpus], str(index_dir))
    time.sleep(0.01)
    write_akn("b.xml", symbol="A/RES/78/2", title="Océans", paragraphs=("La pêche illicite.",))
    report = sync([corpus], str(index_dir))
    assert report.updated == [str(corpus / "b.xml")] and report.unchanged == 1
    assert ids(index_dir, "pêche") == ["A/RES/78/2"] and ids(index_dir, "mer") == []


def test_deleted_file_leaves_the_index(corpus, tmp_path):
    index_dir = tmp_path / "ix"
    sync([corpus], str(index_dir))
    (corpus / "a.xml").unlink()
    report = sync([corpus], str(index_dir))
    assert report.removed == [str(corpus / "a.xml")] and report.documents == 1
    assert ids(index_dir, "traite") == []


def test_renamed_file_is_one_document(corpus, tmp_path):
    index_dir = tmp_path / "ix"
    sync([corpus], str(index_dir))
    os.rename(corpus / "a.xml", corpus / "renamed.xml")
    report = sync([corpus], str(index_dir))
    assert report.removed == [str(corpus / "a.xml")] and report.added == [str(corpus / "renamed.xml")]
    with Index(index_dir) as ix:
        assert ix.get("A/RES/78/1").path == str(corpus / "renamed.xml")
        assert ix.search("").total == 2


def test_duplicates_are_reported_at_every_run(corpus, tmp_path, write_akn):
    write_akn("copy.xml", symbol="A/RES/78/1", title="Autre copie", paragraphs=("Autre texte.",))
    (corpus / "same-bytes.xml").write_bytes((corpus / "b.xml").read_bytes())
    for _ in range(2):
        report = sync([corpus], str(tmp_path / "ix"))
        assert sorted((s.path.rsplit("/", 1)[-1], s.kind) for s in report.skipped) == [
            ("copy.xml", "duplicate"), ("same-bytes.xml", "duplicate")]
        assert report.documents == 2 and not report.updated


def test_without_paths_the_folders_of_earlier_runs_are_synced(corpus, tmp_path, write_akn):
    index_dir = tmp_path / "ix"
    sync([corpus], str(index_dir))
    write_akn("c.xml", symbol="A/RES/78/3", title="Climat")
    report = sync(None, str(index_dir))
    assert report.added == [str(corpus / "c.xml")] and report.roots == [str(corpus)]


def test_a_single_file_sync_leaves_the_rest(corpus, tmp_path, write_akn):
    index_dir = tmp_path / "ix"
    sync([corpus], str(index_dir))
    extra = write_akn("extra/new.xml", symbol="A/RES/78/9", title="Nouveau")
    report = sync([extra], str(index_dir))
    assert report.added == [str(extra)] and not report.removed and report.documents == 3


def test_rebuild_replaces_the_index_only_when_complete(corpus, tmp_path, monkeypatch):
    index_dir = tmp_path / "ix"
    sync([corpus], str(index_dir))
    import indexer.sync as sync_module

    def broken(*args, **kwargs):
        raise OSError("disk exploded")
    monkeypatch.setattr(sync_module, "_apply", broken)
    with pytest.raises(OSError):
        sync([corpus], str(index_dir), rebuild=True)
    monkeypatch.undo()
    assert ids(index_dir) == ["A/RES/78/1", "A/RES/78/2"]
    report = sync([corpus], str(index_dir), rebuild=True)
    assert len(report.added) == 2 and ids(index_dir) == ["A/RES/78/1", "A/RES/78/2"]


def test_a_second_writer_waits_then_fails_naming_the_lock(corpus, tmp_path):
    from indexer.locking import sync_lock

    index_dir = tmp_path / "ix"
    sync([corpus], str(index_dir))
    with sync_lock(str(index_dir), 1.0):
        started = time.monotonic()
        with pytest.raises(IndexLockedError, match=r"ix\.lock"):
            sync([corpus], str(index_dir), lock_timeout=0.3)
        assert time.monotonic() - started >= 0.3


def test_many_files_are_read_by_worker_processes(tmp_path, write_akn):
    for i in range(40):
        write_akn(f"d{i:02}.xml", symbol=f"A/RES/78/{100 + i}", title=f"Titre {i}", paragraphs=(f"mot{i} commun",))
    report = sync([tmp_path / "corpus"], str(tmp_path / "ix"), workers=2)
    assert len(report.added) == 40
    assert ids(tmp_path / "ix", "commun") == sorted(f"A/RES/78/{100 + i}" for i in range(40))
    assert ids(tmp_path / "ix", "mot7") == ["A/RES/78/107"]


def test_a_finished_sync_leaves_no_worker_pool_running(tmp_path, write_akn):
    """The pool's thread, left running after a sync, raced Python's exit: `onu index` then printed
    a traceback ("OSError: Bad file descriptor") once in about ten runs."""
    for i in range(40):
        write_akn(f"d{i:02}.xml", symbol=f"A/RES/78/{100 + i}", title=f"Titre {i}", paragraphs=(f"mot{i}",))
    sync([tmp_path / "corpus"], str(tmp_path / "ix"), workers=2)
    pools = [t.name for t in threading.enumerate() if type(t).__name__ == "_ExecutorManagerThread"]
    assert not pools, pools


def test_files_named_alone_are_checked_against_the_whole_index(corpus, tmp_path, write_akn):
    """Adding single files looks them up alone, yet a repeat of any indexed document is refused."""
    index_dir = str(tmp_path / "ix")
    sync([corpus], index_dir)
    copy = tmp_path / "copie.xml"
    copy.write_bytes((corpus / "a.xml").read_bytes())
    report = sync([copy], index_dir)
    assert not report.added and "same content as" in report.skipped[0].reason
    same_symbol = write_akn("autre.xml", symbol="A/RES/78/2", title="Autre", paragraphs=("Autre texte.",))
    report = sync([same_symbol], index_dir)
    assert not report.added and "same symbol A/RES/78/2" in report.skipped[0].reason
    new = write_akn("c.xml", symbol="A/RES/78/3", title="Nouveau", paragraphs=("Un texte neuf.",))
    assert sync([new], index_dir).added == [str(new)]
    time.sleep(0.01)
    write_akn("c.xml", symbol="A/RES/78/3", title="Nouveau", paragraphs=("Un texte changé.",))
    report = sync([new], index_dir)
    assert report.updated == [str(new)] and not report.skipped
    assert ids(index_dir) == ["A/RES/78/1", "A/RES/78/2", "A/RES/78/3"]


def test_commits_grow_so_a_large_build_needs_no_merges(tmp_path, write_akn, monkeypatch):
    """Commits take BATCH documents, then a third of what is written already; a rest of less
    than half a BATCH joins the last commit."""
    import indexer.sync as sync_module
    from indexer import whooshdb
    for n in range(38):
        write_akn(f"d{n:02}.xml", symbol=f"A/RES/78/{n + 1}", title=f"Titre {n}", paragraphs=(f"Texte {n}.",))
    sizes: list[int] = []
    real = whooshdb.writing

    @contextlib.contextmanager
    def counting(*args, **kwargs):
        with real(*args, **kwargs) as writer:
            added = writer.add
            count = [0]
            writer.add = lambda *a: (count.__setitem__(0, count[0] + 1), added(*a))
            yield writer
        sizes.append(count[0])

    monkeypatch.setattr(sync_module, "BATCH", 4)
    monkeypatch.setattr(whooshdb, "writing", counting)
    report = sync([tmp_path / "corpus"], str(tmp_path / "ix"), workers=1)
    assert len(report.added) == 38 and sizes == [4, 4, 4, 4, 5, 7, 10]


def test_an_index_of_an_empty_folder_answers_nothing(tmp_path):
    """An index without documents (Whoosh: without segments) has 0 hits, 0 documents, no facets."""
    (tmp_path / "empty").mkdir()
    index_dir = tmp_path / "ix"
    assert sync([tmp_path / "empty"], str(index_dir)).documents == 0
    with Index(index_dir) as ix:
        assert ix.search("x").total == 0
        listed = ix.search("", facets=["state", "year"], sort="date")
        assert listed.total == 0 and listed.facets == {"state": {}, "year": {}}
        stats = ix.stats()
        assert stats.documents == 0 and stats.by_organ == {} and stats.by_state == {}
        with pytest.raises(NotFoundError):
            ix.get("A/RES/78/1")


def test_a_file_named_alone_starts_a_new_index(write_akn, tmp_path):
    """The first sync of a single file looks it up in the new, empty index."""
    new = write_akn("a.xml", symbol="A/RES/78/1", title="Titre", paragraphs=("Texte.",))
    assert sync([new], str(tmp_path / "ix")).added == [str(new)]
    assert ids(tmp_path / "ix") == ["A/RES/78/1"]


def test_a_path_that_does_not_exist_is_an_error_and_changes_nothing(corpus, tmp_path):
    index_dir = tmp_path / "ix"
    sync([corpus], str(index_dir))
    missing = tmp_path / "nulle-part"
    with pytest.raises(NoSuchPathError, match=f"^no such file or folder: {missing}$"):
        sync([corpus, missing], str(index_dir))
    assert IndexMeta.load(str(index_dir)).roots == [str(corpus)]
    assert ids(index_dir) == ["A/RES/78/1", "A/RES/78/2"]
    with pytest.raises(NoSuchPathError):
        sync([missing], str(tmp_path / "new"))
    assert not (tmp_path / "new").exists()
