"""Finding document files, reading them, and reporting those not taken."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .akn import is_akn, read_akn
from .errors import ReadError
from .record import Statement
from .textreader import read_text

SUFFIXES = (".xml", ".txt")
MAX_BYTES = 64 * 1024 * 1024

# Reasons a file is not taken; the kind is what scripts can switch on.
UNREADABLE = "unreadable"
NOT_FRENCH = "not French"
DUPLICATE = "duplicate"
UNSUPPORTED = "unsupported"
WARNING = "warning"


@dataclass(frozen=True)
class Skipped:
    """A file that was not taken (or taken with a warning), and why."""

    path: str
    kind: str
    reason: str


def checksum(data: bytes) -> str:
    """Content fingerprint of a file's bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def read(path: str | os.PathLike[str]) -> Statement:
    """Read one document file (AKN4UN XML or text converted from PDF) into a Statement."""
    return read_with_warnings(path)[0]


def read_with_warnings(path: str | os.PathLike[str]) -> tuple[Statement, list[str]]:
    """Read one file; also return warnings such as a non-UTF-8 encoding that was guessed."""
    name = os.fspath(path)
    try:
        size = os.path.getsize(name)
        if size > MAX_BYTES:
            raise ReadError(name, f"file too large ({size // 2**20} MiB; the limit is {MAX_BYTES // 2**20} MiB)")
        with open(name, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise ReadError(name, "file vanished before it could be read") from None
    except IsADirectoryError:
        raise ReadError(name, "is a folder") from None
    except OSError as exc:
        raise ReadError(name, exc.strerror or str(exc)) from None
    if not data.strip():
        raise ReadError(name, "empty file")
    digest = checksum(data)
    if is_akn(data.lstrip(b"\xef\xbb\xbf")):
        return read_akn(name, data, digest), []
    if name.lower().endswith(".xml"):
        if b"\0" in data[:8192]:
            raise ReadError(name, "binary file, not XML")
        raise ReadError(name, "XML that is not Akoma Ntoso (AKN4UN)")
    return read_text(name, data, digest)


def iter_files(paths: Iterable[str | os.PathLike[str]], skipped: list[Skipped]) -> Iterator[str]:
    """Document files under the given files and folders, sorted, each once.

    Symlinked folders are followed once (loops are cut); folders that cannot
    be listed and files of other types are added to `skipped`.
    """
    seen_dirs: set[tuple[int, int]] = set()
    seen_files: set[str] = set()
    for root in paths:
        root = os.fspath(root)
        if os.path.isfile(root):
            if root not in seen_files:
                seen_files.add(root)
                yield root
            continue
        if not os.path.isdir(root):
            skipped.append(Skipped(root, UNREADABLE, "no such file or folder"))
            continue
        for folder, dirs, files in os.walk(root, followlinks=True,
                                           onerror=lambda e: skipped.append(
                                               Skipped(e.filename, UNREADABLE, e.strerror or str(e)))):
            try:
                st = os.stat(folder)
            except OSError:
                dirs[:] = []
                continue
            if (st.st_dev, st.st_ino) in seen_dirs:
                dirs[:] = []
                skipped.append(Skipped(folder, UNREADABLE, "folder seen before (symbolic link loop)"))
                continue
            seen_dirs.add((st.st_dev, st.st_ino))
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if name.startswith("."):
                    continue
                full = os.path.join(folder, name)
                if not name.lower().endswith(SUFFIXES):
                    skipped.append(Skipped(full, UNSUPPORTED, f"not a document file ({Path(name).suffix or 'no suffix'})"))
                elif full not in seen_files:
                    seen_files.add(full)
                    yield full


@dataclass
class Deduplicator:
    """Remembers documents kept so far, to name later files that repeat one."""

    by_key: dict[tuple[str, str], str] = field(default_factory=dict)
    by_checksum: dict[str, str] = field(default_factory=dict)

    def keep(self, record: Statement) -> str | None:
        """Record a document; return the path it duplicates, or None if it is new."""
        key = (record.id, record.language)
        first = self.by_key.get(key) or self.by_checksum.get(record.checksum)
        if first is not None and first != record.path:
            return first
        self.by_key[key] = record.path
        self.by_checksum[record.checksum] = record.path
        return None


class Scan:
    """Iterate over the French documents under some paths; `skipped` tells what was not taken.

    Example:
        s = scan(["corpus/"])
        records = list(s)
        for item in s.skipped: print(item.path, item.reason)
    """

    def __init__(self, paths: Iterable[str | os.PathLike[str]], language: str = "fr") -> None:
        self.paths = list(paths)
        self.language = language
        self.skipped: list[Skipped] = []

    def __iter__(self) -> Iterator[Statement]:
        dedup = Deduplicator()
        for path in iter_files(self.paths, self.skipped):
            outcome = take(path, self.language, dedup, self.skipped)
            if outcome is not None:
                yield outcome


def take(path: str, language: str, dedup: Deduplicator, skipped: list[Skipped]) -> Statement | None:
    """Read one file and decide whether it is taken; reasons go to `skipped`."""
    try:
        record, warnings = read_with_warnings(path)
    except ReadError as exc:
        skipped.append(Skipped(path, UNREADABLE, exc.reason))
        return None
    return admit(record, warnings, language, dedup, skipped)


def admit(record: Statement, warnings: list[str], language: str, dedup: Deduplicator,
          skipped: list[Skipped]) -> Statement | None:
    """Take a record read from a file unless it is in another language or a duplicate."""
    path = record.path
    if record.language != language:
        skipped.append(Skipped(path, NOT_FRENCH, f"language is {record.language!r}, not {language!r}"))
        return None
    first = dedup.keep(record)
    if first is not None:
        skipped.append(Skipped(path, DUPLICATE, f"duplicate of {first} ({record.id})"))
        return None
    skipped.extend(Skipped(path, WARNING, w) for w in warnings)
    return record


def scan(paths: Iterable[str | os.PathLike[str]], language: str = "fr") -> Scan:
    """Walk files and folders and yield their French records (see Scan)."""
    return Scan(paths, language)
