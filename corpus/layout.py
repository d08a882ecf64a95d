"""Text in reading order from positioned pieces of text: the layout half of the PDF reader.

A page is a list of pieces (runs of characters on one line, with their box and
font size). This module drops the running headers and footers, reads two-column
bands column by column, moves footnotes to the end, joins wrapped lines into
paragraphs and hyphenated words back into words. It knows the UN's conventions
(symbol and page numbers in headers, job number and barcode in the first page's
footer), not one layout. Pure geometry: no PDF library here.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from . import french

# A placeholder between the two halves of a word hyphenated at a line end, resolved at the end.
_SPLIT = "\x00"
_HYPHENS = "-\u2010\u00ad\ufffe\x02"
# Running matter: page numbers, job numbers "23-23443 (F)", barcodes "*2323443*", processing dates.
_RUNNING = re.compile(
    r"(?:(?:page\s*)?\d{1,4}\s*/\s*\d{1,4}|page\s*\d{1,4}|\d{2}-\d{5,6}(?:\s*\([A-Z]\))?|\*\d{5,}\*|\d{6}"
    r"|\(\d{4}\)|\([A-Z]\)|merci de recycler|please recycle|\u2672)",
    re.IGNORECASE)
_NOTE_START = re.compile(r"\d{1,3}\b")
# Words a compound's first half can end with, so that a hyphen at a line end after them is real.
_COMPOUND_HEADS = frozenset(
    "soixante quatre vingt vingts dix sous non ex vice demi mi semi arrière avant après grand grande "
    "haut haute nord sud est ouest porte chef chefs cessez cessez-le ci lui elle eux elles celui celle "
    "ceux celles nous vous moi toi quatre-vingt états-unis".split())
_COMPOUND_TAILS = frozenset("ci là même mêmes dix huit neuf sept six un une deux trois quatre cinq".split())


@dataclass(frozen=True)
class Piece:
    """A run of text on one line of a page: its box (PDF points, y up) and font size."""

    text: str
    left: float
    bottom: float
    right: float
    top: float
    size: float

    @property
    def height(self) -> float:
        return self.top - self.bottom


@dataclass
class Page:
    """The pieces of one page and its size."""

    width: float
    height: float
    pieces: list[Piece]


@dataclass
class _Row:
    """Pieces side by side at one height."""

    pieces: list[Piece] = field(default_factory=list)

    @property
    def top(self) -> float:
        return max(p.top for p in self.pieces)

    @property
    def bottom(self) -> float:
        return min(p.bottom for p in self.pieces)

    @property
    def left(self) -> float:
        return min(p.left for p in self.pieces)

    @property
    def right(self) -> float:
        return max(p.right for p in self.pieces)

    @property
    def size(self) -> float:
        return max(p.size for p in self.pieces)


@dataclass
class _Line:
    """One line of text in reading order, with what paragraphs are told apart by."""

    text: str
    left: float
    right: float
    top: float
    bottom: float
    size: float
    cell: bool = False  # one cell of a table row: never joined to the lines around it


def document_text(pages: Sequence[Page]) -> str:
    """The text of a document's pages, in reading order, as lines and paragraphs; notes at the end."""
    rows = [_rows(page.pieces) for page in pages]
    _drop_running(pages, rows)
    body_size = _body_size(rows)
    paragraphs: list[str] = []
    notes: list[str] = []
    state = _Joiner(paragraphs)
    for number, (page, page_rows) in enumerate(zip(pages, rows)):
        for flow in _flows(page, page_rows):
            lines = [line for row in flow for line in _lines(row) if line.text]
            kept, foot = _split_notes(lines, body_size, page.height)
            state.add_flow(kept, number)
            notes += _notes(foot)
    state.close()
    text = "\n\n".join(p for p in paragraphs if p.strip())
    if notes:
        text += "\n\nNotes\n\n" + "\n\n".join(notes)
    return _dehyphenate(text)


# -- rows and running matter --------------------------------------------------------------

def _rows(pieces: Sequence[Piece]) -> list[_Row]:
    """Pieces grouped into rows (side by side, overlapping vertically by half the smaller),
    top to bottom. Small pieces (superscripts) join a row after the others have made them."""
    if not pieces:
        return []
    sizes = sorted(p.size for p in pieces)
    usual = sizes[len(sizes) // 2]
    rows: list[_Row] = []
    small = [p for p in pieces if p.size < 0.8 * usual]
    for piece in sorted((p for p in pieces if p.size >= 0.8 * usual), key=lambda p: (-p.top, p.left)):
        row = next((r for r in reversed(rows[-3:]) if _fits(piece, r)), None)
        if row is None:
            rows.append(_Row([piece]))
        else:
            row.pieces.append(piece)
    for piece in small:
        row = max((r for r in rows if _fits(piece, r)), key=lambda r: _overlap(piece, r), default=None)
        if row is None:
            rows.append(_Row([piece]))
        else:
            row.pieces.append(piece)
    rows.sort(key=lambda r: -r.top)
    for row in rows:
        row.pieces.sort(key=lambda p: p.left)
    return rows


def _overlap(piece: Piece, row: _Row) -> float:
    return min(row.top, piece.top) - max(row.bottom, piece.bottom)


def _fits(piece: Piece, row: _Row) -> bool:
    """Whether a piece belongs on a row: beside its pieces, and level with them."""
    beside = all(piece.left >= p.right - 1 or piece.right <= p.left + 1 for p in row.pieces)
    return beside and _overlap(piece, row) >= 0.5 * min(piece.height, row.top - row.bottom)


def _running(row: _Row) -> bool:
    """Whether a header or footer row holds only a symbol, page numbers, job numbers and the like."""
    text = _RUNNING.sub(" ", french.normalize_spaces(" ".join(p.text for p in row.pieces)))
    return all(french.parse_symbol_line(token) for token in text.split())


def _masked(row: _Row) -> str:
    return re.sub(r"\d+", "#", " ".join(p.text.strip() for p in row.pieces))


def _drop_running(pages: Sequence[Page], rows: list[list[_Row]]) -> None:
    """Remove running headers and footers: rows at the top or bottom of a page, apart from the
    text, that hold only page furniture (symbol, "2/5", job number, barcode), that name the
    symbol beside a short title, or that repeat on other pages."""
    repeated = Counter(_masked(r) for page_rows in rows for r in page_rows[:2] + page_rows[-3:])
    for number, (page, page_rows) in enumerate(zip(pages, rows)):
        zone = 0.12 * page.height
        # headers (not on the first page, whose top is the cover)
        while number and page_rows and page_rows[0].bottom > page.height - zone:
            row = page_rows[0]
            gap = row.bottom - page_rows[1].top if len(page_rows) > 1 else row.size
            if gap < 0.6 * row.size:
                break
            symbol = any(french.parse_symbol_line(p.text) for p in row.pieces)
            if not (symbol or _running(row) or repeated[_masked(row)] > 1):
                break
            page_rows.pop(0)
        while page_rows and page_rows[-1].top < zone:
            row = page_rows[-1]
            if not (_running(row) or (number and repeated[_masked(row)] > 1)):
                break
            page_rows.pop()


def _body_size(rows: Sequence[Sequence[_Row]]) -> float:
    """The font size of most of the text."""
    sizes: Counter[float] = Counter()
    for page_rows in rows:
        for row in page_rows:
            for p in row.pieces:
                sizes[round(p.size, 1)] += len(p.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


# -- columns --------------------------------------------------------------------------------

def _gutter(page: Page, rows: Sequence[_Row]) -> float | None:
    """The x of the gap between two columns: the place near the middle that the fewest pieces cross."""
    pieces = [p for row in rows for p in row.pieces]
    if len(pieces) < 8:
        return None
    best: tuple[int, float] | None = None
    x = 0.3 * page.width
    while x <= 0.7 * page.width:
        crossing = sum(1 for p in pieces if p.left < x < p.right)
        if best is None or crossing < best[0]:
            best = (crossing, x)
        x += 2.0
    if best is None or best[0] > 0.5 * len(rows):
        return None
    # the middle of the empty stretch around the best x
    lo = max((p.right for p in pieces if p.right <= best[1]), default=best[1])
    hi = min((p.left for p in pieces if p.left >= best[1]), default=best[1])
    return (lo + hi) / 2


def _is_column(rows: Sequence[_Row], page: Page) -> bool:
    """Whether rows look like a column of running text: several lines, most of them full width
    (only the lines in the usual type are counted, not a title or footnotes)."""
    usual = Counter(round(r.size) for r in rows).most_common(1)[0][0] if rows else 0
    rows = [r for r in rows if round(r.size) == usual]
    if len(rows) < 3:
        return False
    left = min(r.left for r in rows)
    right = max(r.right for r in rows)
    if right - left < 0.25 * page.width:
        return False
    full = sum(1 for r in rows if r.right - r.left >= 0.8 * (right - left))
    return full >= 0.5 * len(rows)


def _flows(page: Page, rows: Sequence[_Row]) -> list[list[_Row]]:
    """Rows in reading order, cut into flows: a one-column stretch, or each column of a
    two-column band (left, then right); rows that cross the gutter end a band."""
    gutter = _gutter(page, rows)
    if gutter is None:
        return [list(rows)]
    flows: list[list[_Row]] = []
    single: list[_Row] = []
    band: list[_Row] = []

    def close_band() -> None:
        for part in _split_band(band, gutter):
            left = [_Row([p for p in r.pieces if p.right <= gutter]) for r in part]
            right = [_Row([p for p in r.pieces if p.left >= gutter]) for r in part]
            left, right = [r for r in left if r.pieces], [r for r in right if r.pieces]
            if (_is_column(left, page) or not left) and (_is_column(right, page) or not right):
                if single:
                    flows.append(single[:])
                    single.clear()
                flows.extend(side for side in (left, right) if side)  # columns, or the first one alone
            else:
                single.extend(part)
        band.clear()

    for row in rows:
        if any(p.left < gutter < p.right for p in row.pieces):
            close_band()
            single.append(row)
        else:
            band.append(row)
    close_band()
    if single:
        flows.append(single)
    return flows


def _split_band(band: Sequence[_Row], gutter: float) -> list[list[_Row]]:
    """A band cut before and after each stretch of lines on one side only that lies in a gap of
    the other side's text three lines high or more (a cover's right-hand cell, then a title on
    the left, then two columns): each part is then read on its own."""
    def side(row: _Row, right: bool) -> list[Piece]:
        return [p for p in row.pieces if (p.left >= gutter if right else p.right <= gutter)]

    parts: list[list[_Row]] = []
    start = i = 0
    while i < len(band):
        left, right = bool(side(band[i], False)), bool(side(band[i], True))
        j = i
        while j < len(band) and (bool(side(band[j], False)), bool(side(band[j], True))) == (left, right):
            j += 1
        if left != right:
            before = [p for row in band[:i] for p in side(row, left)]
            after = [p for row in band[j:] for p in side(row, left)]
            size = min(r.size for r in band[i:j])
            if before and after and min(p.bottom for p in before) - max(p.top for p in after) >= 3 * size:
                parts += [list(band[start:i]), list(band[i:j])]
                start = j
        i = j
    parts.append(list(band[start:]))
    return [part for part in parts if part]


# -- lines, notes, paragraphs ---------------------------------------------------------------

def _lines(row: _Row) -> list[_Line]:
    """A row's text: pieces joined by a space, each table cell (far apart) a line of its own;
    superscripts glued to the word before ("45e"), superscript note numbers dropped."""
    main = [p for p in row.pieces if not _superscript(p, row)] or row.pieces
    base = min(p.bottom for p in main)
    cells: list[list[Piece]] = []
    texts: list[list[str]] = []
    last: Piece | None = None
    last_right = 0.0
    for piece in row.pieces:
        text = piece.text.strip()
        if piece not in main and piece.bottom > base + 0.15 * piece.size:
            if not re.fullmatch(r"[\d,*\s]+", text) and texts:
                texts[-1].append(text)  # "45e", "1er"; digits are a note's reference, read apart
            last_right = piece.right
            continue
        if last is None or piece.left - last_right > 2.0 * last.size:
            cells.append([])
            texts.append([])
        elif piece.left - last_right > 0.15 * piece.size or last.text.endswith(" ") or piece.text.startswith(" "):
            texts[-1].append(" ")
        cells[-1].append(piece)
        texts[-1].append(text)
        last, last_right = piece, piece.right
    if len(cells) > 1 and _justified(cells):
        texts = [[w for i, words in enumerate(texts) for w in ([" "] if i else []) + words]]
        cells = [[p for cell in cells for p in cell]]
    return [_Line(re.sub(r" {2,}", " ", "".join(words)).strip(), min(p.left for p in cell),
                  max(p.right for p in cell), max(p.top for p in cell), min(p.bottom for p in cell),
                  max(cell, key=lambda p: len(p.text)).size, len(cells) > 1) for cell, words in zip(cells, texts)]


def _justified(cells: Sequence[Sequence[Piece]]) -> bool:
    """Whether wide gaps are a short justified line's stretched spaces (three or more words, even
    gaps), not the gaps between table cells."""
    if len(cells) < 3:
        return False
    gaps = [b[0].left - a[-1].right for a, b in zip(cells, cells[1:])]
    return max(gaps) <= 1.3 * min(gaps)


def _superscript(piece: Piece, row: _Row) -> bool:
    return piece.size < 0.8 * row.size and len(piece.text.strip()) <= 4


def _split_notes(lines: list[_Line], body_size: float, height: float) -> tuple[list[_Line], list[_Line]]:
    """The lines of a flow, and its footnotes: the smaller-type lines at its foot, from a numbered one."""
    if not lines or lines[-1].bottom > 0.4 * height:
        return lines, []
    start = len(lines)
    while start > 0 and (lines[start - 1].size < 0.92 * body_size or re.fullmatch(r"\d{1,3}", lines[start - 1].text)):
        start -= 1
    while start < len(lines) and not _NOTE_START.match(lines[start].text):
        start += 1
    if start == len(lines) or start == 0:
        return lines, []
    return lines[:start], lines[start:]


def _notes(lines: Sequence[_Line]) -> list[str]:
    """Footnote lines as one paragraph per note ("1. Text"), wrapped lines joined."""
    notes: list[str] = []
    number = ""
    for line in lines:
        if re.fullmatch(r"\d{1,3}", line.text):
            number = line.text + " "  # the note's number, apart from its text
            continue
        match = re.match(r"(\d{1,3})\s+(.*)", number + line.text)
        number = ""
        if match or not notes:
            notes.append(f"{match.group(1)}. {match.group(2)}" if match else line.text)
        else:
            notes[-1] = _join(notes[-1], line.text)
    return [re.sub(r"\s+", " ", n) for n in notes]


def _join(before: str, after: str) -> str:
    """Two lines of one paragraph as one: a word hyphenated at the line end is marked for later."""
    if before and before[-1] in _HYPHENS:
        return before[:-1] + (_SPLIT if after[:1].isalpha() else "-") + after
    return f"{before} {after}"


def _below(line: _Line, previous: _Line) -> bool:
    """Whether a line sits right under another, as the next line of one paragraph does."""
    return (previous.bottom - line.top < 0.45 * max(line.size, previous.size)
            and line.left < previous.right and line.right > previous.left and line.top < previous.top)


class _Joiner:
    """Lines to paragraphs: a line joins the one before when that one runs to the column's
    right edge and this one is not set apart by a larger gap or an indent; a line after a
    short one starts a line of its own; a larger gap starts a paragraph."""

    def __init__(self, out: list[str]) -> None:
        self.out = out
        self.current: list[str] = []
        self.last_full = False
        self.previous: _Line | None = None
        self.page: int | None = None

    def add_flow(self, lines: Sequence[_Line], page: int | None = None) -> None:
        """Add the lines of one flow (a column, or a one-column stretch of a page); a flow that
        goes on right below the last line of the one before (on the same page) continues it."""
        if not lines:
            return
        # the right margin: where justified lines end (three or more of them), else the widest line
        margin_bucket, count = Counter(round(line.right / 2) for line in lines).most_common(1)[0]
        right = 2 * margin_bucket + 1 if count >= 3 else max(line.right for line in lines)
        left = min(line.left for line in lines)
        width = max(right - left, 1.0)
        margin = left + 0.04 * width
        previous = self.previous if page is not None and page == self.page else None
        if previous is not None and not _below(lines[0], previous):
            previous = None
        self.page = page
        for line in lines:
            if previous is None:  # a new flow: only a sentence carried over joins
                join = self.last_full and not line.cell and line.text[:1].islower()
                if not join:
                    self._paragraph()
            elif previous.bottom - line.top > 0.45 * max(line.size, previous.size):
                join = False
                self._paragraph()
            else:
                join = (self.last_full and not line.cell and not previous.cell
                        and previous.left <= left + 0.25 * width and not (line.left > margin >= previous.left))
            if join and self.current:
                self.current[-1] = _join(self.current[-1], line.text)
            else:
                self.current.append(line.text)
            previous = self.previous = line
            self.last_full = line.right >= right - 0.12 * width and not line.cell

    def _paragraph(self) -> None:
        if self.current:
            self.out.append("\n".join(self.current))
        self.current = []

    def close(self) -> None:
        """End the last paragraph."""
        self._paragraph()


# -- hyphenation ----------------------------------------------------------------------------

_WORDS = re.compile(r"[\w’'\-]+")


def _dehyphenate(text: str) -> str:
    """Resolve each word split at a line end: the hyphen stays where the document writes the word
    with it elsewhere, or the first half is a compound's head (soixante-, sous-); else it goes."""
    if _SPLIT not in text:
        return text
    vocabulary = Counter(w.lower() for w in _WORDS.findall(text.replace(_SPLIT, " ")))

    def resolve(match: re.Match[str]) -> str:
        head, tail = match.group(1), match.group(2)
        joined, hyphened = (head + tail).lower(), f"{head}-{tail}".lower()
        last_head = re.split(r"[-’']", head)[-1].lower()
        first_tail = re.split(r"[-’']", tail)[0].lower()
        if vocabulary[hyphened] > vocabulary[joined]:
            return f"{head}-{tail}"
        if vocabulary[joined] or not (last_head in _COMPOUND_HEADS or first_tail in _COMPOUND_TAILS
                                      or tail[:1].isupper() or tail[:1].isdigit()):
            return head + tail
        return f"{head}-{tail}"

    return re.sub(r"([\w’'\-]*)" + _SPLIT + r"([\w’'\-]*)", resolve, text)
