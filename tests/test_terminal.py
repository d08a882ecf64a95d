"""A hostile terminal: text from documents and file names never acts on the terminal.

Documents (AKN XML and text) and file names made here in tmp_path carry escape
sequences in their 7-bit and C1 forms (window title, OSC 8 hyperlink, screen
clearing, colours), other controls and bidirectional overrides. Every command
(`index`, `inspect`, `search`, `show`, `stats`, in text and JSON, with colour on and
off) must print them as visible escapes; the only escape sequences in the output
are our own colours, JSON output reads back as the exact data, and French text is
printed as it is.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import corpus
from corpus.display import shown
from search.cli import main
from tests.conftest import akn_xml

# Our own colours: bold result heads (click.style), bold yellow matched words, and the reset.
OUR_SGR = re.compile(r"\x1b\[(?:1|1;33|0)m")
# Format characters printed as they are (they occur in French text and act on nothing else).
HARMLESS_FORMAT = {"\u00ad", "\u200b", "\u200e"}
FRENCH = "Réaffirme « l’ONU » — œuvre\u00a0: 5\u202f% des États, à Genève… "

# What a document may try: 7-bit and C1 escape sequences, other controls, bidi overrides and isolates,
# invisible right-to-left marks and tag characters, line and paragraph separators, DEL.
OSC_TITLE = "\x1b]0;pwned\x07"
OSC_LINK = "\x1b]8;;evil.example\x1b\\clic\x1b]8;;\x1b\\"  # no slash: it is in file names too
C0_ATTACKS = OSC_TITLE + OSC_LINK + "\x1b[2J\x1b[31m\x1b[5m\x1bc\x08\x08\r\x0b\x0c\x7f"
C1_ATTACKS = ("\u009b31m\u009d0;c1 title\u009c\u009d8;;https://evil.example/\u009c\u0085\u0090"
              "\u202e\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069\u200f\u061c\ufeff\U000e0041\u2028\u2029")


def forbidden(text: str) -> list[str]:
    """The characters of printed output that could act on a terminal (after our own colours are removed):
    controls but line feed and tab, format characters but the harmless ones, surrogates, unassigned
    code points, line and paragraph separators."""
    bad = []
    for char in OUR_SGR.sub("", text):
        category = unicodedata.category(char)
        if (category == "Cc" and char not in "\n\t") or category in ("Cs", "Cn", "Zl", "Zp") \
                or (category == "Cf" and char not in HARMLESS_FORMAT):
            bad.append(char)
    return bad


# -- the neutraliser ---------------------------------------------------------------------------

def test_escape_sequences_become_visible_escapes():
    assert shown(OSC_TITLE) == "\\u001b]0;pwned\\u0007"
    assert shown("\u009b31m\u202eevil\u2066") == "\\u009b31m\\u202eevil\\u2066"
    assert shown("a\nb\tc\rd") == "a\\nb\\tc\\rd"
    assert shown("a\nb\tc\rd", keep="\n\t") == "a\nb\tc\\rd"
    assert shown("\U000e0041\udcff\x7f") == "\\udb40\\udc41\\udcff\\u007f"
    # Invisible right-to-left marks are escaped; the left-to-right mark of French resolutions is kept.
    assert shown("78\u200f/1\u061c") == "78\\u200f/1\\u061c" and shown("de \u200etechnologie") == "de \u200etechnologie"


def test_french_text_is_unchanged():
    text = FRENCH + "Œuvre « ça » – “guillemets” ‘simples’ 10\u2009000 € ½ ß İ Ø\u00ad\u200b\u200e ÿ"
    assert shown(text) == text


ANY_CHARACTER = st.characters(exclude_categories=())  # surrogates too, as file names decode them
HOSTILE = st.sampled_from(sorted(set(C0_ATTACKS + C1_ATTACKS + FRENCH + "\\\"u")))
STRINGS = st.text(st.one_of(ANY_CHARACTER, HOSTILE), max_size=60)


@settings(max_examples=300, deadline=None)
@given(STRINGS)
def test_shown_leaves_no_forbidden_character_and_is_stable(text):
    once = shown(text)
    assert forbidden(once) == []
    assert "\n" not in once and "\t" not in once
    assert shown(once) == once
    kept = shown(text, keep="\n\t")
    assert forbidden(kept) == [] and kept.count("\n") == text.count("\n")


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(FRENCH + "abcdefghijklmnopqrstuvwxyzÀÂÇÈÉÊËÎÏÔÙÛÜŸàâæçèéêëîïôùûüÿœŒ0123456789"
                                        " .,;:!?'\"()[]/-_%&@*+=<>«»‘’“”–—…\u00a0\u202f\u2009"), max_size=80))
def test_french_strings_are_unchanged(text):
    assert shown(text) == text


@settings(max_examples=300, deadline=None)
@given(st.recursive(STRINGS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(STRINGS, inner, max_size=3),
                    max_leaves=8))
def test_json_made_safe_reads_back_as_the_same_data(data):
    printed = shown(json.dumps(data, ensure_ascii=False, indent=2), keep="\n")
    assert forbidden(printed) == []
    assert json.loads(printed) == data


# -- the commands on a hostile corpus ----------------------------------------------------------

def _letter(title_attack: str, body_attack: str) -> str:
    """A letter converted from PDF whose title, agenda, body, signatory, members and references hold attacks."""
    return ("Assemblée générale\n\nDistr. générale\n27 juin 2024\n\nSoixante-dix-huitième session\n"
            f"Point 107 de l'ordre du jour\nPrévention {body_attack} du crime\n\n"
            f"Lettre datée du 27 juin 2024, adressée au Secrétaire général {title_attack} par le Représentant "
            "permanent du Bélarus auprès de l'Organisation des Nations Unies\n\n"
            f"J'ai l'honneur de vous transmettre la déclaration sur la traite {body_attack} des êtres humains. "
            f"{FRENCH}Voir la [résolution 68/192{body_attack}](https://undocs.org/A/RES/68/192{body_attack}).\n\n"
            f"(Signé) Valentin {body_attack}**Rybakov**\n\n"
            "Membres du Groupe d'Amis\n\n"
            f"Bélarus    {OSC_TITLE}\u202eAtlantide    France\n")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A corpus folder (its own name holding an escape sequence) of hostile documents, and an index of it."""
    base = tmp_path_factory.mktemp("hostile")
    root = base / f"corpus{OSC_TITLE}"
    root.mkdir()
    (root / f"resolution{OSC_TITLE}.xml").write_text(akn_xml(
        f"A/RES/78/1{C1_ATTACKS[:4]}", title=f"{FRENCH}Traite {C1_ATTACKS}",
        paragraphs=(f"La traite des enfants {C1_ATTACKS}.", FRENCH), agenda=(("107", f"Prévention {C1_ATTACKS}"),),
        sponsors=f"France, Bélarus, Atlantide{C1_ATTACKS}"), encoding="utf-8")
    (root / "lettre\x1b[31m\u202e.txt").write_text(_letter(C0_ATTACKS, C0_ATTACKS + C1_ATTACKS), encoding="utf-8")
    (root / f"cassé{OSC_LINK}.xml").write_text("<akomaNtoso><oops", encoding="utf-8")
    (root / "\u202etxt.exe.xml").write_bytes(b"\x00\x01binary")
    index_dir = base / "ix\x1b[5m"
    return root, index_dir


def onu(*args: object):
    """Run `onu`; click strips nothing from the output (as on a terminal, where it strips nothing)."""
    return CliRunner().invoke(main, [str(a) for a in args], color=True)


def clean(result) -> str:
    """The command's output (stdout and stderr), checked to hold no character that acts on a terminal."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert forbidden(result.output) == [], result.output
    return result.output


@pytest.fixture(scope="module")
def indexed(hostile):
    """The hostile corpus indexed by `onu index`, with that command's text output."""
    root, index_dir = hostile
    result = onu("index", root, "--index", index_dir)
    assert result.exit_code == 0, result.output
    return root, index_dir, result


def test_index_prints_escaped_file_names(indexed):
    root, _, result = indexed
    output = clean(result)
    assert "2 added" in output and "2 skipped" in output
    assert f"unreadable: {shown(str(root))}/cassé\\u001b]8;;evil.example\\u001b\\clic" in output
    assert "\\u202etxt.exe.xml" in output


def test_index_json_is_exact_and_safe(hostile, tmp_path):
    root, _ = hostile
    result = onu("index", root, "--index", tmp_path / "ix", "--json")
    data = json.loads(clean(result))
    assert data["roots"] == [str(root)]
    assert {Path(s["path"]).name for s in data["skipped"]} == {f"cassé{OSC_LINK}.xml", "\u202etxt.exe.xml"}


@pytest.mark.parametrize("colour", [True, False])
def test_search_with_and_without_colour(indexed, monkeypatch, colour):
    _, index_dir, _ = indexed
    monkeypatch.setattr("search.cli.searching.use_color", lambda stream: colour)
    output = clean(onu("search", "traite", "--index", index_dir, "--facets", "state,agenda,type,organ,session"))
    assert "2 documents" in output
    assert ("\x1b[1;33mtraite\x1b[0m" in output) is colour and ("[traite]" in output) is not colour
    assert ("\x1b[1m1. " in output) is colour
    assert "\\u001b]0;pwned\\u0007" in output and "\\u009b31m\\u009d0;c1 title\\u009c" in output
    assert "lettre\\u001b[31m\\u202e.txt" in output
    assert "   Réaffirme « l’ONU » —" in output


def test_search_json_is_exact_and_safe(indexed):
    root, index_dir, _ = indexed
    data = json.loads(clean(onu("search", "traite", "--index", index_dir, "--json")))
    by_path = {hit["path"]: hit for hit in data["hits"]}
    for path in root.iterdir():
        if path.suffix == ".txt" or "resolution" in path.name:
            record = corpus.read(path)
            assert by_path[str(path)]["title"] == record.title and by_path[str(path)]["id"] == record.id


def test_show_prints_every_field_escaped(indexed):
    root, index_dir, _ = indexed
    letter = corpus.read(next(root.glob("lettre*.txt")))
    assert OSC_TITLE in letter.title and letter.signatories and "\x1b" in letter.signatories[0]
    output = clean(onu("show", letter.id, "--index", index_dir))
    assert shown(letter.signatories[0]) in output and shown(letter.title) in output
    assert shown(letter.body, keep="\n\t") in output
    resolution = corpus.read(next(root.glob("resolution*.xml")))
    output = clean(onu("show", resolution.symbol, "--index", index_dir))
    assert f"      symbol: {shown(resolution.symbol)}\n" in output and "\\u202e" in output
    french = resolution.title.split(" Traite")[0]  # FRENCH as the reader keeps it
    assert len(french) > 40 and f"       title: {french} Traite \\u009b31m" in output


def test_show_json_is_exact_and_safe(indexed):
    root, index_dir, _ = indexed
    letter = corpus.read(next(root.glob("lettre*.txt")))
    data = json.loads(clean(onu("show", letter.id, "--index", index_dir, "--json")))
    assert data["title"] == letter.title and data["body"] == letter.body and data["path"] == letter.path


def test_inspect_text_and_json(indexed):
    root, _, _ = indexed
    output = clean(onu("inspect", root))
    assert "unclassified sponsor entry: \\u001b]0;pwned\\u0007\\u202eAtlantide\n" in output
    assert "unreadable: " in output and "2 documents read" in output
    data = json.loads(clean(onu("inspect", root, "--json")))
    assert sorted(r["path"] for r in data["records"]) == sorted(
        str(p) for p in root.iterdir() if p.suffix == ".txt" or "resolution" in p.name)


def test_stats_text_and_json(indexed):
    root, index_dir, _ = indexed
    output = clean(onu("stats", "--index", index_dir))
    assert f"folders: {shown(str(root))}\n" in output and "corpus\\u001b]0;pwned\\u0007" in output
    assert f"index: {shown(os.path.abspath(index_dir))}\n" in output
    data = json.loads(clean(onu("stats", "--index", index_dir, "--json")))
    assert data["roots"] == [str(root)] and data["path"] == os.path.abspath(index_dir)


def test_error_messages_are_escaped(tmp_path):
    result = onu("search", "x", "--index", tmp_path / f"nowhere{OSC_TITLE}\u202e")
    assert result.exit_code == 1
    assert "no index at " in clean(result) and "nowhere\\u001b]0;pwned\\u0007\\u202e" in result.output
