"""Reader for PDF files: PDFium (pypdfium2) gives positioned characters, corpus.layout the text,
and the text reader's French cover-page and body parser the record.

PDFium was chosen by measurement on the office corpus (README: "PDF and Word files"):
it reads text about 25 times faster than pypdf or pdfminer.six, in half their memory,
gives each character's box and font size (for columns, headers, footnotes and hyphens)
and repairs damaged cross-reference tables the way browsers do.
"""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING

from .errors import ReadError
from .layout import Page, Piece, document_text
from .record import Statement
from .textreader import parse_text

if TYPE_CHECKING:  # loaded only when a PDF is read
    from pypdfium2 import PdfDocument, PdfPage

MAX_PAGES = 1000      # the UN's longest documents (budgets, reports) have a few hundred pages
MAX_SECONDS = 60.0    # a 70-page resolution takes about 2 s; a file slower than this is refused
MAX_PAGE_CHARS = 100_000  # a dense page holds 6,000 characters
_HEADER_WINDOW = 1024  # readers accept "%PDF-" anywhere in the first KiB
_ERRORS = {
    2: "PDF file could not be opened",
    3: "damaged PDF (its structure cannot be read, not even repaired)",
    4: "encrypted PDF: a password is needed to open it",
    5: "PDF protected by a security handler that is not supported",
    6: "damaged PDF (a page cannot be read)",
}
# PDFium's marks of a hyphen it found at a line end, and of other characters it made up.
_MADE_UP = str.maketrans({"\ufffe": "-", "\x02": "-", "\ufffd": None})


def is_pdf(data: bytes) -> bool:
    """Whether the bytes start like a PDF file."""
    return b"%PDF-" in data[:_HEADER_WINDOW]


def read_pdf(path: str, data: bytes, checksum: str) -> tuple[Statement, list[str]]:
    """Parse a PDF file into a Statement; also return warnings (such as a repaired file)."""
    text, warnings = pdf_text(path, data)
    return parse_text(path, text, checksum), warnings


def pdf_text(path: str, data: bytes) -> tuple[str, list[str]]:
    """The text of a PDF in reading order, and warnings; ReadError with the reason when it has none."""
    if not is_pdf(data):
        raise ReadError(path, "not a PDF file (it does not start with %PDF-)")
    import pypdfium2 as pdfium  # imported here: only PDF files pay for loading PDFium

    warnings = [] if _xref_ok(data) else ["damaged cross-reference table (the file was repaired to be read)"]
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise ReadError(path, _ERRORS.get(exc.err_code or 0, f"PDF could not be opened ({exc})")) from None
    try:
        count = len(document)
        if count > MAX_PAGES:
            raise ReadError(path, f"PDF of {count:,} pages (the limit is {MAX_PAGES:,})")
        pages = _pages(path, document, count)
    finally:
        document.close()
    if not any(piece.text.strip() for page in pages for piece in page.pieces):
        raise ReadError(path, "no text layer; OCR is not supported")
    return document_text(pages), warnings


def _pages(path: str, document: PdfDocument, count: int) -> list[Page]:
    """Every page's pieces, within the time limit."""
    import pypdfium2 as pdfium

    deadline = time.monotonic() + MAX_SECONDS
    pages = []
    for number in range(count):
        if time.monotonic() > deadline:
            raise ReadError(path, f"PDF too slow to read (over {MAX_SECONDS:.0f} s, at page {number + 1} of {count})")
        try:
            page = document[number]
        except pdfium.PdfiumError:
            raise ReadError(path, f"damaged PDF (page {number + 1} cannot be read)") from None
        try:
            width, height = page.get_size()
            pages.append(Page(width, height, _pieces(path, page, number)))
        finally:
            page.close()
    return pages


def _pieces(path: str, page: PdfPage, number: int) -> list[Piece]:
    """Runs of characters of a page: a run ends at a line break PDFium found, a gap wider than
    the font size, a step back, or a change of font size (a superscript)."""
    import ctypes

    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    try:
        handle = textpage.raw
        count = raw.FPDFText_CountChars(handle)
        if count > MAX_PAGE_CHARS:
            raise ReadError(path, f"page {number + 1} holds {count:,} characters (the limit is {MAX_PAGE_CHARS:,})")
        text = textpage.get_text_range() if count > 0 else ""
        if len(text) != count:  # characters outside the BMP: read one by one
            text = "".join(chr(raw.FPDFText_GetUnicode(handle, i) or 32) for i in range(count))
        rect = raw.FS_RECTF()
        box = ctypes.byref(rect)
        loose = raw.FPDFText_GetLooseCharBox
        font_size = raw.FPDFText_GetFontSize
        pieces: list[Piece] = []
        chars: list[str] = []
        left = bottom = right = top = current = 0.0
        space = False

        def flush() -> None:
            nonlocal chars
            if chars and "".join(chars).strip():
                pieces.append(Piece("".join(chars).translate(_MADE_UP), left, bottom, right, top, current))
            chars = []

        for i, ch in enumerate(text):
            if ch in "\r\n":
                flush()
                space = False
                continue
            if ch.isspace():
                space = True
                continue
            loose(handle, i, box)
            x0, y0, x1, y1 = rect.left, rect.bottom, rect.right, rect.top
            size = font_size(handle, i)
            if chars and (x0 < right - 0.5 * current or x0 - right > current or not bottom <= (y0 + y1) / 2 <= top
                          or abs(size - current) > 0.15 * current):
                flush()
                space = False
            if not chars:
                left, bottom, right, top, current = x0, y0, x1, y1, size
            else:
                if space:
                    chars.append(" ")
                right, bottom, top = max(right, x1), min(bottom, y0), max(top, y1)
            chars.append(ch)
            space = False
        flush()
        return pieces
    finally:
        textpage.close()


def _xref_ok(data: bytes) -> bool:
    """Whether the last startxref points at a cross-reference table or stream."""
    tail = data[-2048:]
    found = re.findall(rb"startxref\s+(\d+)", tail)
    if not found:
        return False
    offset = int(found[-1])
    if offset >= len(data):
        return False
    return re.match(rb"\s*(?:xref\b|\d+\s+\d+\s+obj\b)", data[offset:offset + 64]) is not None
