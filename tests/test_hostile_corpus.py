"""A hostile corpus: links out of it, files that are not documents, names that repeat or hide
control codes, a text of millions of words. Every hostile file is made here in tmp_path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest

import corpus
import indexer.sync as sync_module
from corpus.errors import ReadError
from corpus.limits import MAX_DISTINCT, MAX_WORDS
from corpus.record import statement_to_json
from corpus.scanning import OUTSIDE, Folders, read_bytes
from indexer.sync import sync
from search import Index
from tests.audit import touched
from tests.conftest import ROOT, akn_xml

FIXTURES = Path(__file__).parent / "fixtures" / "text"
SECRET = "SENTINELLESECRETE"


def letter(n: int, secret: str = "") -> str:
    """A short French letter without a symbol; `n` makes its bytes differ from the others'."""
    return (f"Lettre datée du {n} mars 2024, adressée au Secrétaire général par le Représentant permanent "
            f"de la France\n\nJ’ai l’honneur de vous transmettre la déclaration numéro {n} sur la traite "
            f"des êtres humains {secret}.\n\nLa coopération régionale est renforcée dans la lutte contre la "
            f"traite des enfants.\n")


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def reasons(skipped, path: Path) -> list[str]:
    return [s.reason for s in skipped if s.path == str(path)]


def scanned(*paths):
    scan = corpus.scan(list(paths))
    return list(scan), scan.skipped


# -- 1. symbolic links lead nowhere outside the folders named ---------------------------------

@pytest.fixture
def linked(tmp_path):
    """corpus/ with a letter, links to a French letter and to a folder outside it, and links inside it."""
    outside = tmp_path / "ailleurs"
    write(outside / "secret.txt", letter(1, SECRET))
    write(outside / "dossier" / "autre.txt", letter(2, SECRET))
    root = tmp_path / "corpus"
    write(root / "vraie.txt", letter(3))
    write(root / "sous" / "interne.txt", letter(4))
    (root / "passwd.txt").symlink_to(outside / "secret.txt")  # a file outside: never read
    (root / "etc").symlink_to(outside / "dossier", target_is_directory=True)  # a folder outside: never walked
    (root / "relatif.txt").symlink_to(Path("..") / "ailleurs" / "secret.txt")
    (root / "z-raccourci").symlink_to(root / "sous", target_is_directory=True)  # inside: followed
    (root / "alias.txt").symlink_to(Path("sous") / "interne.txt")  # inside: followed
    return root, outside


def test_links_out_of_the_folder_are_reported_and_never_read(linked):
    root, outside = linked
    with touched() as seen:
        records, skipped = scanned(root)
    for name in ("passwd.txt", "etc", "relatif.txt"):
        assert reasons(skipped, root / name) == [OUTSIDE]
    assert not any(str(outside) in p for p in seen), [p for p in seen if str(outside) in p]
    assert all(SECRET not in json.dumps(statement_to_json(r)) for r in records)
    # Links that stay inside are followed: alias.txt is read (sous/interne.txt repeats it), and
    # z-raccourci/ is entered, as a second way into sous/.
    assert sorted(r.path for r in records) == [str(root / "alias.txt"), str(root / "vraie.txt")]
    assert [(s.path, s.reason) for s in skipped if s.kind == "duplicate"] == [
        (str(root / "sous" / "interne.txt"), f"same content as {root / 'alias.txt'}")]
    assert reasons(skipped, root / "z-raccourci") == ["folder seen before (symbolic link loop)"]


def test_sync_never_indexes_what_a_link_out_of_the_folder_holds(linked, tmp_path):
    root, _ = linked
    report = sync([root], str(tmp_path / "ix"))
    assert sorted(s.path for s in report.skipped if s.reason == OUTSIDE) == sorted(
        str(root / n) for n in ("etc", "passwd.txt", "relatif.txt"))
    with Index(tmp_path / "ix") as ix:
        assert ix.search(SECRET).total == 0 and ix.search("déclaration").total == 2


def test_a_root_that_is_a_link_and_links_between_roots_are_followed(linked, tmp_path):
    root, outside = linked
    (tmp_path / "lien-vers-corpus").symlink_to(root, target_is_directory=True)
    records, skipped = scanned(tmp_path / "lien-vers-corpus")
    assert str(tmp_path / "lien-vers-corpus" / "vraie.txt") in {r.path for r in records}
    # Named by the user, the outside folder is one of the folders: the link into it is followed.
    records, skipped = scanned(root, outside)
    assert reasons(skipped, root / "etc") == [] and reasons(skipped, root / "passwd.txt") == []
    assert {str(root / "etc" / "autre.txt"), str(root / "passwd.txt")} <= {r.path for r in records}
    # A file named by the user is read even when it is a link out of every folder.
    assert SECRET in corpus.read(root / "passwd.txt").body


def test_a_file_swapped_for_a_link_after_the_walk_is_not_read(linked, tmp_path, monkeypatch):
    root, outside = linked
    real = sync_module.fingerprint

    def swap_then_fingerprint(path):
        result = real(path)
        if path.endswith("vraie.txt"):  # listed as a plain file; a link out by the time it is read
            os.unlink(path)
            os.symlink(outside / "secret.txt", path)
        if path == str(root / "sous" / "interne.txt"):  # its folder becomes a link out
            os.rename(root / "sous", tmp_path / "sous-parti")
            os.symlink(outside / "dossier", root / "sous", target_is_directory=True)
            write(outside / "dossier" / "interne.txt", letter(5, SECRET))
        return result
    monkeypatch.setattr(sync_module, "fingerprint", swap_then_fingerprint)
    report = sync([root], str(tmp_path / "ix"))
    for name in ("vraie.txt", "sous/interne.txt", "alias.txt"):  # the alias now leads out too
        assert reasons(report.skipped, root / name) == [OUTSIDE], name
    with Index(tmp_path / "ix") as ix:
        assert ix.search(SECRET).total == 0


def test_a_file_swapped_between_the_check_and_the_open_is_refused(linked, monkeypatch):
    """The path is resolved again once the file is open, and must name the file that was opened."""
    import corpus.scanning as scanning

    root, outside = linked
    real_open = os.open

    def open_the_swapped_file(path, flags, *args):
        if os.fspath(path) == str(root / "vraie.txt"):
            path = outside / "secret.txt"  # what a link swapped in at that instant would open
        return real_open(path, flags, *args)
    monkeypatch.setattr(scanning.os, "open", open_the_swapped_file)
    with pytest.raises(ReadError) as caught:
        read_bytes(str(root / "vraie.txt"), Folders.of([root]))
    assert "replaced while it was being opened" in caught.value.reason
    assert SECRET.encode() in read_bytes(str(root / "vraie.txt"))  # without folders: what the user named


# -- 2. a text file must be the prose of a document -----------------------------------------------

PASSWD = "".join(f"{u}:x:{i}:{i}:{u}:/home/{u}:/bin/bash\n" for i, u in enumerate(
    "root daemon bin sys sync games man lp mail news uucp proxy www-data backup list irc".split()))
CODE = '''"""Lecture des lettres de la France adressées au Secrétaire général."""

import os


def lire(chemin):
    """Lit le document et renvoie le texte de la lettre."""
    with open(chemin, encoding="utf-8") as f:
        texte = f.read()
    if not texte:
        raise ValueError("la lettre est vide")
    return texte.strip()
'''
CSV = "symbole;date;titre\n" + "".join(
    f"A/78/{n};2024-03-{n:02d};Lettre datée du {n} mars 2024 adressée au Secrétaire général par la France\n"
    for n in range(1, 20))
LOG = "".join(f"2024-03-01 12:00:{n:02d} INFO indexation de la lettre {n} de la France dans le dossier\n"
              for n in range(30))
YAML = "".join(f"titre_{n}: Lettre de la France sur la traite des êtres humains\n" for n in range(12))
HTML = ("<!DOCTYPE html>\n<html lang=\"fr\"><body>\n"
        + "".join(f"<p>{line}</p>\n" for line in letter(6).splitlines() if line) + "</body></html>\n")
HTML_FRAGMENT = "Lettre\n" + "".join(f"<p>{line}</p>\n<br/>\n" for line in letter(7).splitlines() if line)


def json_of_a_letter(tmp_path: Path) -> str:
    record = corpus.read(write(tmp_path / "source" / "lettre.txt", letter(8) * 3))
    return json.dumps(statement_to_json(record), ensure_ascii=False, indent=2)


@pytest.mark.parametrize("name,content,reason", [
    ("passwd.txt", PASSWD, "key: value lines"),
    ("lire.txt", CODE, "source code"),
    ("scanning.txt", (ROOT / "corpus" / "scanning.py").read_text(encoding="utf-8"), "source code"),
    ("table.txt", CSV, "fields separated like CSV"),
    ("journal.txt", LOG, "log lines"),
    ("reglages.txt", YAML, "key: value lines"),
    ("page.txt", HTML, "HTML or XML markup"),
    ("fragment.txt", HTML_FRAGMENT, "HTML or XML markup"),
    ("donnees.txt", json_of_a_letter, "JSON data"),
    ("nombres.txt", "".join(f"{n} {n * 7.25:.2f} {n * n} {n % 7} la\n" for n in range(200)), "digits and signs"),
    ("mots.txt", " ".join(f"mot{n}" for n in range(400)), "few sentences"),
    ("bref.txt", "Hello world, this is a note.", "no French article"),
], ids=["passwd", "code-fr", "code-repo", "csv-fr", "log-fr", "yaml-fr", "html-fr", "html-fragment", "json-fr",
        "numbers", "word-list", "short-english"])
def test_a_text_that_is_not_a_document_is_refused_with_its_kind(tmp_path, name, content, reason):
    text = content(tmp_path) if callable(content) else content
    path = write(tmp_path / "corpus" / name, text)
    started = time.monotonic()
    with pytest.raises(ReadError) as caught:
        corpus.read(path)
    assert caught.value.reason.startswith("not a document: ") and reason in caught.value.reason, caught.value.reason
    assert "\n" not in caught.value.reason and time.monotonic() - started < 1.0


def test_sync_skips_what_is_not_a_document_and_indexes_the_letters(tmp_path):
    root = tmp_path / "corpus"
    write(root / "passwd.txt", PASSWD)
    write(root / "table.txt", CSV)
    write(root / "lettre.txt", letter(9))
    report = sync([root], str(tmp_path / "ix"))
    assert report.added == [str(root / "lettre.txt")]
    assert [s.path.rsplit("/", 1)[1] for s in report.skipped if s.reason.startswith("not a document")] == [
        "passwd.txt", "table.txt"]


def test_every_text_fixture_reads_as_prose():
    """The fixtures are real statements' layouts (cover page, lists of states, Markdown marks)."""
    for path in sorted(FIXTURES.glob("*.txt")):
        record = corpus.read(path)
        assert record.body, path
    # English prose is still prose: the scan skips it as "not French", not as "not a document".
    english = FIXTURES / "ga_letter_belarus_english.txt"
    _, skipped = scanned(english)
    assert [s.kind for s in skipped] == ["not French"]


def test_every_real_statement_and_a_tenth_of_the_akn_texts_read_as_prose(real_corpus):
    from corpus.prose import not_prose

    statements = sorted((real_corpus / "statements").glob("*.txt"))
    assert statements
    for path in statements:
        assert corpus.read(path).language == "fr", path
    # The AKN texts, laid out as the text reader meets them (title, then paragraphs).
    for path in sorted((real_corpus / "unxml").rglob("*.xml"))[::10]:
        try:
            record = corpus.read(path)
        except ReadError:
            continue  # the few damaged upstream files
        assert not_prose(f"{record.title}\n\n{record.body}") is None, path


# -- 3. two files of one name in different folders are two documents ------------------------------

def test_the_same_name_in_two_folders_gives_two_documents_with_stable_ids(tmp_path):
    first = write(tmp_path / "un" / "lettre.txt", letter(10))
    second = write(tmp_path / "deux" / "lettre.txt", letter(11))
    unique = write(tmp_path / "un" / "unique.txt", letter(12))
    forward = sync([tmp_path / "un", tmp_path / "deux"], str(tmp_path / "ix1"))
    backward = sync([tmp_path / "deux", tmp_path / "un"], str(tmp_path / "ix2"))
    assert sorted(forward.added) == sorted(backward.added) == sorted(map(str, (first, second, unique)))
    assert not forward.skipped and not backward.skipped
    found = {}
    for index_dir in ("ix1", "ix2"):
        with Index(tmp_path / index_dir) as ix:
            found[index_dir] = {h.path: h.id for h in ix.search("déclaration", limit=10)}
            assert len(set(found[index_dir].values())) == 3  # distinct ids
            for path in (first, second):
                assert ix.get(found[index_dir][str(path)]).path == str(path)
            assert ix.get("unique").path == str(unique)  # a name found once still finds its document
    assert found["ix1"] == found["ix2"]  # ids do not depend on the order folders are read in


def test_the_same_bytes_or_symbol_in_another_folder_is_still_a_duplicate(tmp_path):
    first = write(tmp_path / "un" / "lettre.txt", letter(13))
    write(tmp_path / "deux" / "copie.txt", letter(13))
    write(tmp_path / "un" / "a.xml", akn_xml("A/RES/78/3", title="Premier"))
    write(tmp_path / "deux" / "a.xml", akn_xml("A/RES/78/3", title="Copie"))
    records, skipped = scanned(tmp_path / "un", tmp_path / "deux")
    assert sorted(r.path for r in records) == [str(tmp_path / "un" / "a.xml"), str(first)]
    assert sorted(s.reason for s in skipped) == [
        f"same content as {first}", f"same symbol A/RES/78/3 and language as {tmp_path / 'un' / 'a.xml'}"]


def test_two_akn_files_without_symbol_and_one_name_are_both_taken(tmp_path):
    xml = akn_xml("A/RES/78/1", title="Océans").replace('<docNumber refersTo="#symbol">A/RES/78/1</docNumber>', "")
    write(tmp_path / "un" / "sans.xml", xml)
    write(tmp_path / "deux" / "sans.xml", xml.replace("Océans", "Forêts"))
    records, skipped = scanned(tmp_path / "un", tmp_path / "deux")
    assert len({r.id for r in records}) == 2 and not skipped
    assert all(r.symbol is None and r.id.startswith("sans (") for r in records)


# -- 4. ids and symbols hold no control character ------------------------------------------------

HIDDEN = ("\x1b]0;titre\x07", "\x9b31m", "\u202e", "\u2066", "\u200b", "\x85", "\x7f", "\u2028")


def _visible(text: str) -> bool:
    return all(unicodedata.category(c)[0] != "C" for c in text)


def test_ids_and_symbols_lose_control_and_bidi_characters(tmp_path):
    root = tmp_path / "corpus"
    for i, hidden in enumerate(HIDDEN):
        write(root / f"lettre{hidden}{i}.txt", letter(20 + i))
    symbol = "A/RES/78/\u202e5\x9b\u2066"  # XML allows these (not C0 controls)
    write(root / "resolution.xml", akn_xml("A/RES/78/5").replace("A/RES/78/5", symbol))
    records, skipped = scanned(root)
    assert len(records) == len(HIDDEN) + 1 and not skipped
    for record in records:
        assert _visible(record.id) and _visible(record.symbol or ""), ascii(record.id)
    assert "A/RES/78/5" in {r.symbol for r in records}
    report = sync([root], str(tmp_path / "ix"))
    with Index(tmp_path / "ix") as ix:
        ids = [h.id for h in ix.search("", limit=100)]
        assert len(ids) == report.documents == len(HIDDEN) + 1 and all(map(_visible, ids))
        assert ix.get("lettre]0;titre0").path.endswith("0.txt")
        assert ix.get("A/RES/78/5").symbol == "A/RES/78/5"


# -- 5. a words cap per document, with a warning ----------------------------------------------

def made_up_word(i: int, prefix: str = "mot") -> str:
    """The i-th of a list of different made-up words."""
    letters = ""
    while True:
        letters += "abcdefghijklmnopqrstuvwxyz"[i % 26]
        i //= 26
        if not i:
            return prefix + letters


def hostile_words(count: int) -> str:
    """`count` different made-up words, in lines that read as French prose (small words between)."""
    word = made_up_word
    lines = (" de la ".join(word(i + k) for k in range(4)) + "." for i in range(0, count, 4))
    return "Lettre datée du 1er mars 2024 de la France\n\n" + "\n".join(lines) + "\n"


def huge_text(count: int) -> str:
    """`count` different words, a small word after every three: 15.x MiB for 1.5 million."""
    def word(i: int) -> str:
        return made_up_word(i, "motx")
    lines = (" ".join(f"{word(i)} {word(i + 1)} de {word(i + 2)}" for i in range(start, start + 12, 3))
             for start in range(0, count, 12))
    return "Lettre datée du 1er mars 2024 de la France\n\n" + "\n".join(lines) + "\n"


def test_a_long_text_is_cut_at_the_caps_with_a_warning(tmp_path):
    started = time.monotonic()
    record, warnings = corpus.scanning.read_with_warnings(write(tmp_path / "long.txt", hostile_words(200_000)))
    assert time.monotonic() - started < 10.0
    assert len(warnings) == 1 and warnings[0].startswith("text cut after ")
    assert len({w.lower() for w in record.body.split()}) <= MAX_DISTINCT
    # A long text of few different words is cut at MAX_WORDS.
    record, warnings = corpus.scanning.read_with_warnings(
        write(tmp_path / "repete.txt", "Lettre\n\n" + "La paix et la sécurité.\n" * (MAX_WORDS // 5 + 10)))
    assert warnings == [f"text cut after {MAX_WORDS:,} words (a document may hold {MAX_WORDS:,} words, "
                        f"{MAX_DISTINCT:,} of them different); the rest is not indexed"]
    assert len(record.body.split()) + len(record.title.split()) <= MAX_WORDS
    # An AKN file is cut too, after its paragraphs are read.
    paragraphs = tuple(hostile_words(40_000).splitlines()[2:])
    record, warnings = corpus.scanning.read_with_warnings(
        write(tmp_path / "long.xml", akn_xml("A/RES/78/9", paragraphs=paragraphs)))
    assert record.symbol == "A/RES/78/9" and warnings and warnings[0].startswith("text cut after ")


def test_a_short_text_is_not_cut(tmp_path):
    record, warnings = corpus.scanning.read_with_warnings(write(tmp_path / "court.txt", hostile_words(2_000)))
    assert warnings == [] and record.body.count("mot") == 2_000


SYNC_A_HUGE_FILE = """
import json, os, resource, sys, time
sys.path.insert(0, sys.argv[1])
from indexer.sync import sync
started = time.monotonic()
report = sync([sys.argv[2]], sys.argv[3], workers=1)
print(json.dumps({"seconds": time.monotonic() - started, "added": report.added,
                  "warnings": [s.reason for s in report.warnings],
                  "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def test_syncing_a_15_mib_text_of_a_million_different_words_is_bounded(tmp_path):
    """Before the caps: 95 s and 2.1 GB. The sync runs in its own process, to measure its memory."""
    path = write(tmp_path / "corpus" / "enorme.txt", huge_text(1_500_000))
    assert 15 * 2**20 < path.stat().st_size < 16 * 2**20
    run = subprocess.run([sys.executable, "-c", SYNC_A_HUGE_FILE, str(ROOT), str(path.parent), str(tmp_path / "ix")],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["added"] == [str(path)] and result["warnings"][0].startswith("text cut after ")
    assert result["seconds"] < 30 and result["max_rss_mib"] < 400, result
    size = sum(f.stat().st_size for f in (tmp_path / "ix").iterdir() if f.is_file())
    assert size < 40 * 2**20, f"index of {size / 2**20:.0f} MiB"
