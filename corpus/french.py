"""Small pure parsers for the French text of UN documents: dates, sessions, symbols, cover lines."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from collections.abc import Callable, Sequence
from importlib import resources
from urllib.parse import unquote

from unidecode import unidecode

from .record import AgendaItem, clean_identifier

# -- text folding ---------------------------------------------------------

# Space-like characters become plain spaces; invisible ones disappear.
_SPACES = str.maketrans({
    "\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2009": " ", "\u200a": " ",
    "\u2011": "-", "\u00ad": None, "\u200b": None, "\ufeff": None,
})
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2018": "'"})


def normalize_spaces(text: str) -> str:
    """Non-breaking and thin spaces to plain spaces, non-breaking hyphens to hyphens."""
    return text.translate(_SPACES)


def straight_apostrophes(text: str) -> str:
    """Curly apostrophes (’) to straight ones (')."""
    return text.translate(_APOSTROPHES)


def fold(text: str) -> str:
    """Lower case, without accents, straight apostrophes, single spaces: a key for comparisons."""
    return re.sub(r"\s+", " ", ascii_text(normalize_spaces(text)).lower()).strip()


_SURROGATES = re.compile("[\ud800-\udfff]")


def ascii_text(text: str) -> str:
    """The text in ASCII letters (unidecode), lone surrogates (the bytes of an argument that was
    not UTF-8) dropped: unidecode would print a warning to the user for each."""
    return unidecode(_SURROGATES.sub("", text))


# -- dates --------------------------------------------------------------------

_MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
}
_DATE = re.compile(r"\b(\d{1,2}) ?(?:er)? (" + "|".join(_MONTHS) + r") (\d{4})\b")


def _date(match: re.Match[str]) -> dt.date | None:
    """The date of a _DATE match, or None when it does not exist (31 février)."""
    try:
        return dt.date(int(match.group(3)), _MONTHS[match.group(2)], int(match.group(1)))
    except ValueError:
        return None


def parse_date(text: str) -> dt.date | None:
    """A text that is a French date ("27 juin 2024", "1er mars 2023") as a date."""
    match = _DATE.fullmatch(fold(text).strip(" .,"))
    return _date(match) if match else None


def find_date(text: str) -> dt.date | None:
    """The first French date inside a sentence ("Lettre datée du 27 juin 2024, ...")."""
    for match in _DATE.finditer(fold(text)):
        found = _date(match)
        if found:
            return found
    return None


# -- sessions -----------------------------------------------------------------

_UNITS = ("", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
          "onze", "douze", "treize", "quatorze", "quinze", "seize")
_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante", 8: "quatre vingt"}
_ORDINAL_ENDINGS = {"un": "unieme", "cinq": "cinquieme", "neuf": "neuvieme"}


def _cardinal(n: int) -> str:
    """French cardinal 1-99 as folded words without "et" ("soixante dix huit")."""
    if n <= 16:
        return _UNITS[n]
    if n < 20:
        return f"dix {_UNITS[n - 10]}"
    tens, unit = divmod(n, 10)
    if tens in (7, 9):
        tens, unit = tens - 1, unit + 10
    return f"{_TENS[tens]} {_cardinal(unit)}" if unit else _TENS[tens]


def _ordinal(n: int) -> str:
    """French ordinal 1-99 as folded words without "et" ("soixante dix huitieme")."""
    if n == 1:
        return "premier"
    *head, last = _cardinal(n).split()
    last = _ORDINAL_ENDINGS.get(last) or last.removesuffix("e") + "ieme"
    return " ".join([*head, last])


_ORDINALS = {**{_ordinal(n): n for n in range(1, 100)}, "premiere": 1, "second": 2, "seconde": 2}
_NUMBERED_SESSION = re.compile(r"\b(\d{1,3}) ?(?:e|eme|ieme|er|re|st|nd|rd|th)(?= session\b|$)")
_YEAR_SESSION = re.compile(r"\bsession de (\d{4})\b")


def parse_session(text: str) -> int | None:
    """Session number of "Soixante-dix-huitième session", "78e session", "78th", "Session de 2023"."""
    folded = fold(text).strip(" .*")
    match = _NUMBERED_SESSION.search(folded)
    if match:
        return int(match.group(1))
    words = [w for w in re.findall(r"[a-z]+", folded.split("session")[0]) if w != "et"]
    for start in range(len(words)):
        number = _ORDINALS.get(" ".join(words[start:]))
        if number:
            return number
    match = _YEAR_SESSION.search(folded)
    return int(match.group(1)) if match else None


# -- languages ----------------------------------------------------------------

_LANGUAGES = {
    "anglais": "en", "english": "en", "francais": "fr", "french": "fr", "espagnol": "es",
    "spanish": "es", "russe": "ru", "russian": "ru", "arabe": "ar", "arabic": "ar",
    "chinois": "zh", "chinese": "zh",
}


def parse_language(text: str) -> str | None:
    """ISO 639-1 code of "Français", "Original : anglais", "Original: English" (first of several)."""
    folded = re.sub(r"^original\s*:?\s*", "", fold(text).strip(" .*"))
    names = [name for name in re.split(r"\s*(?:/|,|\bet\b|\band\b)\s*", folded) if name]
    if names and all(name in _LANGUAGES for name in names):
        return _LANGUAGES[names[0]]
    return None


# Frequent words of one language that are rare in the other: a text that declares no language
# (an English original's cover has only "Original: English") is in the one whose words dominate.
_LANGUAGE_WORDS = {
    "fr": frozenset("le la les de des du et est une dans pour qui sur au aux par pas cette sont".split()),
    "en": frozenset("the and of to is that for with by are this which from has have been its".split()),
}
_WORD_LANGUAGE = {word: code for code, words in _LANGUAGE_WORDS.items() for word in words}
_WORD = re.compile(r"[^\W\d_]+")
LANGUAGE_SAMPLE = 20_000  # characters read to tell the language: the first pages say it
MIN_LANGUAGE_WORDS = 8


def text_language(text: str) -> str | None:
    """ISO 639-1 code of the language whose frequent words make up most of a text (at least
    MIN_LANGUAGE_WORDS of them, over three times as many as the other languages'); None when unclear."""
    counts = Counter(_WORD_LANGUAGE[w] for w in _WORD.findall(text[:LANGUAGE_SAMPLE].lower()) if w in _WORD_LANGUAGE)
    if not counts:
        return None
    best, n = counts.most_common(1)[0]
    return best if n >= MIN_LANGUAGE_WORDS and n > 3 * (counts.total() - n) else None


# -- agenda items ---------------------------------------------------------------

_AGENDA = re.compile(
    r"(?:points?|agenda items?) (?P<items>.+?)(?: (?:de l\S*ordre|of the)\b.*)?", re.IGNORECASE)
_AGENDA_PIECE = re.compile(r"(\d+)? ?(?:([a-z]{1,2})\)|\(([a-z]{1,2})\))?")


def parse_agenda_numbers(text: str) -> list[str]:
    """Item numbers of "Points 19 b) et 20 de l'ordre du jour" as written: ["19 b)", "20"]."""
    line = re.sub(r"\s+", " ", normalize_spaces(text)).strip(" *")
    match = _AGENDA.fullmatch(line)
    if not match:
        return []
    numbers: list[str] = []
    last = ""
    for piece in re.split(r" ?, ?| (?:et|and) ", match.group("items").strip(" *")):
        found = _AGENDA_PIECE.fullmatch(piece)
        if not found or not (found.group(1) or last) or not any(found.groups()):
            return []
        last = found.group(1) or last
        letter = found.group(2) or found.group(3)
        numbers.append(f"{last} {letter})" if letter else last)
    return numbers


def agenda_items(numbers: Sequence[str], titles: Sequence[str] = ()) -> tuple[AgendaItem, ...]:
    """Pair item numbers with the title lines that follow them (one each, or one title for one item)."""
    titles = [t.strip(" *") for t in titles if t.strip(" *")]
    if len(numbers) == 1 and titles:
        return (AgendaItem(numbers[0], " ".join(titles)),)
    if len(titles) == len(numbers):
        return tuple(AgendaItem(n, t) for n, t in zip(numbers, titles))
    return tuple(AgendaItem(n) for n in numbers)


# -- organs and document types --------------------------------------------------

ORGAN_NAMES = {
    "GA": "Assemblée générale",
    "SC": "Conseil de sécurité",
    "ECOSOC": "Conseil économique et social",
    "HRC": "Conseil des droits de l'homme",
}
_ORGANS = {
    "assemblee generale": "GA", "general assembly": "GA",
    "conseil de securite": "SC", "security council": "SC",
    "conseil economique et social": "ECOSOC", "economic and social council": "ECOSOC",
    "conseil des droits de l'homme": "HRC", "human rights council": "HRC",
}
_DOC_TYPES = (
    (r"projets? de resolution", "projet de résolution"),
    (r"projets? de decision", "projet de décision"),
    (r"notes? verbales?", "note verbale"),
    (r"lettres?", "lettre"),
    (r"resolutions?", "résolution"),
    (r"decisions?", "décision"),
    (r"declarations?", "déclaration"),
)
_SYMBOL_TYPES = ((r"/RES/|/Res\.", "résolution"), (r"/DEC/", "décision"), (r"/PRST/", "déclaration"))


def sc_agenda_item(english: str) -> str:
    """The Council's French wording of a Security Council agenda item named in English.

    AKN4UN files name a Council resolution's agenda item in English only; an item
    that data/sc_agenda.tsv does not hold yet is kept in English rather than lost.
    """
    text = re.sub(r"\s+", " ", normalize_spaces(english)).strip().rstrip(".").rstrip()
    return _sc_agenda_items().get(fold(text), text)


@functools.cache
def _sc_agenda_items() -> dict[str, str]:
    """Folded English wording -> French wording, read once from data/sc_agenda.tsv."""
    rows = resources.files("corpus").joinpath("data/sc_agenda.tsv").read_text(encoding="utf-8").splitlines()
    return {fold(english): french for english, french in (row.split("\t") for row in rows[1:] if row)}


def parse_organ(text: str) -> tuple[str, str] | None:
    """Code and French name of an organ named in French or English ("Assemblée générale")."""
    code = _ORGANS.get(fold(text).strip(" .*"))
    return (code, ORGAN_NAMES[code]) if code else None


def organ_from_symbol(symbol: str) -> str | None:
    """Organ code of a UN symbol: A/HRC/... HRC, A/... GA, S/... SC, E/... ECOSOC."""
    symbol = normalize_symbol(symbol)
    for prefix, code in (("A/HRC/", "HRC"), ("A/", "GA"), ("S/", "SC"), ("E/", "ECOSOC")):
        if symbol.startswith(prefix):
            return code
    return None


def doc_type_from_title(text: str) -> str | None:
    """Document type of a French title: "Lettre datée du ..." is "lettre", "Note verbale" ..."""
    folded = fold(text)
    for pattern, label in _DOC_TYPES:
        if re.match(pattern + r"\b", folded):
            return label
    return None


def doc_type_from_symbol(symbol: str) -> str | None:
    """Document type implied by a symbol: /RES/ "résolution", /DEC/ "décision", /PRST/ "déclaration"."""
    for pattern, label in _SYMBOL_TYPES:
        if re.search(pattern, symbol):
            return label
    return None


# -- symbols and references -----------------------------------------------------

# A symbol of the main organs: A/78/918, S/RES/2700 (2023), A/C.3/78/L.5/Rev.1, A/RES/1514 (XV).
_SYMBOL = re.compile(
    r"\b[ASE](?:/[A-Z0-9][A-Za-z0-9.\-]*){2,}(?<![.\-])(?:(?<=\d) ?\((?:\d{4}|S-[IVXLC]+|[IVXLC]+)\))?")
_URL_PREFIX = re.compile(r"^(?:https?:)?//(?:www\.)?(?:un)?docs(?:\.un)?\.org/+(?:(?:fr|en|es|ru|ar|zh)/+)?",
                         re.IGNORECASE)
_MIXED_CASE = {"add", "corr", "rev", "amend", "sect", "vol", "res", "misc"}
_REF = r"(?:ES-\d+/\d+|S-\d+/\d+|\d{1,4}/\d{1,4}|\d{1,4} ?\((?:\d{4}|(?-i:S-[IVXLC]+|[IVXLC]+))\))"
_CITED = re.compile(r"\b(r[ée]solutions?|d[ée]cisions?) (" + _REF + r"(?:(?: ?, ?| et )" + _REF + r")*)",
                    re.IGNORECASE)
_CITED_ORGAN = re.compile(
    r" ?,? (?:de l['’]|du )(assembl[ée]e g[ée]n[ée]rale|conseil de s[ée]curit[ée]|"
    r"conseil des droits de l['’]homme|conseil [ée]conomique et social)\b", re.IGNORECASE)


def _symbol_word(match: re.Match[str]) -> str:
    """Upper case, except the mixed-case parts written "Add.1", "Rev.2", "Res.3"."""
    word = match.group(0)
    following = match.string[match.end():match.end() + 1]
    return word.capitalize() if word.lower() in _MIXED_CASE and following == "." else word.upper()


def normalize_symbol(text: str) -> str:
    """A UN symbol as written in a link or text, in its standard form ("S/RES/1325 (2000)")."""
    symbol = _URL_PREFIX.sub("", clean_identifier(unquote(normalize_spaces(text))))
    symbol = symbol.strip(" .,;:*")
    while symbol.endswith(")") and symbol.count(")") > symbol.count("("):
        symbol = symbol[:-1].rstrip(" .,;:*")
    symbol = re.sub(r"[A-Za-z]+", _symbol_word, symbol)
    return re.sub(r"(?<=\d) ?\(", " (", symbol)


def parse_symbol_line(line: str) -> tuple[str, ...]:
    """Symbols of a line made of symbols only ("A/78/918", "A/78/918–S/2024/500*"), else ()."""
    line = normalize_spaces(line)
    parts = re.fullmatch(r"\s*(\S+) ([A-E](?:-[A-E]){0,3})\s*", line)  # a symbol and its parts: "A/RES/75/290 B"
    if parts and _SYMBOL.fullmatch(parts.group(1)):
        return (f"{normalize_symbol(parts.group(1))} {parts.group(2)}",)
    if _SYMBOL.sub("", line).strip(" *–—"):
        return ()
    return tuple(normalize_symbol(s) for s in _SYMBOL.findall(line))


def expand_short_reference(ref: str, organ: str | None, decision: bool = False) -> str | None:
    """Full symbol of a short citation in a text of an organ ("68/192" in a GA text: "A/RES/68/192")."""
    ref = re.sub(r"\s+", " ", normalize_spaces(ref)).strip()
    kind = "DEC" if decision else "RES"
    year = re.fullmatch(r"(\d{1,4}) ?\((\d{4})\)", ref)
    if year:
        return None if decision else f"S/RES/{year.group(1)} ({year.group(2)})"
    roman = re.fullmatch(r"(\d{1,4}) ?\(((?:S-)?[IVXLC]+)\)", ref, re.IGNORECASE)
    if roman:
        return f"A/{kind}/{roman.group(1)} ({roman.group(2).upper()})"
    match = re.fullmatch(r"((?:ES-|S-)?\d{1,4})/(\d{1,4})", ref, re.IGNORECASE)
    if not match:
        return None
    session, number = match.group(1).upper(), match.group(2)
    if session.isdigit() and len(session) == 4:
        return f"E/{kind}/{session}/{number}"
    if organ == "HRC" and not session.startswith("ES-"):
        return f"A/HRC/{kind}/{session}/{number}"
    return f"A/{kind}/{session}/{number}"


def find_references(text: str, organ: str | None) -> tuple[str, ...]:
    """Symbols cited in a text, full ("A/RES/78/144") or short ("résolution 68/192"), in order."""
    text = re.sub(r"\s+", " ", normalize_spaces(text))
    found: list[tuple[int, str]] = [(m.start(), normalize_symbol(m.group(0))) for m in _SYMBOL.finditer(text)]
    for match in _CITED.finditer(text):
        named = _CITED_ORGAN.match(text, match.end())
        cited_by = parse_organ(named.group(1)) if named else None
        decision = match.group(1)[0] in "dD"
        for ref in re.findall(_REF, match.group(2), re.IGNORECASE):
            symbol = expand_short_reference(ref, cited_by[0] if cited_by else organ, decision)
            if symbol:
                found.append((match.start(2), symbol))
    return tuple(dict.fromkeys(symbol for _, symbol in sorted(found, key=lambda item: item[0])))


# -- senders, signatories, groups -------------------------------------------------

_SENDER = re.compile(
    r"\bpar (?:le|la|les|l') ?(?:repr[ée]sentante?s? permanente?s?(?: adjointe?s?)?"
    r"|charg[ée]e?s? d'affaires(?: par int[ée]rim| a\. ?i\.)?|missions? permanentes?"
    r"|d[ée]l[ée]gations?|gouvernements?|ministres? des affaires [ée]trang[èe]res)"
    r"(?: (?:de la|des) missions? permanentes?)?"
    r" (?P<states>(?:du|de la|de l'|des|de|d') ?.+?)(?= aupr[èe]s\b|,(?! (?:et )?(?:du|de|des|d')\b)|\.|$)",
    re.IGNORECASE)
_ARTICLE = re.compile(r"^(?:du|de la|de l'|des|de|d')\s*", re.IGNORECASE)


def sender_states(title: str, lookup: Callable[[str], str | None]) -> tuple[str, ...]:
    """Codes of the states whose representatives send a letter or note ("... du Bélarus auprès ...")."""
    match = _SENDER.search(re.sub(r"\s+", " ", straight_apostrophes(normalize_spaces(title))))
    if not match:
        return ()
    phrase = match.group("states")
    whole = lookup(_ARTICLE.sub("", phrase))
    if whole:
        return (whole,)
    names = re.split(r" ?, ?(?:et )?| et (?=(?:du|de|des|d')\b)", phrase)
    codes = (lookup(_ARTICLE.sub("", name)) for name in names)
    return tuple(dict.fromkeys(code for code in codes if code))


def parse_signatory(line: str) -> str | None:
    """The name after "(Signé)" / "(Signed)" ('' when the name is not on that line), else None."""
    match = re.match(r"\s*\((?:sign[ée]e?|signed)\)\s*(.*)", normalize_spaces(line), re.IGNORECASE)
    return re.sub(r"\s+", " ", match.group(1)).strip() if match else None


def member_heading(line: str) -> str | None:
    """The group named by a heading "Membres du Groupe d'Amis" ("Groupe d'Amis"), else None."""
    line = re.sub(r"\s+", " ", straight_apostrophes(normalize_spaces(line))).strip()
    match = re.fullmatch(r"(?:liste des )?(?:[ée]tats )?membres (?:du|de la|de l'|des) ?(.{1,100}?) ?:?",
                         line, re.IGNORECASE)
    return match.group(1) if match and not match.group(1).endswith(".") else None


_GROUP = re.compile(
    r"\bGroupe (?:d'|des? |du |de la )\S.*?"
    r"(?=\s*[,;:.(«]| (?:à l'occasion|lors|au sujet|à propos|concernant|dans le cadre|au nom)\b|\s*$)")


def group_names(text: str) -> tuple[str, ...]:
    """Names of groups ("Groupe d'Amis unis contre la traite des êtres humains") in a heading or title."""
    text = re.sub(r"\s+", " ", straight_apostrophes(normalize_spaces(text)))
    return tuple(dict.fromkeys(m.group(0) for m in _GROUP.finditer(text)))
