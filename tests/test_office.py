"""PDF and Word files: the office corpus read as its AKN sources say, the seed letter in three
formats, one document across formats, and hostile files refused fast with one line."""

from __future__ import annotations

import csv
import io
import re
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

import corpus
from corpus import docx, layout
from corpus.errors import ReadError
from corpus.french import normalize_spaces
from corpus.record import MEMBER, SENDER, StateRole
from corpus.scanning import DUPLICATE, read_with_warnings
from tests.pdfbytes import image_page, pdf, text_page
from search import Index

from tests.conftest import corpus_dir

MEMBERS = set("BHR BGD BLR BOL EGY ARE ERI RUS IND KAZ KGZ LBY NIC NGA UZB PHL QAT LAO SGP TJK TKM VEN".split())
_WORD = re.compile(r"\w+(?:[’'/]\w+)*")


def office_dir() -> Path:
    path = corpus_dir() / "office"
    if not (path / "SOURCES.tsv").is_file() or not (corpus_dir() / "unxml").is_dir():
        pytest.skip(f"the office corpus is not at {path} (set ONU_SEARCH_CORPUS to the shared corpus folder)")
    return path


@pytest.fixture(scope="module")
def sources() -> list[dict[str, str]]:
    with open(office_dir() / "SOURCES.tsv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def source_record(row: dict[str, str]) -> corpus.Statement:
    """The record of the file an office file was made from (AKN, or the seed's text)."""
    base = corpus_dir() if row["source"].startswith("statements/") else corpus_dir() / "unxml"
    return corpus.read(base / row["source"])


# -- the office corpus ---------------------------------------------------------------------------

def test_every_office_file_has_the_cover_of_its_source(sources):
    assert len(sources) == 162
    for row in sources:
        record, warnings = read_with_warnings(office_dir() / row["file"])
        source = source_record(row)
        assert warnings == [], row["file"]
        got = (record.symbol, record.organ, record.date, record.session, [a.number for a in record.agenda_items])
        # where the AKN file has no session (ECOSOC 2021, emergency sessions), the cover prints it
        session = source.session or (int(row["session"]) if row["session"] else None)
        want = (source.symbol, source.organ, source.date, session, [a.number for a in source.agenda_items])
        assert got == want, row["file"]
        assert record.symbol == (normalize_spaces(row["symbol"]) or None), row["file"]


def _phrase(text: str, start: int = 0, words: int = 10) -> str:
    return '"' + " ".join(_WORD.findall(normalize_spaces(text))[start:start + words]) + '"'


def _sentence(body: str, others: list[str], read: str) -> tuple[str, int] | None:
    """A phrase from a source's body that the fewest other sources hold (best none): ten words of
    a long paragraph, from the middle of the text outwards; and how many sources hold it. The
    phrase must be in the text read from the office file too (`read`): a few of them lack a
    sentence of their source (E/RES/2022/13 its "à l’Assemblée générale d’adopter ..."), but
    not more than the first candidates."""
    paragraphs = [p for p in body.split("\n\n") if len(_WORD.findall(p)) >= 12]
    middle = len(paragraphs) // 2
    best: tuple[str, int] | None = None
    tried = 0
    for paragraph in sorted(paragraphs, key=lambda p: abs(paragraphs.index(p) - middle)):
        for start in range(2, max(3, len(_WORD.findall(paragraph)) - 10), 5):
            phrase = _phrase(paragraph, start)
            if "/" in phrase:  # symbols are words of their own kind
                continue
            if phrase.strip('"') not in read:
                tried += 1
                assert tried < 5, ("the text read lacks the source's phrases", phrase)
                continue
            count = sum(phrase.strip('"') in other for other in others)
            if best is None or count < best[1]:
                best = (phrase, count)
            if count == 1:
                return best
    return best  # None: a body without a paragraph of twelve words


@pytest.fixture(scope="module")
def office_index(tmp_path_factory, sources):
    from indexer.sync import sync

    index_dir = tmp_path_factory.mktemp("office-index")
    report = sync([office_dir()], str(index_dir))
    return index_dir, report


def test_every_office_file_is_indexed(office_index, sources):
    _, report = office_index
    # the seed letter is one document: its Word file is kept, its PDF is a duplicate of it
    taken = [(s.path.rsplit("/", 1)[-1], s.kind) for s in report.skipped if s.kind != "unsupported"]
    assert taken == [("seed-letter.pdf", DUPLICATE)]
    assert len(report.added) == len(sources) - 1 and report.warnings == []


def test_title_and_body_phrases_find_each_office_file_first(office_index, sources):
    index_dir, _ = office_index
    with Index(index_dir) as ix:
        records = [source_record(row) for row in sources]
        short = 0
        titles = [r.title for r in records]
        bodies = list({row["source"]: " ".join(_WORD.findall(normalize_spaces(r.body)))
                       for row, r in zip(sources, records)}.values())
        for row, title, source in zip(sources, titles, records):
            path = str(office_dir() / row["file"])
            if row["file"] == "pdf/seed-letter.pdf":
                path = str(office_dir() / "docx" / "seed-letter.docx")
            # documents with the same title (a resolution adopted by two organs) tie
            ties = sum(1 for other in titles if _phrase(other) == _phrase(title))
            read = " ".join(_WORD.findall(normalize_spaces(corpus.read(path).body)))
            sentence = _sentence(source.body, bodies, read)
            short += sentence is None
            for query, tied in (("title:" + _phrase(title), ties), sentence or ("title:" + _phrase(title), ties)):
                hits = [h.path for h in ix.search(query, limit=max(tied, 1))]
                assert path in hits, (row["file"], query, hits)
    assert short <= 3  # bodies too short for a phrase


# -- the seed letter in three formats -----------------------------------------------------------

def test_the_seed_letter_is_the_same_record_from_text_pdf_and_word():
    office = office_dir()
    text = corpus.read(corpus_dir() / "statements" / "000_b95a1824a29d38a3.txt")
    for name in ("pdf/seed-letter.pdf", "docx/seed-letter.docx"):
        record, warnings = read_with_warnings(office / name)
        assert warnings == []
        for field in ("symbol", "title", "language", "original_language", "organ", "doc_type", "date",
                      "session", "agenda_items", "signatories", "states", "groups"):
            assert getattr(record, field) == getattr(text, field), (name, field)
        assert set(record.state_codes(MEMBER)) == MEMBERS and StateRole("BLR", SENDER) in record.states
        assert "A/RES/68/192" in record.references
        assert set(record.references) == set(text.references)


# -- one document across formats ----------------------------------------------------------------

def test_the_richest_format_is_kept_whatever_comes_first(tmp_path, write_akn):
    """An AKN file and a Word file of the same symbol: the AKN record is kept, also when the
    Word file was indexed first (it is then dropped from the index as a duplicate)."""
    from indexer.sync import sync

    folder = tmp_path / "corpus"
    folder.mkdir()
    word = folder / "A_RES_78_1-F.docx"
    word.write_bytes(_docx("<w:p><w:r><w:t>Nations Unies</w:t></w:r></w:p><w:p><w:r><w:t>A/RES/78/1</w:t></w:r></w:p>"
                           "<w:p><w:r><w:t>Assemblée générale</w:t></w:r></w:p>"
                           "<w:p><w:r><w:t>Titre de la résolution</w:t></w:r></w:p>"
                           "<w:p><w:r><w:t>Texte de la résolution.</w:t></w:r></w:p>"))
    index_dir = tmp_path / "ix"
    first = sync([folder], str(index_dir))
    assert first.added == [str(word)]
    akn = write_akn("A_RES_78_1F.xml", symbol="A/RES/78/1")
    second = sync([folder], str(index_dir))
    assert second.added == [str(akn)]
    assert [(s.path, s.kind) for s in second.skipped] == [(str(word), DUPLICATE)]
    assert "richer format" in second.skipped[0].reason
    with Index(index_dir) as ix:
        assert ix.get("A/RES/78/1").path == str(akn) and ix.search("").total == 1
    scan = corpus.scan([folder])
    assert [r.path for r in scan] == [str(akn)]
    assert [(s.path, s.kind) for s in scan.skipped] == [(str(word), DUPLICATE)]


# -- layout -------------------------------------------------------------------------------------

def test_hyphens_at_line_ends_are_joined_unless_the_word_has_one():
    text = layout._dehyphenate("la mise en œuvre de l’engage\x00ment et de l’engagement ; "
                               "soixante\x00dix-neuvième ; sous-régional et sous\x00régional ; Haut-Com\x00missaire ; "
                               "du 3\x0014 juin")
    assert text == ("la mise en œuvre de l’engagement et de l’engagement ; soixante-dix-neuvième ; "
                    "sous-régional et sous-régional ; Haut-Commissaire ; du 3-14 juin")


def test_two_columns_are_read_one_after_the_other(tmp_path):
    left = [f"gauche {i} " + "mot " * 10 for i in range(6)]
    right = [f"droite {i} " + "mot " * 10 for i in range(6)]
    content = b"BT /F1 10 Tf " + b"".join(
        b"1 0 0 1 %d %d Tm (%s) Tj " % (x, 700 - 12 * i, line.encode())
        for i, (a, b) in enumerate(zip(left, right)) for x, line in ((57, a), (310, b))) + b"ET"
    path = tmp_path / "columns.pdf"
    path.write_bytes(pdf([text_page("Titre du document sur toute la largeur de la page, au-dessus des colonnes")[:-2]
                          + b" ET " + content]))
    from corpus.pdf import pdf_text
    text, _ = pdf_text(str(path), path.read_bytes())
    order = [int(m.group(2)) + (6 if m.group(1) == "droite" else 0) for m in re.finditer(r"(gauche|droite) (\d)", text)]
    assert order == list(range(12)), text


# -- hostile files ------------------------------------------------------------------------------

def _refused(path: Path) -> str:
    """The one-line reason a file is refused, checked to come within a second."""
    started = time.monotonic()
    with pytest.raises(ReadError) as caught:
        read_with_warnings(path)
    assert time.monotonic() - started < 1.0
    assert "\n" not in caught.value.reason
    return caught.value.reason


def _encrypted() -> bytes:
    return pdf([text_page("Secret")],
               trailer_extra=b"/Encrypt 4 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>] ",
               extra_objects=(b"<< /Filter /Standard /V 1 /R 2 /O <" + b"41" * 32 + b"> /U <" + b"42" * 32
                              + b"> /P -4 >>",))


@pytest.mark.parametrize("name, data, expected", [
    ("encrypted.pdf", _encrypted(), "encrypted PDF: a password is needed"),
    ("broken.pdf", b"%PDF-1.4\n" + bytes(range(256)) * 40, "damaged PDF"),
    ("long.pdf", pdf([b""] * 5000), "PDF of 5,000 pages (the limit is 1,000)"),
    ("scan.pdf", pdf([image_page(), image_page()]), "no text layer; OCR is not supported"),
    ("page.pdf", b"<html><body>Ceci n'est pas un PDF</body></html>", "not a PDF file"),
])
def test_hostile_pdfs_are_refused_with_a_reason(tmp_path, name, data, expected):
    path = tmp_path / name
    path.write_bytes(data)
    assert expected in _refused(path)


def test_a_damaged_cross_reference_table_is_repaired_with_a_warning(tmp_path):
    path = tmp_path / "xref.pdf"
    good = pdf([text_page("Nations Unies", "A/78/1", "Assemblée générale", "", "Titre", "", "Texte du document.")])
    path.write_bytes(good.replace(b"startxref\n", b"startxref\n9"))
    record, warnings = read_with_warnings(path)
    assert record.symbol == "A/78/1" and "Texte du document." in record.body
    assert warnings == ["damaged cross-reference table (the file was repaired to be read)"]


def _docx(body: str, *, prolog: str = "", extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml",
                         f'<?xml version="1.0"?>{prolog}<w:document xmlns:w='
                         f'"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>')
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_docx_zip_bomb_is_refused_before_it_is_inflated(tmp_path):
    path = tmp_path / "bombe.docx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (8 * 2**20) + b"</w:document>")
    path.write_bytes(buffer.getvalue())
    tracemalloc.start()
    try:
        reason = _refused(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "inflates" in reason and "zip bomb" in reason and peak < 4 * 2**20


def test_a_docx_part_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(docx, "MAX_PART_BYTES", 2**16)
    path = tmp_path / "grand.docx"
    path.write_bytes(_docx("<w:p><w:r><w:t>" + "".join(f"mot{i} " for i in range(20_000)) + "</w:t></w:r></w:p>"))
    assert "inflates to" in _refused(path)


@pytest.mark.parametrize("prolog", [
    '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    '<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
    '<!DOCTYPE w:document SYSTEM "http://example.invalid/word.dtd">',
])
def test_a_docx_with_a_dtd_or_entities_is_refused(tmp_path, prolog):
    path = tmp_path / "entites.docx"
    path.write_bytes(_docx("<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>", prolog=prolog))
    reason = _refused(path)
    assert reason.startswith("word/document.xml: XML with a DTD or entities is refused")


@pytest.mark.parametrize("data, expected", [
    (b"PK\x03\x04 not really a zip", "not a Word file"),
    (b"Texte brut nomme .docx", "not a Word file"),
    (_docx("", extra={}).replace(b"word/document.xml", b"word/other000.xml"), "no word/document.xml"),
])
def test_a_docx_that_is_not_one_is_refused(tmp_path, data, expected):
    path = tmp_path / "faux.docx"
    path.write_bytes(data)
    assert expected in _refused(path)


def test_hostile_files_do_not_stop_a_sync(tmp_path, write_akn):
    from indexer.sync import sync

    folder = tmp_path / "corpus"
    write_akn("A_RES_78_1F.xml")
    (folder / "scan.pdf").write_bytes(pdf([image_page()]))
    (folder / "encrypted.pdf").write_bytes(_encrypted())
    (folder / "faux.docx").write_bytes(b"rien")
    report = sync([folder], str(tmp_path / "ix"))
    assert report.documents == 1
    assert sorted(s.reason for s in report.skipped) == ["encrypted PDF: a password is needed to open it",
                                                        "no text layer; OCR is not supported",
                                                        "not a Word file (not a zip archive)"]
