"""Damaged, empty and misplaced indexes: every command works or says what is wrong in one line.

Each file of a small index is deleted, emptied, cut in half, flipped in the middle or
replaced by garbage of its size; every library call and every command then either
gives the right answer or raises an OnuError (one line and exit 1 at the command line),
never another exception; and `onu index` says the index is damaged rather than
report success on an index that searches cannot read. An index without documents
answers every command; an index folder that cannot be made (a file in the way, no
home folder, a folder that refuses it) is named with the cause and the way out.
"""

from __future__ import annotations

import os
import random
import shutil
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import indexer.sync as sync_module
import whoosh.util.varints
from corpus.errors import OnuError
from indexer import whooshdb as engine
from indexer.errors import IndexDamagedError
from indexer.sync import sync
from indexer.whooshdb.formats import Offsets, Text, pack_offsets, pack_text
from indexer.whooshdb.searching import WhooshSearcher
from indexer.whooshdb.store import retrying
from search import Index, NotFoundError
from search.cli import main
from tests.conftest import akn_xml

FACETS = ["state", "year", "agenda", "organ", "session", "type"]
CHANGED = "d3.xml"  # the file a sync re-reads in each trial
SECONDS = 2.0  # the longest any call may take on a damaged index


def onu(*args: object):
    """Run `onu` in this process; the result of CliRunner.invoke."""
    return CliRunner().invoke(main, [str(a) for a in args])


def one_line_error(result) -> str | None:
    """What is wrong with a failed command's output (None: one line, exit 1, no traceback)."""
    lines = result.output.strip().splitlines()
    if not isinstance(result.exception, SystemExit):
        return f"raised {result.exception!r}"
    if result.exit_code != 1 or len(lines) != 1 or not lines[0].startswith("Error: "):
        return f"exit {result.exit_code}: {result.output!r}"
    return None


# -- a small index of two segments, one with a deleted document ------------------------------------

def _write(corpus: Path, i: int, words: str, tick: int) -> None:
    """Document i, with a fixed modification time: the index is the same at every run but for its ids."""
    path = corpus / f"d{i}.xml"
    path.write_text(akn_xml(f"A/RES/78/{i + 1}", title=f"Titre {i}", date=f"2023-0{i % 9 + 1}-1{i % 9}",
                            paragraphs=(f"La traite des enfants {words} numero{i}.", "Les droits de l'homme."),
                            agenda=(("107", "Prévention du crime"),) if i < 6 else (),
                            sponsors="France, Bélarus" if i % 2 else "Chili"), encoding="utf-8")
    os.utime(path, ns=(1_700_000_000_000_000_000 + tick * 1_000_000_000,) * 2)


def _build(root: Path) -> tuple[Path, Path]:
    """Thirteen documents, then three more and one changed: two segments, the first with a
    deletion (one in thirteen, which the merge policy leaves in place)."""
    corpus, index_dir = root / "corpus", root / "ix"
    corpus.mkdir(parents=True)
    for i in range(13):
        _write(corpus, i, "premiers", i)
    sync([corpus], str(index_dir))
    for i in range(13, 16):
        _write(corpus, i, "suivants", i)
    _write(corpus, 1, "modifié", 20)
    sync([corpus], str(index_dir))
    segments = engine.open_index(str(index_dir))._segments()
    assert [(s.doc_count_all(), s.deleted_count()) for s in segments] == [(13, 1), (4, 0)]
    return corpus, index_dir


def _change(corpus: Path) -> None:
    """What each trial's sync re-reads: one file, changed."""
    _write(corpus, int(CHANGED[1]), "changé", 30)


def _reads(index_dir: Path) -> dict:
    """Every library call that reads, by name: a function of nothing that returns comparable results."""
    def search(query: str, **kwargs):
        def run():
            with Index(index_dir) as ix:
                res = ix.search(query, limit=20, **kwargs)
                return res.total, [(h.symbol, h.title, [str(s) for s in h.snippets]) for h in res.hits], res.facets
        return run

    def get():
        with Index(index_dir) as ix:
            rec = ix.get("A/RES/78/2")
            return rec.symbol, rec.title, rec.body, rec.date

    def stats():
        with Index(index_dir) as ix:
            st = ix.stats()
            return st.documents, st.by_organ, st.by_session, st.by_year, st.by_state

    return {"word": search("traite"), "phrase": search('"droits de l\'homme"'), "prefix": search("numero*"),
            "facets": search("", facets=FACETS), "date sort": search("enfants", sort="date"),
            "get": get, "stats": stats}


def _sync_one(corpus: Path, index_dir: Path):
    """Sync one changed file, then read what changed."""
    _change(corpus)
    report = sync([corpus / CHANGED], str(index_dir))
    with Index(index_dir) as ix:
        return report.documents, ix.search("changé").total, ix.get("A/RES/78/4").title


def _run(call) -> tuple[str, object, float]:
    """("ok", result) or ("onu", message), and the seconds it took; any other exception goes through."""
    started = time.monotonic()
    try:
        outcome = ("ok", call())
    except OnuError as exc:
        outcome = ("onu", str(exc))
    return (*outcome, time.monotonic() - started)


# -- the kinds of damage -----------------------------------------------------------------------------

def _delete(path: Path, seed: str) -> None:
    path.unlink()


def _empty(path: Path, seed: str) -> None:
    path.write_bytes(b"")


def _halve(path: Path, seed: str) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _flip(path: Path, seed: str) -> None:
    data = bytearray(path.read_bytes())
    for i in range(max(0, len(data) // 2 - 8), min(len(data), len(data) // 2 + 8)):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


def _garbage(path: Path, seed: str) -> None:
    path.write_bytes(random.Random(seed).randbytes(path.stat().st_size))


DAMAGE = {"deleted": _delete, "emptied": _empty, "cut in half": _halve, "flipped in the middle": _flip,
          "garbage of the same size": _garbage}
# Whoosh keeps no checksum: bytes changed in place read as other values (a date, a word's
# length, a character of the text) unless they break the structure. Files that change size
# are caught by the sizes each commit records.
SAME_SIZE = {"flipped in the middle", "garbage of the same size"}


class Pristine:
    """The small index, kept aside and put back in place (its paths are absolute) before each trial,
    with what every call answers on it, and on the commit before it."""

    def __init__(self, root: Path) -> None:
        self.work, self.saved = root / "work", root / "saved"
        self.corpus, self.index_dir = _build(self.work)
        shutil.copytree(self.work, self.saved)
        self.expected = {name: _run(call)[:2] for name, call in _reads(self.index_dir).items()}
        self.expected["sync"] = _run(lambda: _sync_one(self.corpus, self.index_dir))[:2]
        self.restore()
        self.newest_toc = max(self.index_dir.glob("_MAIN_*.toc"), key=lambda p: int(p.stem.rsplit("_", 1)[1])).name
        (self.index_dir / self.newest_toc).unlink()  # Whoosh then reads the commit before
        self.previous = {name: _run(call)[:2] for name, call in _reads(self.index_dir).items()}
        self.previous["sync"] = _run(lambda: _sync_one(self.corpus, self.index_dir))[:2]
        self.restore()
        for outcome in (*self.expected.values(), *self.previous.values()):
            assert outcome[0] == "ok", outcome

    def restore(self) -> tuple[Path, Path]:
        """The corpus and the index as built; the corpus keeps its fingerprints (copytree loses nanoseconds)."""
        shutil.rmtree(self.work)
        shutil.copytree(self.saved, self.work)
        for path in self.corpus.iterdir():
            os.utime(path, ns=(os.stat(self.saved / "corpus" / path.name).st_mtime_ns,) * 2)
        return self.corpus, self.index_dir

    def roles(self) -> dict[str, str]:
        """File name -> the same name with each segment id replaced by the segment's rank (seg0, seg1)."""
        ids = [seg.segment_id() for seg in engine.open_index(str(self.index_dir))._segments()]
        roles = {}
        for name in sorted(os.listdir(self.index_dir)):
            role = name
            for rank, seg_id in enumerate(ids):
                role = role.replace(seg_id, f"seg{rank}")
            roles[name] = role
        return roles


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Pristine:
    return Pristine(tmp_path_factory.mktemp("pristine"))


@pytest.fixture
def index(pristine) -> Pristine:
    """The pristine index, put back in place for this test."""
    pristine.restore()
    return pristine


class TestDamagedIndex:
    """Every file of the index, each kind of damage: what every call and command does."""

    @pytest.mark.parametrize("kind", DAMAGE)
    def test_every_call_works_or_says_the_index_is_damaged(self, index, kind):
        failures: list[str] = []
        slowest = 0.0
        roles = index.roles()
        assert sum(role.startswith("seg") for role in roles.values()) > 20, roles
        for name, role in roles.items():
            corpus, index_dir = index.restore()
            DAMAGE[kind](index_dir / name, f"{kind}:{role}")
            for call_name, call in [*_reads(index_dir).items(), ("sync", lambda: _sync_one(corpus, index_dir))]:
                try:
                    status, result, seconds = _run(call)
                except Exception as exc:  # noqa: BLE001 - what escaped is the finding
                    failures.append(f"{role} {call_name}: raised {type(exc).__name__}: {exc}")
                    continue
                slowest = max(slowest, seconds)
                if status == "ok" and result != index.expected[call_name][1] and kind not in SAME_SIZE:
                    # Without the newest table of contents, Whoosh reads the commit before it: an
                    # older index, whole (issue 13 asks `onu index` to say so; that is another test).
                    if not (name == index.newest_toc and result == index.previous[call_name][1]):
                        failures.append(f"{role} {call_name}: wrong answer {result!r}")
            failures += [f"{role} cli: {problem}" for problem in self._commands(index, kind, name, role)]
        assert slowest < SECONDS, f"a call took {slowest:.1f} s"
        assert not failures, "\n".join(failures)

    @staticmethod
    def _commands(index: Pristine, kind: str, name: str, role: str) -> list[str]:
        """`onu search`, `stats`, `show`: the answer or one line; `onu index`: success only on an
        index that what every search reads can be read from."""
        corpus, index_dir = index.restore()
        DAMAGE[kind](index_dir / name, f"{kind}:{role}")
        problems = []
        for args in (["search", "traite", "--facets", ",".join(FACETS)], ["stats"], ["show", "A/RES/78/2"]):
            result = onu(*args, "--index", index_dir)
            if result.exit_code != 0:
                problems += [f"{args[0]}: {p}" for p in [one_line_error(result)] if p]
            elif "Traceback" in result.output:
                problems.append(f"{args[0]}: {result.output!r}")
        indexed = onu("index", corpus, "--index", index_dir)
        if indexed.exit_code != 0:
            problems += [f"index: {p}" for p in [one_line_error(indexed)] if p]
            if not problems and "rebuild" not in indexed.output:
                problems.append(f"index: does not say to rebuild: {indexed.output!r}")
            return problems
        if "0 added, 0 updated, 0 removed, 16 unchanged" not in indexed.output and name != index.newest_toc:
            problems.append(f"index: {indexed.output!r}")  # (the commit before the newest one is synced again)
        try:  # `onu index` said success: what every search reads must be readable
            with Index(index_dir) as ix:
                ix.search("", limit=0, facets=FACETS)
                ix.stats()
        except OnuError as exc:
            problems.append(f"index said {indexed.output.strip()!r}, then a search said {exc}")
        return problems


def test_a_missing_column_file_is_damage_not_a_column_of_defaults(index):
    """Whoosh reads a segment without its `year` column as one where no document has a year."""
    next(index.index_dir.glob("*.year.col")).unlink()
    with pytest.raises(IndexDamagedError, match=r"year\.col is missing.*onu index --rebuild"):
        with Index(index.index_dir) as ix:
            ix.stats()
    result = onu("index", index.corpus, "--index", index.index_dir)
    assert one_line_error(result) is None and "onu index --rebuild" in result.output
    assert onu("index", "--rebuild", index.corpus, "--index", index.index_dir).exit_code == 0
    with Index(index.index_dir) as ix:
        assert ix.stats().by_year == {"2023": 16}


def test_a_cut_postings_file_says_damaged_not_block_tag_error(index):
    for path in index.index_dir.glob("*.pst"):
        _halve(path, "")
    with pytest.raises(IndexDamagedError, match=r"\.pst has \d+ bytes instead of \d+"):
        with Index(index.index_dir) as ix:
            ix.search("traite")


def test_onu_index_says_damaged_when_the_postings_are_garbage(index):
    """Every word of a postings file of garbage fails ("Block tag error"): the sync says so."""
    for path in index.index_dir.glob("*.pst"):
        _garbage(path, path.name)
    result = onu("index", index.corpus, "--index", index.index_dir)
    assert one_line_error(result) is None
    assert "cannot be read" in result.output and "onu index --rebuild" in result.output


def test_a_sync_that_merges_a_damaged_segment_says_the_index_is_damaged(index):
    """Re-reading a file of the first segment deletes its old copy there, and the merge policy
    rewrites the segment: the merge reads files that the sync's own lookups did not."""
    name = next(n for n, role in index.roles().items() if role == "seg0.organ.col")
    _garbage(index.index_dir / name, "merge")
    _change(index.corpus)
    with pytest.raises(IndexDamagedError, match="onu index --rebuild"):
        sync([index.corpus / CHANGED], str(index.index_dir))


def test_a_text_whose_bytes_are_not_utf8_shows_replacement_characters_in_snippets():
    """Snippets are cut after the engine has answered: there a damaged text cannot raise."""
    source = "La traite des êtres humains. " * 100
    packed = bytearray(pack_text(source))
    packed[40] = 0xFF
    text = Text(bytes(packed))
    assert "\ufffd" in text[0:60] and text[200:230] == source[200:230]
    with pytest.raises(ValueError):  # the whole text is read inside the engine, which says it is damaged
        str(text)
    with pytest.raises(ValueError, match="chunks"):
        Text(b"\xff\xff\x00\x00" + bytes(packed)[4:])  # a length that its chunks do not cover


# -- what is damage and what is a bug -------------------------------------------------------------------

def test_our_own_bugs_are_not_reported_as_damage(tmp_path, monkeypatch, index):
    """Catching every exception as damage would tell users to rebuild for a bug of ours."""
    folder = str(tmp_path)
    with pytest.raises(AttributeError):
        retrying(folder, lambda: None.missing)
    with pytest.raises(TypeError):
        retrying(folder, lambda: len(3))
    def block_tag_error():
        raise Exception("Block tag error b''")  # what Whoosh raises on a posting block of garbage
    with pytest.raises(IndexDamagedError, match="Block tag error"):
        retrying(folder, block_tag_error)
    with pytest.raises(IndexDamagedError, match="TypeError"):  # a number read past the end of a file
        retrying(folder, lambda: whoosh.util.varints.read_varint(lambda n: b""))

    def broken(*args, **kwargs):
        raise NameError("a bug in the searcher")
    monkeypatch.setattr(WhooshSearcher, "_facets", broken)
    with Index(index.index_dir) as ix:
        with pytest.raises(NameError):
            ix.stats()


@pytest.mark.parametrize("cut", [1, 3])
def test_packed_offsets_cut_short_are_bad_bytes_not_a_bug(cut):
    """A value of the offsets column whose bytes were cut: a ValueError, which says the index is
    damaged (memoryview.cast raises TypeError, which would pass for a bug of ours)."""
    packed = pack_offsets([(0, 2), (3, 10), (11, 70000)])
    with pytest.raises(ValueError, match="not a whole number"):
        Offsets(packed[:-cut])


# -- arguments that are not UTF-8 ------------------------------------------------------------------------

@pytest.mark.parametrize("args,message", [
    (["show", "\udcff"], "Error: no document '\\udcff' in the index"),
    (["show", "A/RES/78/2\udcff"], "Error: no document 'A/RES/78/2\\udcff' in the index"),
    (["search", "\udcff"], "is not a word"),
    (["search", "traite", "--symbol", "\udcff"], "No document matches."),
    (["search", "traite", "--type", "\udcff"], "No document matches."),
    (["search", "traite", "--agenda", "\udcff"], "is not a word"),
    (["search", "traite", "--state", "\udcff"], "unknown member state"),
    (["search", "traite", "--organ", "\udcff"], "unknown organ"),
    (["search", "traite", "--session", "\udcff"], "a session is a number"),
    (["search", "traite", "--since", "\udcff"], "YYYY-MM-DD"),
])
@pytest.mark.filterwarnings("error::RuntimeWarning")  # unidecode warned of each surrogate, on the user's terminal
def test_arguments_that_are_not_utf8_are_named_not_blamed_on_the_index(index, args, message):
    """Bytes that are not UTF-8 on a command line arrive as surrogates ($'\\xff' is '\\udcff')."""
    result = onu(*args, "--index", index.index_dir)
    if result.exit_code != 0:
        assert one_line_error(result) is None, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert message in result.output and "cannot be read" not in result.output, result.output


def test_a_path_that_is_not_utf8_is_no_such_file(tmp_path, index):
    result = onu("index", tmp_path / "\udcff", "--index", tmp_path / "ix")
    assert one_line_error(result) is None and "no such file or folder" in result.output
    with Index(index.index_dir) as ix:
        with pytest.raises(NotFoundError, match="no document"):
            ix.get("\udcff")


# -- indexes without documents -----------------------------------------------------------------------------

def _empty_folder_indexed(tmp_path: Path) -> Path:
    (tmp_path / "empty").mkdir()
    assert onu("index", tmp_path / "empty", "--index", tmp_path / "ix").exit_code == 0
    return tmp_path / "ix"


def _one_document_gone(tmp_path: Path) -> Path:
    """A corpus folder whose one document was indexed, then deleted."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.xml").write_text(akn_xml("A/RES/78/1"), encoding="utf-8")
    sync([corpus], str(tmp_path / "ix"))
    (corpus / "a.xml").unlink()
    return corpus


def _rebuilt_from_empty(tmp_path: Path) -> Path:
    corpus = _one_document_gone(tmp_path)
    assert onu("index", "--rebuild", corpus, "--index", tmp_path / "ix").exit_code == 0
    return tmp_path / "ix"


def _every_document_removed(tmp_path: Path) -> Path:
    corpus = _one_document_gone(tmp_path)
    assert sync([corpus], str(tmp_path / "ix")).documents == 0
    return tmp_path / "ix"


def _interrupted_before_the_first_commit(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.xml").write_text(akn_xml("A/RES/78/1"), encoding="utf-8")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    real = sync_module._apply
    sync_module._apply = interrupted
    try:
        assert onu("index", corpus, "--index", tmp_path / "ix").exit_code == 130
    finally:
        sync_module._apply = real
    return tmp_path / "ix"


EMPTY = {"an empty folder indexed": _empty_folder_indexed, "rebuilt from an empty folder": _rebuilt_from_empty,
         "every document removed": _every_document_removed,
         "Ctrl-C before the first commit": _interrupted_before_the_first_commit}


@pytest.mark.parametrize("make", EMPTY)
def test_an_index_without_documents_answers_every_command(tmp_path, make):
    index_dir = EMPTY[make](tmp_path)
    for args in (["search", "traite"], ["search", "traite", "--facets", ",".join(FACETS), "--sort", "date"],
                 ["search", "--sort", "-date", "--facets", "agenda,state"], ["search", "--json"]):
        result = onu(*args, "--index", index_dir)
        assert result.exit_code == 0 and result.exception is None, (args, result.output, result.exception)
    assert "No document matches." in onu("search", "traite", "--index", index_dir).output
    stats = onu("stats", "--index", index_dir)
    assert stats.exit_code == 0 and "documents: 0" in stats.output
    shown = onu("show", "A/RES/78/1", "--index", index_dir)
    assert one_line_error(shown) is None and "no document 'A/RES/78/1'" in shown.output
    with Index(index_dir) as ix:
        assert ix.search("", facets=FACETS).total == 0 and ix.stats().documents == 0
        with pytest.raises(NotFoundError):
            ix.get("A/RES/78/1")
    (tmp_path / "new").mkdir()
    inspected = onu("inspect", tmp_path / "new")  # reads files, not the index
    assert inspected.exit_code == 0 and "0 documents read" in inspected.output
    (tmp_path / "new" / "b.xml").write_text(akn_xml("A/RES/78/2", paragraphs=("La traite.",)), encoding="utf-8")
    assert onu("index", tmp_path / "new" / "b.xml", "--index", index_dir).exit_code == 0  # one file, looked up alone
    assert onu("search", "traite", "--index", index_dir).output.startswith("1 document")


@pytest.mark.parametrize("leftover", ["ONU_SYNC.lock", "MAIN_WRITELOCK", "onu-index.json"])
def test_an_index_folder_without_an_index_says_no_index(tmp_path, leftover):
    index_dir = tmp_path / "ix"
    index_dir.mkdir()
    (index_dir / leftover).write_text('{"format": 4, "roots": [], "last_sync": null}' if leftover.endswith("json")
                                      else "", encoding="utf-8")
    for args in (["search", "traite"], ["search", "--facets", "state"], ["stats"], ["show", "A/RES/78/1"]):
        result = onu(*args, "--index", index_dir)
        assert one_line_error(result) is None, (args, result.output)
        assert result.output == f"Error: no index at {index_dir}; build one with: onu index PATH\n"
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.xml").write_text(akn_xml("A/RES/78/1"), encoding="utf-8")
    assert onu("index", tmp_path / "corpus", "--index", index_dir).exit_code == 0
    assert onu("stats", "--index", index_dir).output.count("documents: 1") == 1


# -- where the index cannot be -------------------------------------------------------------------------------

WAY_OUT = "choose another folder with --index DIR or set ONU_SEARCH_INDEX"


@pytest.fixture
def place(tmp_path, monkeypatch):
    """A corpus of one document, a regular file `afile`, and an environment without index settings."""
    for name in ("ONU_SEARCH_INDEX", "XDG_DATA_HOME"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.xml").write_text(akn_xml("A/RES/78/1"), encoding="utf-8")
    (tmp_path / "afile").write_text("not a folder", encoding="utf-8")
    return tmp_path


def _linux_only():
    if not sys.platform.startswith("linux"):
        pytest.skip("the per-user data folder is $XDG_DATA_HOME or ~/.local/share on Linux only")


@pytest.mark.parametrize("setting,index_dir", [
    ({"ONU_SEARCH_INDEX": "afile/ix"}, "afile/ix"),
    ({"ONU_SEARCH_INDEX": "afile"}, "afile"),
    ({"XDG_DATA_HOME": "afile/data"}, "afile/data/onu-search/index"),
    ({"HOME": "afile"}, "afile/.local/share/onu-search/index"),
], ids=["ONU_SEARCH_INDEX under a file", "ONU_SEARCH_INDEX a file", "XDG_DATA_HOME under a file",
        "HOME a file"])
def test_an_index_under_a_file_is_one_line_naming_the_file(place, monkeypatch, setting, index_dir):
    if "ONU_SEARCH_INDEX" not in setting:
        _linux_only()
    for name, value in setting.items():
        monkeypatch.setenv(name, str(place / value))
    expected = f"Error: no index can be at {place / index_dir} ({place / 'afile'} is a file, not a folder); {WAY_OUT}\n"
    for args in (["index", place / "corpus"], ["search", "traite"], ["stats"], ["show", "A/RES/78/1"]):
        result = onu(*args)
        assert one_line_error(result) is None, (args, result.output, result.exception)
        assert result.output == expected, args
    assert not (place / "afile").is_dir()


def test_an_index_option_under_a_file_is_one_line(place):
    result = onu("index", place / "corpus", "--index", place / "afile" / "ix")
    assert result.output == (f"Error: no index can be at {place / 'afile' / 'ix'} "
                             f"({place / 'afile'} is a file, not a folder); {WAY_OUT}\n")


def test_a_home_that_refuses_new_folders_is_one_line(place, monkeypatch):
    """HOME=/nonexistent, or a home the user cannot write: the folder that could not be made is named.

    Tests run as root, whom permissions do not stop: mkdir refuses as the system would.
    """
    _linux_only()
    home = place / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    real_mkdir = os.mkdir

    def refuse(path, *args, **kwargs):
        if os.fsdecode(path).startswith(str(home)):
            raise PermissionError(13, os.strerror(13), os.fsdecode(path))
        return real_mkdir(path, *args, **kwargs)
    monkeypatch.setattr(os, "mkdir", refuse)
    index_dir = home / ".local" / "share" / "onu-search" / "index"
    result = onu("index", place / "corpus")
    assert one_line_error(result) is None, (result.output, result.exception)
    assert result.output == (f"Error: no index can be at {index_dir} "
                             f"(cannot create {home / '.local'}: {os.strerror(13)}); {WAY_OUT}\n")
    searched = onu("search", "traite")
    assert searched.output == f"Error: no index at {index_dir}; build one with: onu index PATH\n"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root writes whatever the permissions; the test above stands in for it")
def test_a_home_that_refuses_new_folders_for_real(place, monkeypatch):
    _linux_only()
    home = place / "home"
    home.mkdir(mode=0o555)
    monkeypatch.setenv("HOME", str(home))
    result = onu("index", place / "corpus")
    assert one_line_error(result) is None and f"cannot create {home / '.local'}" in result.output


def test_no_home_folder_is_one_line(place, monkeypatch):
    def no_home():
        raise RuntimeError("Could not determine home directory.")
    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    monkeypatch.delenv("LOCALAPPDATA", raising=False)
    for args in (["index", place / "corpus"], ["search", "traite"]):
        result = onu(*args)
        assert one_line_error(result) is None, (result.output, result.exception)
        assert result.output == (f"Error: no index can be at the per-user data folder "
                                 f"(no home folder: HOME is not set); {WAY_OUT}\n")
