"""Text from documents and file names made safe to print on a terminal.

A document or a file name can hold characters that act on the terminal instead of
being shown: escape sequences (7-bit ESC or C1 forms such as U+009B CSI and U+009D OSC)
that set the window title, embed hyperlinks or rewrite the screen; other control
characters (a carriage return that lets a line overwrite itself, DEL); bidirectional
embeddings, overrides, isolates and invisible right-to-left marks that show the
text that follows in another order. `shown` writes each of them as its JSON escape
(\\u001b, \\u202e), which is readable, keeps JSON output exact and valid, and is left
unchanged by a second pass. French text (accents, œ, « », no-break spaces, ’, —)
is printed as it is.
"""

from __future__ import annotations

import re
import unicodedata

# Categories of characters that are never printed raw: controls (Cc), format characters (Cf),
# lone surrogates (Cs, from file names that are not UTF-8), unassigned code points (Cn, which
# a newer terminal may take as format characters) and the line and paragraph separators.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Cn", "Zl", "Zp"})
# Format characters that occur in French text and act on no other character's order or on
# the terminal: the soft hyphen, the zero-width space (6 documents of the UN corpus) and the
# left-to-right mark (3 resolutions), whose direction is already that of French text. Its
# right-to-left twins U+200F and U+061C are escaped: invisible, they can reorder the digits
# and punctuation next to them in a terminal that does bidi (a symbol read wrongly).
_HARMLESS_FORMAT = frozenset("\u00ad\u200b\u200e")
# JSON's own short escapes, easier to read than \u000a.
_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
# Everything outside printable ASCII, Latin-1, Latin Extended and the combining accents is
# looked at one by one; French text is mostly made of the rest.
_CANDIDATE = re.compile("[^ -~\u00a0-\u036f]")


def shown(text: str, keep: str = "") -> str:
    """The text with each character that could act on a terminal written as its JSON escape
    (\\u001b; \\n, \\t, \\r; a pair of escapes above U+FFFF); the characters in `keep`
    (such as "\\n\\t" where the layout needs them) are left as they are."""
    def escape(match: re.Match[str]) -> str:
        char = match.group()
        if char in keep or char in _HARMLESS_FORMAT or unicodedata.category(char) not in _UNSAFE_CATEGORIES:
            return char
        if char in _SHORT:
            return _SHORT[char]
        code = ord(char)
        if code > 0xFFFF:
            code -= 0x10000
            return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
        return f"\\u{code:04x}"

    return _CANDIDATE.sub(escape, text)
