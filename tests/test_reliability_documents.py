"""Reliability: bad documents are refused one by one, each with its reason, and the run goes on.

Every hostile file is generated here in tmp_path (nothing big or binary is
committed). Each case is checked at the reading layer (corpus.read, corpus.scan)
and, in one corpus holding all of them, through `indexer.sync`, whose
report.skipped must name every bad file while the good ones are indexed.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import signal
import sys
import time
import tracemalloc
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

import corpus
from corpus.errors import ReadError
from corpus.record import statement_to_json
from corpus.scanning import MAX_BYTES, OUTSIDE, read_with_warnings
from indexer.sync import sync
from search import Index
from search.cli import main
from tests.audit import touched
from tests.conftest import akn_xml

FIXTURES = Path(__file__).parent / "fixtures" / "text"
SECRET = "SECRETSENTINELLE"  # written in a file beside the corpus; no record may ever contain it
BOM = b"\xef\xbb\xbf"
LETTER = ("Assemblée générale\n\nA/78/900\n\nDistr. générale\n4 mars 2024\nFrançais\nOriginal : français\n\n"
          "Lettre datée du 1er mars 2024, adressée au Secrétaire général par le Représentant permanent "
          "de la France\n\nJ’ai l’honneur de vous transmettre la déclaration sur la traite des êtres humains.\n\n"
          "La coopération régionale est renforcée.\n")


# -- helpers ------------------------------------------------------------------------------------

class Timeout(Exception):
    pass


@contextlib.contextmanager
def within(seconds: float):
    """Fail (instead of hanging the suite) when the block takes longer than `seconds`."""
    def expired(signum, frame):
        raise Timeout(f"took more than {seconds} s")
    old = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def refused(path: Path, *, seconds: float = 5.0) -> str:
    """The reason corpus.read gives for refusing a file (fails if it reads it or takes too long)."""
    with within(seconds), pytest.raises(ReadError) as caught:
        corpus.read(path)
    assert caught.value.path == str(path)
    return caught.value.reason


@contextlib.contextmanager
def peak_memory():
    """A one-element list that holds, after the block, the peak Python memory allocated inside it."""
    tracemalloc.start()
    result = [0]
    try:
        yield result
    finally:
        result[0] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _fields(record) -> tuple:
    return (record.id, record.symbol, record.title, record.body, record.date, record.session, record.states,
            record.agenda_items, record.language)


def _skipped(skipped, name) -> list[str]:
    return [s.reason for s in skipped if os.path.basename(s.path.rstrip("/")) == name]


def _scan_skipped(path):
    scan = corpus.scan([path])
    list(scan)
    return scan.skipped


def _sparse(path: Path, size: int) -> None:
    with open(path, "wb") as handle:
        handle.truncate(size)


def akn(symbol: str, **kwargs) -> bytes:
    return akn_xml(symbol, **kwargs).encode("utf-8")


def _with_dtd(dtd: str, *, title: str = "Titre", body: str = "Texte.") -> str:
    """An AKN document whose text uses entities declared in `dtd` (the title and body are raw XML)."""
    xml = akn_xml("A/RES/78/666", title="TITLE_SLOT", paragraphs=("BODY_SLOT",))
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{dtd}\n' + xml.replace("TITLE_SLOT", title).replace(
        "BODY_SLOT", body)


def billion_laughs() -> bytes:
    levels = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    return _with_dtd(f"<!DOCTYPE akomaNtoso [{''.join(levels)}]>", title="&lol9;", body="&lol9;").encode()


def quadratic_blowup() -> bytes:
    return _with_dtd(f'<!DOCTYPE akomaNtoso [<!ENTITY a "{"x" * 50_000}">]>', body="&a;" * 2_000).encode()


def external_entity(secret: Path) -> bytes:
    return _with_dtd(f'<!DOCTYPE akomaNtoso [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>', body="&xxe;").encode()


def external_dtd(secret: Path) -> bytes:
    return _with_dtd(f'<!DOCTYPE akomaNtoso SYSTEM "{secret.as_uri()}">').encode()


def parameter_entity(secret: Path) -> bytes:
    dtd = f'<!DOCTYPE akomaNtoso [<!ENTITY % p SYSTEM "{secret.as_uri()}"> %p;]>'
    return _with_dtd(dtd).encode()


def utf16_smuggled_dtd() -> bytes:
    """A DTD in UTF-16, where no byte sequence spells <!DOCTYPE or <!ENTITY, with the bytes of
    <akomaNtoso hidden in a comment (they decode to CJK characters) so the file looks like AKN."""
    hidden = b"<akomaNtoso ".decode("utf-16-le")
    xml = _with_dtd('<!DOCTYPE akomaNtoso [<!ENTITY x "INJECTE">]>', title="&x;")
    xml = xml.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    head, rest = xml.split("\n", 1)
    return "\ufeff".encode("utf-16-le") + f"{head}\n<!--{hidden}-->{rest}".encode("utf-16-le")


def late_doctype() -> bytes:
    """<akomaNtoso in a comment near the start, the DTD after the first 4 KiB."""
    xml = _with_dtd('<!DOCTYPE akomaNtoso [<!ENTITY x "INJECTE">]>', title="&x;")
    head, rest = xml.split("\n", 1)
    return f"{head}\n<!-- <akomaNtoso {'.' * 5000} -->\n{rest}".encode()


def xinclude(secret: Path) -> bytes:
    xml = akn_xml("A/RES/78/667", paragraphs=("XI_SLOT",))
    inc = f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{secret}" parse="text"/>'
    return xml.replace("XI_SLOT", inc).encode()


def deeply_nested(depth: int = 20_000) -> bytes:
    xml = akn_xml("A/RES/78/668", paragraphs=("DEEP_SLOT",))
    return xml.replace("DEEP_SLOT", "<span>" * depth + "profond" + "</span>" * depth).encode()


def many_elements(count: int = 250_000) -> bytes:
    xml = akn_xml("A/RES/78/669", paragraphs=("MANY_SLOT",))
    return xml.replace("MANY_SLOT", "<span/>" * count).encode()


def mixed_line_endings(text: str) -> str:
    out, endings = [], ["\r\n", "\n", "\r"]
    for i, line in enumerate(text.split("\n")):
        out.append(line + (endings[i % 3] if i < text.count("\n") else ""))
    return "".join(out)


# -- the reading layer: one file at a time ------------------------------------------------------

@pytest.mark.parametrize("data,reason", [
    (b"", "empty file"),
    (b"  \n\r\n\t  ", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, "binary file, not XML"),
    (bytes(range(1, 256)) * 40, "binary file, not XML"),  # binary without a single NUL byte
    (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 100, "binary file, not XML"),  # a .docx renamed
    (b"Ceci est du texte, pas du XML.", "not XML"),
    (b'<?xml version="1.0"?>\n<html><body><p>Bonjour</p></body></html>', "not an Akoma Ntoso document (root <html>)"),
    (b'<root><akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0"/></root>',
     "not an Akoma Ntoso document (root <root>)"),
    (b'<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0"><statement/></akomaNtoso>',
     "without <meta>"),
    (b'<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0"></akomaNtoso>', "without <meta>"),
    (akn("A/RES/78/1")[:700], "malformed XML"),
    (akn("A/RES/78/1")[:-40], "malformed XML"),
    (akn("A/RES/78/1").replace(b"</mainBody>", b"</mainbody>"), "malformed XML"),
    (akn("A/RES/78/1").replace(b"Texte.", b"Texte \xff\xfe invalide."), "malformed XML"),
    (b'<?xml version="1.0" encoding="x-inconnu"?>\n' + akn("A/RES/78/1"), "malformed XML"),
    (deeply_nested(), "nested more than"),
    (many_elements(), "more than 200,000 elements"),
], ids=["empty", "blank", "png", "binary-no-nul", "docx", "prose", "html", "wrong-root", "no-meta", "no-doc",
        "truncated-head", "truncated-tail", "mismatched-tag", "bad-utf8", "unknown-encoding", "deep-nesting",
        "many-elements"])
def test_a_bad_xml_file_is_refused_with_its_reason(tmp_path, data, reason):
    path = tmp_path / "bad.xml"
    path.write_bytes(data)
    assert reason in refused(path)


@pytest.mark.parametrize("data,reason", [
    (b"", "empty file"),
    (b"\n\n   \n", "empty file"),
    (b"Texte\x00\x01\x02 binaire" * 10, "binary"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    (b"\xff\xfeA", "UTF-16"),
], ids=["empty", "blank", "binary", "pdf", "odd-utf16"])
def test_a_bad_text_file_is_refused_with_its_reason(tmp_path, data, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    assert reason in refused(path)


@pytest.mark.parametrize("make", [billion_laughs, quadratic_blowup, utf16_smuggled_dtd, late_doctype],
                         ids=["billion-laughs", "quadratic-blowup", "utf16-smuggled", "doctype-after-4k"])
def test_entity_bombs_and_dtds_are_refused_at_once_in_bounded_memory(tmp_path, make):
    path = tmp_path / "bomb.xml"
    path.write_bytes(make())
    started = time.monotonic()
    with peak_memory() as peak:
        reason = refused(path)
    assert "DTD" in reason
    assert time.monotonic() - started < 1.0
    assert peak[0] < 8 * 2**20, f"peak {peak[0] / 2**20:.1f} MiB"


@pytest.mark.parametrize("make", [external_entity, external_dtd, parameter_entity, xinclude],
                         ids=["external-entity", "external-dtd", "parameter-entity", "xinclude"])
def test_nothing_outside_the_file_is_read(tmp_path, make):
    secret = tmp_path / "secret.txt"
    secret.write_text(f"{SECRET}\n", encoding="utf-8")
    path = tmp_path / "hostile.xml"
    path.write_bytes(make(secret))
    with touched() as opened:
        try:
            record = corpus.read(path)
        except ReadError as exc:
            assert "DTD" in exc.reason and SECRET not in str(exc)
        else:  # only XInclude parses: it is an unknown element, never followed
            assert SECRET not in json.dumps(statement_to_json(record), ensure_ascii=False)
    # Only the document itself, and Python's or the project's own files (loaded on first use), are opened.
    own = tuple(os.path.realpath(p) + os.sep for p in (sys.prefix, sys.base_prefix, Path(__file__).parents[1]))
    assert str(path) in opened and str(secret) not in opened
    assert all(p == str(path) or os.path.realpath(p).startswith(own) for p in opened), f"opened {opened}"


def test_a_50_mb_file_is_refused_from_its_size_without_being_read(tmp_path):
    path = tmp_path / "enorme.xml"
    with open(path, "wb") as handle:  # sparse: 50 MB long, no disk used
        handle.seek(50 * 2**20 - len(akn("A/RES/78/1")))
        handle.write(akn("A/RES/78/1"))
    started = time.monotonic()
    with peak_memory() as peak:
        reason = refused(path)
    assert reason.startswith("file too large (50 MiB; the limit is") and str(MAX_BYTES // 2**20) in reason
    assert time.monotonic() - started < 1.0 and peak[0] < 2**20


def test_a_device_or_pipe_named_like_a_document_neither_hangs_nor_fills_memory(tmp_path):
    (tmp_path / "zero.xml").symlink_to("/dev/zero")  # endless bytes, and a size of 0
    os.mkfifo(tmp_path / "pipe.txt")  # opening it for reading would wait for a writer forever
    for name in ("zero.xml", "pipe.txt"):
        assert "not a regular file" in refused(tmp_path / name, seconds=3.0)


def test_a_file_that_grows_past_the_limit_while_it_is_read_is_refused(tmp_path, monkeypatch):
    import corpus.scanning as scanning

    path = tmp_path / "grows.txt"
    path.write_bytes(LETTER.encode() * 100)  # a few KiB when its size is checked...
    monkeypatch.setattr(scanning, "MAX_BYTES", 1024)  # ...over the (lowered) limit once read
    real_fstat = os.fstat
    monkeypatch.setattr(scanning.os, "fstat", lambda fd: os.stat_result(
        (*real_fstat(fd)[:6], 10, *real_fstat(fd)[7:])))
    assert "grew while being read" in refused(path)


@pytest.mark.parametrize("pattern", ["[", "![", "**", "__", "_", "*", "_a ", "**a ", "[a](", "](", "(", "[a",
                                     "**a*", "_a_", "[[]]("])
def test_hostile_markdown_reads_in_linear_time(pattern):
    from corpus.prose import SAMPLE
    from corpus.textreader import read_text

    line = pattern * (200_000 // len(pattern))
    prose = "La coopération régionale est renforcée par les États Membres.\n" * (SAMPLE // 60)  # passes for prose
    data = f"Lettre datée du 1er mars 2024\n\n{prose}\n{line}\n\nMembres du Groupe :\n\n{line}\n".encode()
    with within(10.0):  # the quadratic regular expressions took minutes on 100 KB
        started = time.monotonic()
        read_text("hostile.txt", data, "c")
    assert time.monotonic() - started < 3.0


def test_markdown_marks_are_still_removed(tmp_path):
    path = tmp_path / "marks.txt"
    path.write_text("Lettre\n\nLe **groupe** et le __comité__ ; _voir A_RES_78_1_ et [le texte](A/78/1).\n",
                    encoding="utf-8")
    assert corpus.read(path).body == "Le groupe et le comité ; voir A_RES_78_1 et le texte."


def test_text_in_cp1252_and_utf16_is_read_with_a_warning(tmp_path):
    record, warnings = read_with_warnings(FIXTURES / "sc_letter_inde_cp1252_crlf.txt")
    assert record.symbol == "S/2022/912" and "é" in record.title and "cp1252" in warnings[0]
    record, warnings = read_with_warnings(FIXTURES / "hrc_note_philippines_utf16.txt")
    assert "Philippines" in record.body and "UTF-16" in warnings[0]
    reference = corpus.read(_write(tmp_path / "utf8.txt", LETTER.encode()))
    for encoding, warning in (("utf-16-le", "guessed LE"), ("utf-16-be", "guessed BE"), ("utf-16", "byte-order")):
        record, warnings = read_with_warnings(_write(tmp_path / f"{encoding}.txt", LETTER.encode(encoding)))
        assert (record.title, record.body, record.date) == (reference.title, reference.body, reference.date)
        assert warning in warnings[0]
    record, warnings = read_with_warnings(_write(tmp_path / "cp.txt", LETTER.encode("cp1252")))
    assert (record.title, record.body) == (reference.title, reference.body) and "cp1252" in warnings[0]


def test_a_byte_order_mark_changes_nothing(tmp_path):
    text = corpus.read(_write(tmp_path / "plain.txt", LETTER.encode()))
    with_bom = corpus.read(_write(tmp_path / "bom.txt", BOM + LETTER.encode()))
    assert _fields(with_bom) == _fields(text) and not with_bom.title.startswith("\ufeff")
    xml = corpus.read(_write(tmp_path / "plain.xml", akn("A/RES/78/5", title="Océans")))
    xml_bom = corpus.read(_write(tmp_path / "bom.xml", BOM + akn("A/RES/78/5", title="Océans")))
    declared = BOM + b'<?xml version="1.0" encoding="UTF-8"?>\n' + akn("A/RES/78/5", title="Océans")
    xml_bom_decl = corpus.read(_write(tmp_path / "bomdecl.xml", declared))
    assert _fields(xml_bom) == _fields(xml) == _fields(xml_bom_decl) and xml.title == "Océans"
    bom = corpus.read(FIXTURES / "ga_letter_france_bom_crlf.txt")
    assert bom.symbol == "A/71/789" and not any("\ufeff" in v for v in (bom.id, bom.title, bom.body))


def test_an_akn_file_in_utf16_is_read(tmp_path):
    xml = '<?xml version="1.0" encoding="UTF-16"?>\n' + akn_xml("A/RES/78/6", title="Désarmement")
    record = corpus.read(_write(tmp_path / "utf16.xml", xml.encode("utf-16")))
    assert record.symbol == "A/RES/78/6" and record.title == "Désarmement"


def test_mixed_line_endings_read_like_plain_ones(tmp_path):
    plain = corpus.read(_write(tmp_path / "lf.txt", LETTER.encode()))
    mixed = corpus.read(_write(tmp_path / "mixed.txt", mixed_line_endings(LETTER).encode()))
    assert b"\r\n" in (tmp_path / "mixed.txt").read_bytes() and b"\r" in (tmp_path / "mixed.txt").read_bytes()
    assert _fields(mixed) == _fields(plain) and "\r" not in mixed.body + mixed.title
    crlf_xml = akn("A/RES/78/7", paragraphs=("Premier.", "Second.")).replace(b"\n", b"\r\n")
    assert corpus.read(_write(tmp_path / "crlf.xml", crlf_xml)).body == "1. Premier.\n\n2. Second."


def test_a_reader_failing_in_an_unforeseen_way_gives_a_read_error(tmp_path, monkeypatch):
    import corpus.scanning as scanning

    def broken(*args):
        raise ValueError("oups")
    monkeypatch.setattr(scanning, "read_text", broken)
    assert refused(_write(tmp_path / "a.txt", LETTER.encode())) == "could not be read (ValueError: oups)"

    def deep(*args):
        return deep(*args)
    monkeypatch.setattr(scanning, "read_text", deep)
    assert "nested too deep" in refused(_write(tmp_path / "b.txt", LETTER.encode()))


def test_unreadable_file_and_vanished_file_have_reasons(tmp_path, monkeypatch):
    locked = _write(tmp_path / "verrou.txt", LETTER.encode())
    vanished = _write(tmp_path / "parti.txt", LETTER.encode())
    dangling = tmp_path / "lien.txt"
    dangling.symlink_to(tmp_path / "nulle-part.txt")
    real_open = os.open

    def fake_open(path, flags, *args, **kwargs):
        if os.fspath(path) == str(locked):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        if os.fspath(path) == str(vanished):
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", str(path))
        return real_open(path, flags, *args, **kwargs)
    monkeypatch.setattr(os, "open", fake_open)
    assert refused(locked) == "permission denied"
    assert refused(vanished) == "file vanished before it could be read"
    assert refused(dangling) == "broken symbolic link"


# -- scanning folders -----------------------------------------------------------------------------

@pytest.fixture
def unlistable(tmp_path, monkeypatch):
    """A folder c/ with ok.xml and a subfolder secret/ that cannot be listed.

    Tests run as root, where chmod 000 would not stop us, so listing is patched.
    """
    _write(tmp_path / "c" / "ok.xml", akn("A/RES/78/1"))
    _write(tmp_path / "c" / "secret" / "hidden.xml", akn("A/RES/78/2"))
    real_scandir = os.scandir

    def scandir(path="."):
        if os.fspath(path).endswith("secret"):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real_scandir(path)
    monkeypatch.setattr(os, "scandir", scandir)
    return tmp_path / "c"


def test_a_folder_that_cannot_be_listed_is_reported_and_the_rest_is_scanned(unlistable):
    scan = corpus.scan([unlistable])
    assert [r.symbol for r in scan] == ["A/RES/78/1"]
    assert _skipped(scan.skipped, "secret") == ["folder cannot be listed (Permission denied)"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root reads folders whatever their permissions; the monkeypatched test covers it")
def test_a_folder_without_read_permission_for_real(tmp_path):
    _write(tmp_path / "c" / "ok.xml", akn("A/RES/78/1"))
    _write(tmp_path / "c" / "secret" / "hidden.xml", akn("A/RES/78/2"))
    (tmp_path / "c" / "secret").chmod(0)
    try:
        scan = corpus.scan([tmp_path / "c"])
        assert [r.symbol for r in scan] == ["A/RES/78/1"]
        assert _skipped(scan.skipped, "secret") == ["folder cannot be listed (Permission denied)"]
    finally:
        (tmp_path / "c" / "secret").chmod(0o755)


def test_symbolic_link_loops_are_cut_and_reported(tmp_path):
    root = tmp_path / "c"
    _write(root / "a.xml", akn("A/RES/78/1"))
    _write(root / "sub" / "b.xml", akn("A/RES/78/2"))
    (root / "sub" / "boucle").symlink_to(root, target_is_directory=True)  # sub/boucle -> c
    (root / "self.xml").symlink_to(root / "self.xml")  # a link to itself
    (root / "x.xml").symlink_to(root / "y.xml")
    (root / "y.xml").symlink_to(root / "x.xml")
    with within(10.0):
        scan = corpus.scan([root])
        assert sorted(r.symbol for r in scan) == ["A/RES/78/1", "A/RES/78/2"]
    assert _skipped(scan.skipped, "boucle") == ["folder seen before (symbolic link loop)"]
    for name in ("self.xml", "x.xml", "y.xml"):
        assert _skipped(scan.skipped, name) == [os.strerror(errno.ELOOP)]
    (root / "root-loop").symlink_to(root / "root-loop")
    assert _skipped(_scan_skipped(root / "root-loop"), "root-loop") == ["broken symbolic link or link loop"]


def test_names_with_spaces_accents_and_bad_bytes(tmp_path):
    root = tmp_path / "Dossier été 2024"
    nfc = _write(root / "Lettre n° 1 (copie).txt", LETTER.encode())
    nfd = _write(root / unicodedata.normalize("NFD", "Déclaration à l’ONU.xml"), akn("A/RES/78/8"))
    bad = os.path.join(os.fsencode(root), b"lettre-\xe9t\xe9.txt")  # Latin-1 bytes: not UTF-8
    with open(bad, "wb") as handle:
        handle.write(LETTER.replace("A/78/900", "A/78/901").encode())
    os.makedirs(os.path.join(os.fsencode(root), b"sous-dossier-\xe9"))
    scan = corpus.scan([root])
    records = {r.path: r for r in scan}
    assert set(records) == {str(nfc), str(nfd)}
    assert records[str(nfc)].symbol == "A/78/900" and records[str(nfd)].symbol == "A/RES/78/8"
    bad_names = [s for s in scan.skipped if "not valid UTF-8" in s.reason]
    assert sorted(os.path.basename(s.path) for s in bad_names) == ["lettre-\ufffdt\ufffd.txt",
                                                                    "sous-dossier-\ufffd"]
    for item in bad_names:  # what is reported can be printed and stored
        item.path.encode("utf-8")


# -- the same files through indexer.sync and the command line ------------------------------------

HOSTILE = {  # file name -> (bytes, or a function of the folder that makes the file), expected reason
    "vide.xml": (b"", "empty file"),
    "vide.txt": (b"", "empty file"),
    "binaire.xml": (b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)) * 4, "binary file, not XML"),
    "tronque.xml": (akn("A/RES/78/90")[:900], "malformed XML"),
    "pas-akn.xml": (b'<?xml version="1.0"?><rss><channel/></rss>', "not an Akoma Ntoso document (root <rss>)"),
    "bombe.xml": (billion_laughs(), "DTD"),
    "explosion.xml": (quadratic_blowup(), "DTD"),
    "utf16-dtd.xml": (utf16_smuggled_dtd(), "DTD"),
    "xxe.xml": (lambda d: external_entity(d.parent / "secret.txt"), "DTD"),
    "dtd-externe.xml": (lambda d: external_dtd(d.parent / "secret.txt"), "DTD"),
    "profond.xml": (deeply_nested(), "nested more than"),
    "enorme.txt": (lambda d: _sparse(d / "enorme.txt", 50 * 2**20), "file too large"),
    "zero.xml": (lambda d: (d / "zero.xml").symlink_to("/dev/zero"), OUTSIDE),
    "tube.txt": (lambda d: os.mkfifo(d / "tube.txt"), "not a regular file"),
    "pdf.txt": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
    "crochets.txt": (b"Lettre de la France\n\n" + b"[" * 300_000, None),  # hostile but readable: indexed
}
GOOD = {  # file name -> bytes, symbol
    "bonne.xml": (akn("A/RES/78/50", title="Traite des êtres humains", paragraphs=("La traite des enfants.",)),
                  "A/RES/78/50"),
    "bom.xml": (BOM + akn("A/RES/78/51", title="Océans", paragraphs=("Le droit de la mer.",)), "A/RES/78/51"),
    "Lettre d’été n° 2.txt": (BOM + mixed_line_endings(LETTER).encode(), "A/78/900"),
    "cp1252.txt": ((FIXTURES / "sc_letter_inde_cp1252_crlf.txt").read_bytes(), "S/2022/912"),
    "utf16.txt": ((FIXTURES / "hrc_note_philippines_utf16.txt").read_bytes(), "utf16"),
}


def _hostile_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder.parent / "secret.txt").write_text(SECRET, encoding="utf-8")
    for name, (content, _) in HOSTILE.items():
        if callable(content):
            content = content(folder)  # makes the file, or returns its bytes
        if content is not None:
            (folder / name).write_bytes(content)
    for name, (content, _) in GOOD.items():
        (folder / "sous dossier été" / name).parent.mkdir(exist_ok=True)
        (folder / "sous dossier été" / name).write_bytes(content)
    (folder / "boucle").symlink_to(folder, target_is_directory=True)
    return folder


@pytest.fixture(scope="module")
def hostile_sync(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    folder = _hostile_corpus(base / "corpus")
    with within(60.0):
        report = sync([folder], str(base / "ix"))
    return folder, base / "ix", report


@pytest.mark.parametrize("name", sorted(n for n, (_, why) in HOSTILE.items() if why))
def test_sync_reports_each_bad_file_and_goes_on(hostile_sync, name):
    folder, _, report = hostile_sync
    reasons = [s.reason for s in report.skipped if s.path == str(folder / name)]
    assert len(reasons) == 1 and HOSTILE[name][1] in reasons[0], reasons


def test_sync_indexes_every_good_file_and_reports_the_loop(hostile_sync):
    folder, index_dir, report = hostile_sync
    good = {str(folder / "sous dossier été" / n) for n in GOOD} | {str(folder / "crochets.txt")}
    assert set(report.added) == good and report.documents == len(good)
    assert [s.reason for s in report.skipped if s.path == str(folder / "boucle")] == [
        "folder seen before (symbolic link loop)"]
    assert sorted(s.path for s in report.warnings) == sorted(
        str(folder / "sous dossier été" / n) for n in ("cp1252.txt", "utf16.txt"))
    with Index(index_dir) as ix:
        assert ix.search("traite enfants").hits[0].symbol == "A/RES/78/50"
        assert ix.search("coopération régionale").hits[0].path == str(folder / "sous dossier été"
                                                                      / "Lettre d’été n° 2.txt")
        assert {h.symbol for h in ix.search("", limit=100)} >= {"A/RES/78/50", "A/RES/78/51", "A/78/900"}
    again = sync([folder], str(index_dir))
    assert again.unchanged == len(good) and not again.changed


def test_no_record_in_the_index_holds_the_secret(hostile_sync):
    _, index_dir, _ = hostile_sync
    with Index(index_dir) as ix:
        everything = ix.search("", limit=1000)
        assert everything.total == len(GOOD) + 1
        for hit in everything:
            assert SECRET.lower() not in json.dumps(statement_to_json(ix.get(hit.id)), ensure_ascii=False).lower()
        assert ix.search(SECRET).total == 0


def test_a_file_that_vanishes_between_listing_and_reading_is_reported(tmp_path, monkeypatch):
    import indexer.sync as sync_module

    root = tmp_path / "c"
    for i in range(3):
        _write(root / f"d{i}.xml", akn(f"A/RES/78/{i + 1}"))
    real = sync_module.fingerprint

    def fingerprint_then_delete(path):
        result = real(path)
        if path.endswith("d1.xml"):
            os.unlink(path)  # listed and planned, gone before it is read
        return result
    monkeypatch.setattr(sync_module, "fingerprint", fingerprint_then_delete)
    report = sync([root], str(tmp_path / "ix"))
    assert sorted(os.path.basename(p) for p in report.added) == ["d0.xml", "d2.xml"]
    assert [(s.path, s.reason) for s in report.skipped] == [
        (str(root / "d1.xml"), "file vanished before it could be read")]


def test_a_file_that_vanishes_during_a_scan_is_reported(tmp_path):
    root = tmp_path / "c"
    for i in range(3):
        _write(root / f"d{i}.xml", akn(f"A/RES/78/{i + 1}"))
    scan = corpus.scan([root])
    symbols = []
    for record in scan:
        symbols.append(record.symbol)
        if record.path.endswith("d0.xml"):
            (root / "d1.xml").unlink()
    assert symbols == ["A/RES/78/1", "A/RES/78/3"]
    assert [s.reason for s in scan.skipped] == ["file vanished before it could be read"]


def test_sync_reports_a_folder_that_cannot_be_listed(unlistable, tmp_path):
    report = sync([unlistable], str(tmp_path / "ix"))
    assert report.added == [str(tmp_path / "c" / "ok.xml")]
    assert [(s.path, s.reason) for s in report.skipped] == [
        (str(unlistable / "secret"), "folder cannot be listed (Permission denied)")]


def test_sync_skips_names_that_are_not_utf8_instead_of_crashing(tmp_path):
    root = tmp_path / "c"
    _write(root / "ok.xml", akn("A/RES/78/1"))
    with open(os.path.join(os.fsencode(root), b"lettre\xe9.xml"), "wb") as handle:
        handle.write(akn("A/RES/78/2"))
    report = sync([root], str(tmp_path / "ix"))
    assert report.added == [str(root / "ok.xml")]
    assert [(s.path, s.reason) for s in report.skipped] == [
        (str(root / "lettre\ufffd.xml"), "name is not valid UTF-8 (rename it to index it)")]


def test_a_reader_bug_on_one_file_does_not_stop_the_sync(tmp_path, monkeypatch):
    import corpus.scanning as scanning

    root = tmp_path / "c"
    _write(root / "a.xml", akn("A/RES/78/1"))
    _write(root / "b.txt", LETTER.encode())
    monkeypatch.setattr(scanning, "read_text", lambda *a: 1 / 0)
    report = sync([root], str(tmp_path / "ix"))
    assert report.added == [str(root / "a.xml")]
    assert [s.reason for s in report.skipped] == ["could not be read (ZeroDivisionError: division by zero)"]


def _cli(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), \
        f"{type(result.exception).__name__}: {result.exception}"
    assert "Traceback" not in result.output
    return result


def test_cli_index_and_inspect_report_bad_files_without_a_traceback(tmp_path):
    folder = _hostile_corpus(tmp_path / "corpus")
    with open(os.path.join(os.fsencode(folder), b"nom-\xe9.txt"), "wb") as handle:
        handle.write(LETTER.encode())
    with within(60.0):
        indexed = _cli("index", folder, "--index", tmp_path / "ix")
    assert indexed.exit_code == 0
    for name, (_, why) in HOSTILE.items():
        if why:
            assert f"{folder / name}: " in indexed.output and why in indexed.output
    assert "nom-\ufffd.txt: name is not valid UTF-8" in indexed.output
    assert f"{len(GOOD) + 1} documents in the whoosh index" in indexed.output.splitlines()[-1]
    as_json = _cli("index", folder, "--index", tmp_path / "ix", "--json")
    assert as_json.exit_code == 0 and json.loads(as_json.output)["unchanged"] == len(GOOD) + 1
    with within(60.0):
        inspected = _cli("inspect", folder, "--json")
    assert inspected.exit_code == 0
    data = json.loads(inspected.output)
    assert len(data["records"]) == len(GOOD) + 1
    assert SECRET not in inspected.output


def test_a_symbol_already_indexed_from_another_folder_is_reported_not_swapped_in(tmp_path):
    first = _write(tmp_path / "un" / "a.xml", akn("A/RES/78/1", title="Premier"))
    _write(tmp_path / "deux" / "a.xml", akn("A/RES/78/1", title="Copie"))
    index_dir = str(tmp_path / "ix")
    sync([tmp_path / "un"], index_dir)
    report = sync([tmp_path / "deux"], index_dir)
    assert [s.kind for s in report.skipped] == ["duplicate"] and not report.added
    with Index(index_dir) as ix:
        assert ix.get("A/RES/78/1").path == str(first)
