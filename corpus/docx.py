"""Reader for Word (.docx) files: the standard library's zip and (safe) XML readers give the
paragraphs, tables and footnotes; the text reader's French parser gives the record.

A .docx is a zip archive, so it is opened with limits: the parts read are bounded in size and
in compression ratio (a zip bomb is refused before it is inflated), and their XML goes through
the AKN reader's parser, which refuses DTDs and entities and bounds nesting and elements.
Headers and footers are parts of their own, which are not read: no running heads in the text.
"""

from __future__ import annotations

import io
import zipfile
import xml.etree.ElementTree as ET

from .akn import parse_xml
from .errors import ReadError
from .record import Statement
from .textreader import parse_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
DOCUMENT = "word/document.xml"
FOOTNOTES = "word/footnotes.xml"
MAX_PART_BYTES = 64 * 2**20  # the XML of a 70-page resolution is under 1 MiB
MAX_RATIO = 100              # Word's XML inflates about 10 times; bombs by thousands
MAX_ENTRIES = 10_000         # a Word file holds a few dozen parts
MAX_ELEMENTS = 2_000_000     # a 70-page resolution holds about 60,000 elements
# Run content that is text, by element name; anything else in a run is skipped.
_RUN_TEXT = {f"{W}t": None, f"{W}tab": "\t", f"{W}br": "\n", f"{W}cr": "\n",
             f"{W}noBreakHyphen": "-", f"{W}softHyphen": ""}
_SKIP = {f"{W}pPr", f"{W}rPr", f"{W}tblPr", f"{W}trPr", f"{W}tcPr", f"{W}sectPr", f"{W}delText",
         f"{W}del", f"{W}instrText", MC_FALLBACK}


def read_docx(path: str, data: bytes, checksum: str) -> tuple[Statement, list[str]]:
    """Parse a Word file into a Statement (and no warnings: Word's text is always Unicode)."""
    return parse_text(path, docx_text(path, data), checksum), []


def docx_text(path: str, data: bytes) -> str:
    """The text of a Word file: one paragraph a block, table cells a line each, footnotes at the end."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise ReadError(path, "not a Word file (not a zip archive)") from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise ReadError(path, f"zip archive of {len(entries):,} entries (the limit is {MAX_ENTRIES:,})")
        names = {entry.filename: entry for entry in entries}
        if DOCUMENT not in names:
            raise ReadError(path, f"not a Word document (no {DOCUMENT} in the archive)")
        body = _xml(path, archive, names[DOCUMENT]).find(f"{W}body")
        notes = _footnotes(_xml(path, archive, names[FOOTNOTES])) if FOOTNOTES in names else {}
    if body is None:
        raise ReadError(path, "Word document without a body")
    blocks: list[str] = []
    cited: list[str] = []
    for child in body:
        blocks += _block(child, cited)
    text = "\n\n".join(b for b in blocks if b.strip())
    found = [f"{n}. {notes[ref]}" for n, ref in enumerate(dict.fromkeys(cited), 1) if notes.get(ref)]
    return text + ("\n\nNotes\n\n" + "\n\n".join(found) if found else "")


def _xml(path: str, archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> ET.Element:
    """One part of the archive, inflated within the size and ratio limits and parsed safely."""
    name = entry.filename
    if entry.file_size > MAX_PART_BYTES:
        raise ReadError(path, f"{name} inflates to {entry.file_size / 2**20:,.0f} MiB "
                              f"(the limit is {MAX_PART_BYTES // 2**20} MiB): a zip bomb?")
    if entry.file_size > 2**20 and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
        raise ReadError(path, f"{name} inflates {entry.file_size // max(entry.compress_size, 1):,} times "
                              f"(the limit is {MAX_RATIO}): a zip bomb?")
    try:
        with archive.open(entry) as handle:
            data = handle.read(MAX_PART_BYTES + 1)  # the sizes the archive declares may lie
    except (zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, NotImplementedError, OSError, EOFError) as exc:
        raise ReadError(path, f"{name} cannot be inflated ({exc})") from None
    if len(data) > MAX_PART_BYTES or len(data) > max(2**20, MAX_RATIO * max(entry.compress_size, 1)):
        raise ReadError(path, f"{name} inflates beyond what its archive declares: a zip bomb?")
    try:
        return parse_xml(path, data, max_elements=MAX_ELEMENTS, kind="Word")
    except ReadError as exc:
        raise ReadError(path, f"{name}: {exc.reason}") from None


def _footnotes(root: ET.Element) -> dict[str, str]:
    """Footnote texts by id (the separators Word keeps among them left out)."""
    notes: dict[str, str] = {}
    for note in root.iter(f"{W}footnote"):
        if note.get(f"{W}type") in (None, "normal"):
            text = " ".join(" ".join(_paragraph(p, []).split()) for p in note.iter(f"{W}p")).strip()
            notes[note.get(f"{W}id", "")] = text
    return notes


def _block(node: ET.Element, cited: list[str]) -> list[str]:
    """Text blocks of a body element: a paragraph, a table (a line per cell), a content control."""
    if node.tag == f"{W}p":
        return [_paragraph(node, cited)]
    if node.tag == f"{W}tbl":
        lines = [line for row in node.iter(f"{W}tr") for cell in row.findall(f"{W}tc")
                 for p in cell.iter(f"{W}p") for line in _paragraph(p, cited).split("\n")]
        return ["\n".join(line for line in lines if line.strip())]
    if node.tag == f"{W}sdt":
        content = node.find(f"{W}sdtContent")
        return [b for child in (content if content is not None else ()) for b in _block(child, cited)]
    return []


def _paragraph(node: ET.Element, cited: list[str]) -> str:
    """A paragraph's text: runs, tabs and line breaks; footnote references noted in `cited`."""
    parts: list[str] = []

    def walk(element: ET.Element) -> None:
        for child in element:
            tag = child.tag
            if tag in _SKIP:
                continue
            if tag in _RUN_TEXT:
                text = _RUN_TEXT[tag]
                parts.append((child.text or "") if text is None else text)
            elif tag == f"{W}footnoteReference":
                cited.append(child.get(f"{W}id", ""))
            elif tag != f"{W}tbl":  # a table nested in a paragraph's text box is read on its own
                walk(child)

    walk(node)
    return "".join(parts)
