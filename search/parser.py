"""The query language, parsed by our own recursive-descent parser into the query tree.

    traite des enfants            every word must match (any of its forms, accents optional)
    "traite des êtres humains"    the words in a row;  "traite enfants"~3  up to 3 words between
    "conseiller"                  that word only, as written
    climat OR environnement       either;  NOT nucléaire / -nucléaire  excludes
    (A OR B) C                    grouping;  trait*  prefix
    title: agenda:/point: state:/etat: session: organ:/organe: type:
    symbol:/cote: cites: date:2024  date:[2023-01-01 TO 2023-06-30]

What one query may cost is bounded by the limits below, each named in the message
(a QueryLimitError) of a query that goes past it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from corpus.french import expand_short_reference, normalize_symbol, parse_organ
from corpus.states import StateRegistry, registry
from indexer import query as q
from indexer.analysis import TOKEN_PATTERN, analyse
from indexer.errors import QueryError, QueryLimitError
from indexer.fields import QUERY_FIELDS

MAX_QUERY_LENGTH = 2000  # characters
MAX_DEPTH = 32  # parentheses inside each other; NOT or '-' in a row
MAX_CLAUSES = 100  # words, phrases, prefixes and field conditions
MAX_PHRASE_WORDS = 32  # words in the phrases of a query (quoted, or joined by hyphens), stopwords included
MAX_SLOP = 1000  # "a b"~N: other words allowed between two words of a phrase
MAX_DIGITS = 9  # of a session or a year
ORGAN_ALIASES = {"ag": "GA", "ga": "GA", "cs": "SC", "sc": "SC", "ecosoc": "ECOSOC", "hrc": "HRC", "cdh": "HRC"}
_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<quote>"(?P<phrase>[^"]*)"(?:~(?P<slop>[^\s()"]*))?)
  | (?P<open_quote>")
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<range>\[[^\]]*\])
  | (?P<bracket>[\[\]])
  | (?P<field>[^\W\d_][\w]*):(?=\S)
  | (?P<bare_field>[^\W\d_][\w]*):(?=\s|$)
  | (?P<word>[^\s()"\[\]]+)
""", re.VERBOSE)
_SESSION = re.compile(r"\s*(?:([^\W\d_]+)\s*[:\-]?\s*)?(\d+)\s*")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Lone surrogates (undecodable bytes on a command line) become the replacement character.
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class _Tok:
    kind: str
    text: str
    pos: int
    slop: int = 0


def tokenize(text: str) -> list[_Tok]:
    """Split a query into tokens; a lone opening quote is an error."""
    toks: list[_Tok] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        assert kind is not None, "every alternative of _TOKEN is a named group"
        kind = kind if kind not in ("phrase", "slop") else "quote"
        if kind == "space":
            continue
        if kind == "open_quote":
            raise QueryError("unbalanced quote: a phrase opened with \" is never closed", m.start())
        if kind == "bracket":
            raise QueryError(f"unbalanced bracket '{m.group()}': a range is written [START TO END]", m.start())
        if kind == "quote":
            slop = m.group("slop")
            if slop is not None and not (slop.isascii() and slop.isdigit()):
                raise QueryError(f"'~' after a phrase needs a number of words, as in \"traite enfants\"~3, "
                                 f"not '~{slop}'", m.start("slop") - 1)
            toks.append(_Tok("phrase", m.group("phrase"), m.start(), int(slop or 0)))
        elif kind == "bare_field":  # "title:" then nothing: a field without its value, or a word before a colon
            name = m.group("bare_field")
            if name.lower() in QUERY_FIELDS:
                raise QueryError(f"'{name}:' needs a value", m.start())
            toks.append(_Tok("word", m.group(), m.start()))
        elif kind == "field":
            toks.append(_Tok("field", m.group("field"), m.start()))
        else:  # the whole match is the group
            toks.append(_Tok(kind, m.group(), m.start()))
    return toks


def parse(text: str, reg: StateRegistry | None = None) -> q.Node:
    """Parse user text into a query tree; empty text is All (every document)."""
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryLimitError(f"query too long ({len(text)} characters; the limit is {MAX_QUERY_LENGTH})")
    text = _SURROGATE.sub("\ufffd", _CONTROL.sub(" ", text)).replace("\u00a0", " ").replace("\u202f", " ")
    if not text.strip():
        return q.All()
    node = _Parser(tokenize(text), reg).parse()
    _check_size(node)
    return node


def _check_size(node: q.Node) -> None:
    """A QueryLimitError when the query holds more words and conditions, or more words in its
    phrases, than the limits; a phrase is quoted text, or a word that is several ("extra-atmosphérique")."""
    clauses = in_phrases = 0
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, (q.And, q.Or)):
            stack.extend(n.children)
        elif isinstance(n, q.Not):
            stack.append(n.child)
        elif isinstance(n, (q.Term, q.Phrase)):
            words = analyse(n.text)
            meaning = sum(not w.stop for w in words)
            clauses += isinstance(n, q.Phrase) or meaning > 0
            in_phrases += len(words) if isinstance(n, q.Phrase) or meaning > 1 else 0
        elif not isinstance(n, q.All):
            clauses += 1
    if clauses > MAX_CLAUSES:
        raise QueryLimitError(f"the query holds {clauses} words, phrases, prefixes and field conditions; "
                              f"the limit is {MAX_CLAUSES} (stopwords left out)")
    if in_phrases > MAX_PHRASE_WORDS:
        raise QueryLimitError(f"the phrases of the query hold {in_phrases} words; the limit is {MAX_PHRASE_WORDS} "
                              "(stopwords included)")


class _Parser:
    """query := or;  or := and (OR and)*;  and := unary+;  unary := (NOT|-) unary | primary."""

    def __init__(self, toks: list[_Tok], reg: StateRegistry | None) -> None:
        self.toks = toks
        self.i = 0
        self.reg = reg
        self.depth = 0

    def parse(self) -> q.Node:
        node = self.or_()
        if self.i < len(self.toks):
            tok = self.toks[self.i]
            raise QueryError("unbalanced parenthesis: ')' without '('", tok.pos)
        return node

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def current(self) -> _Tok:
        """The token at the cursor, where the caller has checked that one is left."""
        tok = self.peek()
        assert tok is not None, "no token left"
        return tok

    def at_end(self, kind: str | None = None) -> bool:
        """Whether no token is left, or (with a kind) the next is not of that kind."""
        tok = self.peek()
        return tok is None or (kind is not None and tok.kind != kind)

    def or_(self) -> q.Node:
        children = [self.and_()]
        while (tok := self.peek()) and tok.kind == "word" and tok.text == "OR":
            self.i += 1
            if self.at_end() or self.current().kind == "rparen":
                raise QueryError("OR needs a word after it", tok.pos)
            children.append(self.and_())
        return children[0] if len(children) == 1 else q.Or(tuple(children))

    def and_(self) -> q.Node:
        children: list[q.Node] = []
        while (tok := self.peek()) and tok.kind != "rparen" and not (tok.kind == "word" and tok.text == "OR"):
            if tok.kind == "word" and tok.text == "AND":
                self.i += 1
                continue
            children.append(self.unary())
        if not children:
            tok = self.peek()
            raise QueryError("expected words here", tok.pos if tok else None)
        if all(isinstance(c, q.Not) for c in children):
            children.insert(0, q.All())
        return children[0] if len(children) == 1 else q.And(tuple(children))

    def unary(self) -> q.Node:
        negations = 0
        while True:
            tok = self.current()
            if tok.kind == "word" and tok.text == "NOT":
                self.i += 1
                if self.peek() is None:
                    raise QueryError("NOT needs a word after it", tok.pos)
            elif tok.kind == "word" and tok.text.startswith("-") and len(tok.text) > 1:
                self.toks[self.i] = _Tok("word", tok.text[1:], tok.pos + 1)
            else:
                break
            negations += 1
            if negations > MAX_DEPTH:
                raise QueryLimitError(f"too many NOT or '-' in a row (the limit is {MAX_DEPTH})", tok.pos)
        node = self.primary()
        # NOT NOT x is x: only the parity of the negations matters.
        return q.Not(node) if negations % 2 else node

    def primary(self) -> q.Node:
        tok = self.current()
        self.i += 1
        if tok.kind == "lparen":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise QueryLimitError(f"too many nested parentheses (the limit is {MAX_DEPTH})", tok.pos)
            if self.peek() is None:
                raise QueryError("unbalanced parenthesis: '(' is never closed", tok.pos)
            node = self.or_()
            if self.at_end("rparen"):
                raise QueryError("unbalanced parenthesis: '(' is never closed", tok.pos)
            self.i += 1
            self.depth -= 1
            return node
        if tok.kind == "phrase":
            return _phrase(tok)
        if tok.kind == "field":
            return self.field(tok)
        if tok.kind == "range":
            raise QueryError("a range [.. TO ..] must follow a field, as in date:[2023-01-01 TO 2023-06-30]", tok.pos)
        return _word(tok)

    def field(self, tok: _Tok) -> q.Node:
        name = QUERY_FIELDS.get(tok.text.lower())
        if name is None:
            known = ", ".join(sorted({k for k in QUERY_FIELDS if k.isascii()}))
            raise QueryError(f"unknown field '{tok.text}:' (known fields: {known})", tok.pos)
        value = self.peek()
        if value is None or value.kind not in ("word", "phrase", "range"):
            raise QueryError(f"'{tok.text}:' needs a value", tok.pos)
        self.i += 1
        return field_node(name, value.text, value.kind, value.pos, self.reg, value.slop)


def _phrase(tok: _Tok, field: str | None = None) -> q.Node:
    if not tok.text.strip():
        raise QueryError("empty phrase \"\"", tok.pos)
    if tok.slop > MAX_SLOP:
        raise QueryLimitError(f"a phrase allows at most ~{MAX_SLOP} (other words between two of its words)", tok.pos)
    return q.Phrase(tok.text, tok.slop, field)


def _word(tok: _Tok, field: str | None = None) -> q.Node:
    text = tok.text
    if text.endswith("*"):
        stem = text.rstrip("*")
        words = TOKEN_PATTERN.findall(stem)
        if not words:
            raise QueryError("a prefix needs letters before '*', as in trait*", tok.pos)
        # "extra-atmosph*": the whole words before the last part, and words that start with it.
        *whole, last = words
        parts: list[q.Node] = [*(q.Term(w, field) for w in whole), q.Prefix(last, field)]
        return parts[0] if len(parts) == 1 else q.And(tuple(parts))
    if not any(ch.isalnum() for ch in text):
        raise QueryError(f"'{text}' is not a word", tok.pos)
    if re.fullmatch(r"[A-Za-z]{1,6}(?:/[\w.\-]+)+", text):
        text = normalize_symbol(text)
    return q.Term(text, field)


def field_node(name: str, value: str, kind: str, pos: int | None, reg: StateRegistry | None,
               slop: int = 0) -> q.Node:
    """The node of `field:value`; also what the search filters are turned into."""
    tok = _Tok(kind, value, pos or 0, slop)
    if kind == "range":
        return _range(name, value, pos)
    if name in ("title", "body", "people", "groups"):
        return _phrase(tok, name) if kind == "phrase" else _word(tok, name)
    if name == "agenda":
        number = re.fullmatch(r"\s*(\d{1,4})\s*(?:([a-z])\)?)?\s*", value)
        if number:
            return q.Match("agenda_num", number.group(1) + (number.group(2) or ""))
        return q.Phrase(value, 0, "agenda") if kind == "phrase" else _word(tok, "agenda")
    if name == "states":
        return q.Match("states", (reg or registry()).resolve(value).alpha3)
    if name == "session":
        return session_node(value, pos)
    if name == "year":
        year = _number(value, name, pos)
        if year is None:
            raise QueryError(f"{name} must be a number, not '{value}'", pos)
        return q.Match(name, year)
    if name == "date":
        start, end = _date_span(value, pos)
        return q.Range("date", start, end)
    if name == "organ":
        return q.Match("organ", organ_code(value, pos))
    if name == "symbol_key":
        return q.Match("symbol_key", normalize_symbol(value))
    if name == "references":
        return q.Match("references", expand_short_reference(value, "GA") or normalize_symbol(value))
    return q.Match(name, value)


def session_node(value: str, pos: int | None = None) -> q.Node:
    """A session, of any organ ("78") or of one ("GA 78", "AG 78", "HRC:54", "ECOSOC 2023")."""
    m = _SESSION.fullmatch(value)
    if not m:
        raise QueryError(f"a session is a number, with its organ if you like (78, GA 78, HRC 54), not '{value}'",
                         pos)
    number = _number(m.group(2), "session", pos)
    assert number is not None, "_SESSION matched digits"
    node = q.Match("session", number)
    return q.And((q.Match("organ", organ_code(m.group(1), pos)), node)) if m.group(1) else node


def organ_code(value: str, pos: int | None = None) -> str:
    """GA, SC, ECOSOC or HRC from a code or a French or English name."""
    code = ORGAN_ALIASES.get(value.strip().lower())
    if code:
        return code
    named = parse_organ(value)
    if named:
        return named[0]
    raise QueryError(f"unknown organ '{value}' (use GA, SC, ECOSOC, HRC or their names)", pos)


def _range(name: str, value: str, pos: int | None) -> q.Node:
    m = re.fullmatch(r"\[\s*(\S+)\s+TO\s+(\S+)\s*\]", value)
    if not m:
        raise QueryError(f"a range is written [START TO END], not {value}", pos)
    low, high = m.groups()
    if name == "date":
        start = None if low == "*" else _date_span(low, pos)[0]
        end = None if high == "*" else _date_span(high, pos)[1]
        return q.Range("date", start, end)
    if name in ("session", "year"):
        first, last = (None if b == "*" else _number(b, name, pos, signed=True) for b in (low, high))
        if (first is None and low != "*") or (last is None and high != "*"):
            raise QueryError(f"a {name} range needs numbers, not {value}", pos)
        return q.Range(name, first, last)
    raise QueryError(f"'{name}' does not take a range", pos)


def _number(text: str, name: str, pos: int | None, signed: bool = False) -> int | None:
    """The number of a session or a year (signed in a range), None if the text is not one;
    a QueryLimitError past MAX_DIGITS digits."""
    m = re.fullmatch(r"\s*([-+]?)(\d+)\s*", text)
    if not m or (m.group(1) and not signed):
        return None
    if len(m.group(2)) > MAX_DIGITS:
        raise QueryLimitError(f"a {name} has at most {MAX_DIGITS} digits", pos)
    return int(m.group(1) + m.group(2))


def _date_span(text: str, pos: int | None) -> tuple[dt.date, dt.date]:
    """First and last day of '2024', '2024-06' or '2024-06-27'."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text.strip())
    if not m:
        raise QueryError(f"'{text}' is not a date (write 2024, 2024-06 or 2024-06-27)", pos)
    year = int(m.group(1))
    month, day = (int(g) if g else None for g in m.groups()[1:])
    try:
        if day and month is not None:  # a day is written with its month
            d = dt.date(year, month, day)
            return d, d
        if month:
            first = dt.date(year, month, 1)
            nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
            return first, nxt - dt.timedelta(days=1)
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    except ValueError:
        raise QueryError(f"the date {text} does not exist", pos) from None
