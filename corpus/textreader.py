"""Reader for UN documents converted from PDF to (Markdown-flavoured) plain text."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from . import french
from .errors import ReadError
from .limits import cut_warning, cut_words
from .prose import not_prose
from .record import MEMBER, SENDER, SIGNATORY, AgendaItem, Statement, StateRole, document_id
from .states import registry

# [text](target) and ![alt](target); a target may hold one level of parentheses: S/RES/2700(2023).
# The text holds no bracket and is at most MAX_LINK_TEXT long, so a line of "[[[[" costs linear time.
MAX_LINK_TEXT = 1000
_LINK = re.compile(rf"!?\[([^\[\]\n]{{0,{MAX_LINK_TEXT}}})\]\(((?:[^()\s]|\([^()\s]*\))*)(?:\s+\"[^\"\n]*\")?\)")
# Bold and italic spans stay within a line, never run across the mark that would close
# another span, and are at most MAX_SPAN long: a line full of unmatched ** or _ then costs
# linear time, not quadratic (a hostile 1 MB line of them took minutes).
MAX_SPAN = 400
_BOLD = re.compile(rf"\*\*(?=\S)((?:[^*\n]|\*(?!\*)){{1,{MAX_SPAN}}}?)(?<=\S)\*\*"
                   rf"|__(?=\S)((?:[^_\n]|_(?!_)){{1,{MAX_SPAN}}}?)(?<=\S)__")
_ITALIC = re.compile(rf"(?<![\w\\])_(?=\S)((?:[^_\n]|(?<=\w)_(?=\w)){{1,{MAX_SPAN}}}?)(?<=\S)_(?!\w)")
_HEADING = re.compile(r"^#{1,6}[ \t]+", re.MULTILINE)
# Cover-page lines that carry nothing the record keeps (the last one: a session's dates).
_COVER_NOISE = re.compile(
    r"(?:nations unies|united nations|distr\b.*|\d{2}-\d{5}.*|\*\d{5,}\*|pri[èe]re de recycler.*"
    r"|\d{1,2}(?:er)? \w+(?: \d{4})? ?[–—-] ?\d{1,2}(?:er)? \w+ \d{4})",
    re.IGNORECASE)
_CELLS = re.compile(r"\t+| {2,}")


@dataclass
class _Cover:
    """What the cover page says, and where the title starts."""

    symbols: tuple[str, ...] = ()
    organ: tuple[str, str] | None = None
    date: dt.date | None = None
    language: str | None = None
    original_language: str | None = None
    session: int | None = None
    agenda_items: tuple[AgendaItem, ...] = ()
    end: int = 0


def read_text(path: str, data: bytes, checksum: str) -> tuple[Statement, list[str]]:
    """Parse a text file converted from PDF; also return warnings (such as a guessed encoding).

    Text that is not the prose of a document (data, code, markup, a log) is refused, and
    a text over the words caps is cut before it is parsed.
    """
    text, warnings = decode(path, data)
    if why := not_prose(text):
        raise ReadError(path, f"not a document: {why}")
    if cut := cut_words(text):
        text, warnings = cut[0], warnings + [cut_warning(cut[1])]
    return parse_text(path, text, checksum), warnings


def parse_text(path: str, text: str, checksum: str) -> Statement:
    """The record of a UN document's text: French cover-page lines, title, body (the one parser
    of every reader whose format has no structure of its own: text, PDF, Word)."""
    raw = french.normalize_spaces(text.replace("\r\n", "\n").replace("\r", "\n"))
    links = _LINK.findall(raw)
    lines = [line.rstrip() for line in _unmark(raw).split("\n")]
    cover = _read_cover(lines)
    title_lines, start = _block(lines, cover.end)
    title = _numbered_title(title_lines, lines, start) or " ".join(line.strip() for line in title_lines)
    body = _paragraphs(lines[start:])
    if not title and not body:
        raise ReadError(path, "no text")
    symbol = cover.symbols[0] if cover.symbols else None
    organ = (french.organ_from_symbol(symbol) if symbol else None) or (cover.organ[0] if cover.organ else None)
    lookup = _lookup()
    signatories = _signatories(lines[start:])
    senders = french.sender_states(title, lookup)
    members, unknown = _members(lines[start:], lookup)
    states = ([StateRole(code, SENDER) for code in senders]
              + [StateRole(code, SIGNATORY) for code, _ in zip(senders, signatories)]
              + [StateRole(code, MEMBER) for code in members])
    return Statement(
        id=document_id(symbol, path),
        path=path,
        checksum=checksum,
        symbol=symbol,
        title=title,
        body=body,
        language=cover.language or french.text_language(f"{title}\n{body}") or "fr",
        original_language=cover.original_language,
        organ=organ,
        organ_name=french.ORGAN_NAMES.get(organ) if organ else None,
        doc_type=french.doc_type_from_title(title) or (french.doc_type_from_symbol(symbol) if symbol else None),
        date=cover.date or french.find_date(title),
        session=cover.session,
        agenda_items=cover.agenda_items,
        signatories=signatories,
        states=tuple(dict.fromkeys(states)),
        groups=_groups(title, lines[start:]),
        references=_references(body, links, organ, symbol),
        unclassified=unknown,
    )


def decode(path: str, data: bytes) -> tuple[str, list[str]]:
    """Text of the bytes (UTF-8, UTF-16 with a byte-order mark, else cp1252) and warnings on the way."""
    if data.startswith(b"%PDF"):
        raise ReadError(path, "a PDF file, not text converted from one")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise ReadError(path, "invalid UTF-16 text after its byte-order mark") from None
        warnings = ["encoded in UTF-16 (byte-order mark), not UTF-8"]
    elif b"\0" in data and (order := _utf16_without_bom(data)):
        try:
            text = data.decode(f"utf-16-{order}")
        except UnicodeDecodeError:
            raise ReadError(path, "binary content (NUL bytes), not text") from None
        warnings = [f"encoded in UTF-16 without a byte-order mark (guessed {order.upper()}), not UTF-8"]
    else:
        if b"\0" in data:
            raise ReadError(path, "binary content (NUL bytes), not text")
        try:
            text, warnings = data.decode("utf-8-sig"), []
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                raise ReadError(path, "neither UTF-8 nor Windows-1252 (cp1252) text") from None
            warnings = ["not valid UTF-8; read as Windows-1252 (cp1252), a guess"]
    if "\0" in text:
        raise ReadError(path, "binary content (NUL characters), not text")
    return text, warnings


def _utf16_without_bom(data: bytes) -> str | None:
    """'le' or 'be' when the bytes look like UTF-16 text (every other byte NUL), else None."""
    sample = data[:4096]
    if len(data) % 2 or len(sample) < 16:
        return None
    half = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= 0.6 * half and even <= 0.02 * half:
        return "le"
    if even >= 0.6 * half and odd <= 0.02 * half:
        return "be"
    return None


def _unmark(text: str) -> str:
    """The text without Markdown marks: links keep their text, bold and italic their words."""
    text = _LINK.sub(r"\1", text)
    text = _BOLD.sub(lambda m: m.group(1) or m.group(2), text)
    text = _ITALIC.sub(r"\1", text)
    return _HEADING.sub("", text)


def _lookup() -> Callable[[str], str | None]:
    """A name-to-code function over the member-state registry."""
    reg = registry()

    def code(name: str) -> str | None:
        state = reg.lookup(name)
        return state.alpha3 if state else None

    return code


def _read_cover(lines: Sequence[str]) -> _Cover:
    """Read cover-page lines until the first line that is none of them: the title."""
    cover = _Cover()
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if not line or _COVER_NOISE.fullmatch(line):
            i += 1
            continue
        if french.doc_type_from_title(line):
            break
        numbers = french.parse_agenda_numbers(line)
        if numbers:
            i = next((j for j in range(i + 1, len(lines)) if lines[j].strip()), len(lines))
            titles, i = ([], i) if i < len(lines) and french.doc_type_from_title(lines[i]) else _block(lines, i)
            cover.agenda_items += french.agenda_items(numbers, titles)
            continue
        cells = [cell.strip() for cell in line.split("\t") if cell.strip()]
        tentative = dataclasses.replace(cover)
        if len(cells) > 1 and all(_COVER_NOISE.fullmatch(c) or _cover_line(tentative, c) for c in cells):
            cover = tentative  # cover cells on one line, apart by tabs: "Nations Unies<tab>A/78/1"
            i += 1
            continue
        if not _cover_line(cover, line):
            # an organ's name wrapped in a narrow cell ("Conseil économique et" / "social")
            if i + 1 < len(lines) and french.parse_organ(f"{line} {lines[i + 1].strip()}"):
                cover.organ = cover.organ or french.parse_organ(f"{line} {lines[i + 1].strip()}")
                i += 2
                continue
            break
        i += 1
    cover.end = i
    return cover


def _cover_line(cover: _Cover, line: str) -> bool:
    """Record what one cover line says; False when it is not a cover line."""
    folded = french.fold(line)
    if symbols := french.parse_symbol_line(line):
        cover.symbols = cover.symbols or symbols
    elif organ := french.parse_organ(line):
        cover.organ = cover.organ or organ
    elif date := french.parse_date(line):
        cover.date = cover.date or date
    elif folded.startswith("original") and (language := french.parse_language(line)):
        cover.original_language = language
    elif language := french.parse_language(line):
        cover.language = language
    elif "session" in folded and (session := french.parse_session(line)):
        cover.session = session
    else:
        return False
    return True


def _numbered_title(title_lines: Sequence[str], lines: Sequence[str], start: int) -> str | None:
    """A resolution's or decision's own title, where the first block is only its adoption line
    ("Résolution adoptée par ...", "Résolution 2544 (2020) / Adoptée par ...") or its type
    ("Décision"): the "78/10. Titre" block a few blocks on, else a Council resolution's number."""
    first = " ".join(line.strip() for line in title_lines)
    if not title_lines or not (_ADOPTION.match(first) or french.fold(title_lines[0]) in ("decision", "resolution")):
        return None
    i = start
    for _ in range(_TITLE_LOOKAHEAD):
        while i < len(lines) and not lines[i].strip():
            i += 1
        block, i = _block(lines, i)
        numbered = _NUMBERED_TITLE.match(" ".join(block))
        if numbered:
            return numbered.group(1)
    council = re.fullmatch(r"(r[ée]solution \d+ \(\d{4}\)) adopt[ée]e .*", first, re.IGNORECASE)
    return council.group(1) if council else None


_ADOPTION = re.compile(r"(?:r[ée]solution|d[ée]cision)s? (?:adopt[ée]e|\d+ \(\d{4}\) adopt[ée]e)", re.IGNORECASE)
_NUMBERED_TITLE = re.compile(r"(?:\d{2,4}/\d+(?: [A-E])?|[A-Z]-\d+/\d+)\.\s+(.+)")
_TITLE_LOOKAHEAD = 4  # blocks between the adoption line and the title: proponent, committee


def _block(lines: Sequence[str], start: int) -> tuple[list[str], int]:
    """The run of non-blank lines from start, up to a blank or a title line, and the index after it."""
    i = start
    block: list[str] = []
    while i < len(lines) and lines[i].strip():
        if block and french.doc_type_from_title(lines[i]):
            break
        block.append(lines[i].strip())
        i += 1
    return block, i


def _paragraphs(lines: Sequence[str]) -> str:
    """Lines joined back into paragraphs separated by one blank line."""
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return "\n\n".join("\n".join(p) for p in paragraphs if p)


def _signatories(lines: Sequence[str]) -> tuple[str, ...]:
    """Names on "(Signé) Valentin Rybakov" lines (or the line after a bare "(Signé)")."""
    names: list[str] = []
    for i, line in enumerate(lines):
        name = french.parse_signatory(line)
        if name == "":
            following = next((rest.strip() for rest in lines[i + 1:] if rest.strip()), "")
            name = following if french.parse_signatory(following) is None else None
        if name:
            names.append(name)
    return tuple(dict.fromkeys(names))


def _members(lines: Sequence[str], lookup: Callable[[str], str | None]) -> tuple[list[str], tuple[str, ...]]:
    """States listed in columns under "Membres du Groupe ...", and the cells that name none."""
    start = next((i + 1 for i, line in enumerate(lines) if french.member_heading(line)), None)
    if start is None:
        return [], ()
    codes: list[str] = []
    unknown: list[str] = []
    for line in lines[start:]:
        cells = [cell.strip(" *") for cell in _CELLS.split(line.strip()) if cell.strip(" *")]
        if not cells:
            continue
        found = [(cell, lookup(cell)) for cell in cells]
        if not any(code for _, code in found):
            break
        codes += [code for _, code in found if code]
        unknown += [cell for cell, code in found if not code]
    return list(dict.fromkeys(codes)), tuple(unknown)


def _groups(title: str, lines: Sequence[str]) -> tuple[str, ...]:
    """Group speaking in the text: named in the title or a "Déclaration ..." heading, or by the member list."""
    headings = [title] + [line for line in lines if french.doc_type_from_title(line) == "déclaration"]
    named = [name for text in headings for name in french.group_names(text)]
    short = next((found for line in lines if (found := french.member_heading(line))), None)
    if short:
        key = french.fold(short)
        named = [name for name in named if french.fold(name).startswith(key)] or [short]
    return tuple(dict.fromkeys(named))


def _references(body: str, links: Sequence[tuple[str, str]], organ: str | None,
                symbol: str | None) -> tuple[str, ...]:
    """Symbols cited in the body and its links, without the document's own."""
    found = list(french.find_references(body, organ))
    for text, target in links:
        if re.match(r"(?:https?:)?//(?:www\.)?(?:un)?docs(?:\.un)?\.org/", target, re.IGNORECASE):
            found.append(french.normalize_symbol(target))
        elif reference := french.expand_short_reference(text, organ):
            found.append(reference)
    return tuple(ref for ref in dict.fromkeys(found) if ref != symbol and "/" in ref)
