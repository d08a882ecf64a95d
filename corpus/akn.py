"""Reader for the UN's Akoma Ntoso (AKN4UN) XML documents."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from xml.parsers import expat
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

from . import french
from .errors import ReadError
from .record import COSPONSOR, FOR_GROUP, PERSON, SPONSOR, AgendaItem, Statement, StateRole, document_id
from .sponsors import parse_sponsors
from .states import registry

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
_LANGS = {"fra": "fr", "fre": "fr", "eng": "en", "spa": "es", "rus": "ru", "ara": "ar", "zho": "zh", "chi": "zh"}
_DOC_TYPES = {"resolution": "résolution", "decision": "décision", "draftresolution": "projet de résolution",
              "draft resolution": "projet de résolution"}
# Workflow outcomes whose by= attribute lists sponsors (other steps hold meeting notes).
_SPONSOR_STEPS = {"draftresolution": SPONSOR, "draftdecision": SPONSOR,
                  "draftresolutionadditionalsponsors": COSPONSOR, "draftdecisionadditionalsponsors": COSPONSOR}
_BODY_SKIP = {"meta", "coverPage", "preface"}
_BLOCKS = {"p", "heading", "subheading", "num", "intro", "wrapUp", "listIntroduction", "listWrapUp"}
_WS = re.compile(r"[ \t\r\n\u00a0\u202f\u2007]+")
_FILE_PARTS = re.compile(r"^[ _]?([A-E](?:(?: and |-)?[A-E]){0,3})(?=[-_ ]|$)")


MAX_DEPTH = 200  # elements nested deeper than this are refused (AKN4UN documents nest about 15 deep)
MAX_ELEMENTS = 200_000  # the UN's largest AKN4UN documents hold under 4,000 elements
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def is_akn(data: bytes) -> bool:
    """Whether the bytes look like an Akoma Ntoso document (UTF-8, or UTF-16 with a byte-order mark)."""
    head = data[:4096]
    if head.startswith(_UTF16_BOMS):
        head = head[:4096 - len(head) % 2].decode("utf-16", errors="replace").encode("utf-8")
    return b"<akomaNtoso" in head


def read_akn(path: str, data: bytes, checksum: str) -> Statement:
    """Parse one AKN4UN file into a Statement; raise ReadError when it cannot be."""
    root = parse_xml(path, data)
    if _local(root.tag) != "akomaNtoso":
        raise ReadError(path, f"not an Akoma Ntoso document (root <{_local(root.tag)}>)")
    doc = next(iter(root), None)
    meta = doc.find(_q("meta")) if doc is not None else None
    if doc is None or meta is None:
        raise ReadError(path, "Akoma Ntoso document without <meta>")
    return _Document(path, doc, meta).statement(checksum)


class _Refused(Exception):
    """Raised from inside the XML parser to stop it at once."""


def parse_xml(path: str, data: bytes, *, max_elements: int = MAX_ELEMENTS, kind: str = "AKN4UN") -> ET.Element:
    """The element tree of the bytes, parsed safely.

    A document type declaration (DTD) of any kind is refused as soon as the
    parser meets it, so no entity is ever declared, expanded or fetched: no
    "billion laughs", no external entity, whatever the file's encoding. The
    refusal is the parser's own, so byte tricks (UTF-16, an odd encoding
    declaration) cannot slip a DTD past it. Nesting is bounded too, so that
    the readers' recursive walks stay within Python's recursion limit, and so
    is the number of elements, which bounds the memory the tree takes.
    """
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    depth = count = 0

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal depth, count
        depth += 1
        count += 1
        if depth > MAX_DEPTH:
            raise _Refused(f"elements nested more than {MAX_DEPTH} deep")
        if count > max_elements:
            raise _Refused(f"more than {max_elements:,} elements ({kind} documents hold far fewer)")
        builder.start(_clark(tag), {_clark(k): v for k, v in attrs.items()})

    def end(tag: str) -> None:
        nonlocal depth
        depth -= 1
        builder.end(_clark(tag))

    def refuse(*_args: object) -> NoReturn:
        raise _Refused(f"XML with a DTD or entities is refused ({kind} uses none)")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = builder.data
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.NotationDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(data, True)
        return builder.close()
    except _Refused as exc:
        raise ReadError(path, str(exc)) from None
    except expat.ExpatError as exc:
        raise ReadError(path, f"malformed XML ({expat.ErrorString(exc.code)}: line {exc.lineno}, "
                              f"column {exc.offset + 1})") from None
    except (ValueError, LookupError) as exc:  # an unknown or unusable encoding declaration
        raise ReadError(path, f"malformed XML ({exc})") from None


def _clark(name: str) -> str:
    """Expat's 'uri}local' as ElementTree's '{uri}local'."""
    return "{" + name if "}" in name else name


class _Document:
    """One parsed AKN document element and the fields read from it."""

    def __init__(self, path: str, doc: ET.Element, meta: ET.Element) -> None:
        self.path = path
        self.doc = doc
        self.meta = meta
        self.cover = doc.find(_q("coverPage"))

    def statement(self, checksum: str) -> Statement:
        """Assemble the record."""
        symbol = self.symbol()
        organ = french.organ_from_symbol(symbol) if symbol else None
        paragraphs, notes, links = _body(self.doc)
        body = "\n\n".join(paragraphs + (["Notes"] + notes if notes else []))
        states, groups, persons, unclassified = self.sponsors()
        return Statement(
            id=document_id(symbol, self.path),
            path=self.path,
            checksum=checksum,
            symbol=symbol,
            title=self.title(),
            body=body,
            language=self.language(),
            original_language=self.original_language(),
            organ=organ,
            organ_name=french.ORGAN_NAMES.get(organ) if organ else None,
            doc_type=self.doc_type(),
            date=self.date(),
            session=self.session(),
            agenda_items=tuple(self.agenda_items()),
            signatories=persons,
            states=states,
            groups=groups,
            references=_references(links, symbol, organ),
            proponent=self.proponent(),
            subject=self.subject(),
            unclassified=unclassified,
        )

    # -- identification --------------------------------------------------
    def symbol(self) -> str | None:
        """The cover docNumber, corrected by the file name where upstream got it wrong."""
        node = self.cover.find(f".//{_q('docNumber')}") if self.cover is not None else None
        text = _text(node) if node is not None else ""
        if not text:
            return None
        return _fix_symbol(french.normalize_symbol(text), Path(self.path).stem) or None

    def language(self) -> str:
        """Language of this expression, ISO 639-1."""
        node = self.meta.find(f".//{_q('FRBRExpression')}/{_q('FRBRlanguage')}")
        code = node.get("language", "") if node is not None else ""
        return _LANGS.get(code.lower(), code.lower() or "fr")

    def original_language(self) -> str | None:
        """'Original : anglais' on the cover page."""
        node = self._cover_inline("originalLanguage")
        return french.parse_language(_text(node)) if node is not None else None

    def doc_type(self) -> str | None:
        """résolution, décision, ... from the docType line or the statement's name."""
        node = self.cover.find(f".//{_q('docType')}") if self.cover is not None else None
        if node is not None and _text(node):
            return _text(node).lower().replace("decision", "décision")
        name = self.doc.get("name", "").lower()
        return _DOC_TYPES.get(name, name or None)

    def date(self) -> dt.date | None:
        """Date of issuance on the cover; else the FRBR publication or adoption date."""
        candidates = []
        if self.cover is not None:
            candidates += [n.get("date") for n in self.cover.iter(_q("docDate"))
                           if n.get("refersTo") == "#dateOfIssuance"]
        for part in ("FRBRExpression", "FRBRWork"):
            candidates += [n.get("date") for n in self.meta.iterfind(f".//{_q(part)}/{_q('FRBRdate')}")]
        for value in candidates:
            parsed = _iso_date(value)
            if parsed:
                return parsed
        return None

    def session(self) -> int | None:
        """Session number from the cover page (value attribute, else its words)."""
        node = self.cover.find(f".//{_q('session')}") if self.cover is not None else None
        if node is None:
            return None
        value = node.get("value", "")
        if value.isdigit():
            return int(value)
        return french.parse_session(_text(node))

    def agenda_items(self) -> Iterator[AgendaItem]:
        """Agenda items of the cover page, each number paired with the title that follows it."""
        if self.cover is None:
            return
        numbers: list[str] = []
        for node in self.cover.iter(_q("inline")):
            name = node.get("name", "")
            if name == "agenda item":
                if numbers:
                    yield from (AgendaItem(n) for n in numbers)
                title = node.get("title")
                numbers = french.parse_agenda_numbers(_text(node)) or ([title] if title else [])
            elif name == "agenda item name" and numbers:
                title = _text(node) or None
                yield from (AgendaItem(n, title) for n in numbers)
                numbers = []
        yield from (AgendaItem(n) for n in numbers)

    def title(self) -> str:
        """The resolution or decision title of the preface; else the cover title; else type and number."""
        for scope in (self.doc.find(_q("preface")), self.cover):
            if scope is None:
                continue
            for node in scope.iter(_q("docTitle")):
                text = _text(node)
                if text:
                    return text
        symbol = self.symbol()
        return f"{(self.doc_type() or 'document').capitalize()} {symbol}" if symbol else ""

    def subject(self) -> str | None:
        """The Security Council agenda item the document falls under, in French.

        A Council resolution's title is only its number ("Résolution 2677 (2023)");
        UN readers name it by its agenda item ("La situation en Libye"). The file
        gives that item only among its library keywords, in English:
        <keyword refersTo="agenda" dictionary="S/" showAs="The situation in Libya."/>.
        """
        for node in self.meta.iter(_q("keyword")):
            shown_as = node.get("showAs")
            if node.get("refersTo") == "agenda" and node.get("dictionary") == "S/" and shown_as:
                return french.sc_agenda_item(shown_as) or None
        return None

    def proponent(self) -> str | None:
        """The proponent line ('Cinquième Commission', '[sans renvoi ...]')."""
        node = self.cover.find(f".//{_q('docProponent')}") if self.cover is not None else None
        return (_text(node).strip("[]") or None) if node is not None else None

    def sponsors(self) -> tuple[tuple[StateRole, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """States (with roles), groups, persons and unclassified entries of the workflow."""
        states: list[StateRole] = []
        groups: list[str] = []
        persons: list[str] = []
        unclassified: list[str] = []
        reg = registry()
        for step in self.meta.iter(_q("step")):
            role = _SPONSOR_STEPS.get(step.get("outcome", "").replace(" ", "").lower())
            if role is None or not step.get("by", "").strip():
                continue
            for sponsor in parse_sponsors(step.get("by", ""), reg):
                if sponsor.kind == "state" and sponsor.state:  # a state entry always has its code
                    states.append(StateRole(sponsor.state, role))
                elif sponsor.kind == "group":
                    groups.append(sponsor.name or sponsor.text)
                    if sponsor.state:
                        states.append(StateRole(sponsor.state, FOR_GROUP))
                elif sponsor.kind == "person":
                    persons.append(sponsor.name or sponsor.text)
                    if sponsor.state:
                        states.append(StateRole(sponsor.state, PERSON))
                elif sponsor.kind == "unknown":
                    unclassified.append(sponsor.text)
        return (tuple(dict.fromkeys(states)), tuple(dict.fromkeys(groups)),
                tuple(dict.fromkeys(persons)), tuple(dict.fromkeys(unclassified)))

    def _cover_inline(self, name: str) -> ET.Element | None:
        if self.cover is None:
            return None
        return next((n for n in self.cover.iter(_q("inline")) if n.get("name") == name), None)


def _fix_symbol(symbol: str, stem: str) -> str:
    """Correct a docNumber whose number or part letters disagree with its file name.

    Upstream sometimes copied the previous document's number ('A/RES/78/13' in
    A_RES_78_130...) or dropped the parts ('A/RES/75/101' in 75_101A-B_F), or wrote
    a Council resolution's year wrong ('S/RES/2510 (2019)' in S_RES_2510 (2020)...).
    """
    council = re.fullmatch(r"(S/RES/(\d+)) \((\d{4})\)", symbol)
    if council:
        year = re.search(rf"(?:^|\D){council.group(2)} ?\((\d{{4}})\)", stem)
        return f"{council.group(1)} ({year.group(1)})" if year else symbol
    match = re.fullmatch(r"(.*/)(\d+)/(\d+)", symbol)
    if not match:
        return symbol
    prefix, session, number = match.groups()
    found = re.search(rf"(?:^|\D){session}[_ ](\d+)", stem)
    if not found:
        return symbol
    if found.group(1) != number:
        number = found.group(1)
    parts = _FILE_PARTS.match(stem[found.end():])
    suffix = ""
    if parts:
        letters = re.findall(r"[A-E]", parts.group(1))
        suffix = " " + "-".join(letters)
    return f"{prefix}{session}/{number}{suffix}"


def _body(doc: ET.Element) -> tuple[list[str], list[str], list[str]]:
    """Paragraphs of the text, footnotes, and link targets, in document order."""
    paragraphs: list[str] = []
    notes: list[str] = []
    links: list[str] = []
    pending_num = ""

    def walk(node: ET.Element) -> None:
        nonlocal pending_num
        for child in node:
            tag = _local(child.tag)
            if tag in _BODY_SKIP:
                continue
            if tag == "num":
                pending_num = _text(child, notes, links)
            elif tag in _BLOCKS:
                text = _text(child, notes, links)
                if pending_num:
                    text = f"{pending_num} {text}".strip()
                    pending_num = ""
                if text:
                    paragraphs.append(text)
            else:
                walk(child)

    walk(doc)
    if pending_num:
        paragraphs.append(pending_num)
    return paragraphs, notes, links


def _text(node: ET.Element, notes: list[str] | None = None, links: list[str] | None = None) -> str:
    """The element's text with whitespace folded; footnotes and links are collected apart."""
    parts: list[str] = []

    def collect(el: ET.Element) -> None:
        if el.text:
            parts.append(el.text)
        for child in el:
            tag = _local(child.tag)
            if tag == "authorialNote":
                if notes is not None:
                    note = _text(child, None, links)
                    marker = child.get("marker", "")
                    notes.append(f"{marker}. {note}" if marker else note)
            else:
                href = child.get("href")
                if tag == "a" and links is not None and href:
                    links.append(href)
                if tag == "eol":
                    parts.append(" ")
                collect(child)
            if child.tail:
                parts.append(child.tail)

    collect(node)
    return _WS.sub(" ", "".join(parts)).strip()


def _references(links: list[str], symbol: str | None, organ: str | None) -> tuple[str, ...]:
    """Full symbols of the documents cited by undocs.org links, without the document itself."""
    found: dict[str, None] = {}
    for href in links:
        if "undocs.org" not in href:
            continue
        ref = french.normalize_symbol(href)
        if ref and "/" in ref and ref != symbol:
            found.setdefault(ref, None)
    return tuple(found)


def _iso_date(value: str | None) -> dt.date | None:
    try:
        parsed = dt.date.fromisoformat(value or "")
    except ValueError:
        return None
    return parsed if parsed.year > 1900 else None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _q(tag: str) -> str:
    return f"{{{AKN_NS}}}{tag}"
