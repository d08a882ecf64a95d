"""Document sets for the benchmarks, made in temporary folders: a subset, the corpus N times, one new file."""

from __future__ import annotations

import itertools
import os
import re
import shutil
from collections.abc import Iterator

from corpus.scanning import SUFFIXES, read

_DOC_NUMBER = re.compile(rb"(<docNumber\b[^>]*>)([^<]+)(</docNumber>)")
_FIRST_P = re.compile(rb"<p\b[^>]*>")


def corpus_files(root: str) -> list[str]:
    """Document files under `root`, sorted, hidden ones left out (as the readers list them)."""
    out = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        out += [os.path.join(folder, f) for f in sorted(files)
                if not f.startswith(".") and f.lower().endswith(SUFFIXES)]
    return out


def _copy_tree(files: list[str], root: str, dest: str, tag: str | None) -> int:
    """Copy files below `dest` keeping their relative paths; with a tag, rewrite their ids."""
    for path in files:
        rel = os.path.relpath(path, root)
        folder, name = os.path.split(rel)
        target = os.path.join(dest, folder, f"{tag}-{name}" if tag else name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if tag:
            with open(path, "rb") as handle:
                data = rewrite_id(handle.read(), tag)
            with open(target, "wb") as handle:
                handle.write(data)
        else:
            shutil.copyfile(path, target)
    return len(files)


def subset(root: str, dest: str, n: int) -> int:
    """Copy n files spread evenly over the corpus (every k-th) into `dest`."""
    files = corpus_files(root)
    step = max(1, len(files) // n)
    return _copy_tree(files[::step][:n], root, dest, None)


def copies(root: str, dest: str, times: int, start: int = 0) -> int:
    """Copies `start`..`times - 1` of the corpus under `dest` (copy 0 as is, the others with new ids:
    docNumber, file name); return the files written. A folder holding the first k copies is made
    into one of n copies by `copies(root, dest, n, start=k)`."""
    files = corpus_files(root)
    return sum(_copy_tree(files, root, os.path.join(dest, f"copy{k}"), f"c{k}" if k else None)
               for k in range(start, times))


def tagged_symbol(symbol: str, tag: str) -> str:
    """A new symbol in the same series: the tag as a part before the numbers ('A/RES/78/13' -> 'A/RES/C1/78/13').

    The organ prefix stays, and so does the session/number ending that the reader
    checks against the file name.
    """
    parts = symbol.split("/")
    at = next((i for i, p in enumerate(parts) if p[:1].isdigit()), len(parts))
    return "/".join(parts[:at] + [tag.upper()] + parts[at:])


def rewrite_id(data: bytes, tag: str) -> bytes:
    """The same document under a new symbol (its first docNumber tagged), with the same text.

    A comment naming the tag is appended too, so that files without a docNumber
    (whose id is their file name) do not repeat the original's bytes.
    """
    def tagged(m: re.Match) -> bytes:
        symbol = tagged_symbol(m.group(2).decode("utf-8").strip(), tag)
        return m.group(1) + symbol.encode("utf-8") + m.group(3)

    data = _DOC_NUMBER.sub(tagged, data, count=1)
    return data.rstrip() + f"\n<!-- copy {tag} -->\n".encode()


def new_document(source: str, dest_dir: str, tag: str, marker: str) -> str:
    """A new file made from `source`: a new symbol and `marker` as the first word of its text."""
    with open(source, "rb") as handle:
        data = rewrite_id(handle.read(), tag)
    text_start = max(data.rfind(end) for end in (b"</meta>", b"</coverPage>", b"</preface>"))
    match = _FIRST_P.search(data, max(text_start, 0))
    if match is None:
        raise ValueError(f"no <p> in {source}")
    data = data[:match.end()] + marker.encode() + b" " + data[match.end():]
    os.makedirs(dest_dir, exist_ok=True)
    path = os.path.join(dest_dir, f"{tag}-{os.path.basename(source)}")
    with open(path, "wb") as handle:
        handle.write(data)
    if marker not in read(path).body:
        os.remove(path)
        raise ValueError(f"the marker does not reach the text of {source}")
    return path


def markers() -> Iterator[str]:
    """Words found in no document (letters only, so every analyzer keeps them whole): one per new document."""
    words = ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india")
    for n in itertools.count(1):
        for combo in itertools.product(words, repeat=n):
            yield "zxqw" + "".join(combo)
