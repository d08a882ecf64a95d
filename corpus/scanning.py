"""Finding document files, reading them, and reporting those not taken."""

from __future__ import annotations

import hashlib
import os
import stat
from importlib import import_module
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .akn import is_akn, read_akn
from .errors import ReadError
from .french import fold
from .limits import capped
from .record import Statement
from .textreader import read_text

# Readers of the formats with a structure of their own, by file suffix (imported when first used).
_READERS = {".pdf": ("pdf", "read_pdf"), ".docx": ("docx", "read_docx")}
SUFFIXES = (".xml", ".txt", *_READERS)
# The largest UN document of the corpora is under 0.5 MiB; a file over this limit is refused
# from its size alone, before it is read (the text reader takes a few seconds a MiB).
MAX_BYTES = 16 * 1024 * 1024
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
# Bytes that never occur in text: C0 controls other than tab, line feed, form feed and carriage return.
_BINARY_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))

# The same document in several formats is kept once, from the richest: AKN XML, Word, PDF, text.
FORMAT_RANKS = {".xml": 0, ".docx": 1, ".pdf": 2, ".txt": 3}

# Reasons a file is not taken; the kind is what scripts can switch on.
UNREADABLE = "unreadable"
NOT_FRENCH = "not French"
DUPLICATE = "duplicate"
UNSUPPORTED = "unsupported"
WARNING = "warning"
OUTSIDE = "symbolic link leads outside the indexed folders"


@dataclass(frozen=True)
class Skipped:
    """A file that was not taken (or taken with a warning), and why."""

    path: str
    kind: str
    reason: str


def format_rank(path: str) -> int:
    """How rich a file's format is (0 the richest): of one document's files, the richest is kept."""
    return FORMAT_RANKS.get(os.path.splitext(path)[1].lower(), len(FORMAT_RANKS))


@dataclass(frozen=True)
class Folders:
    """The files and folders a user named, and where they really lie: what a walk may read.

    A symbolic link met on the way is followed only when it leads into one of them
    (a link named by the user is what the user chose: it is followed).
    """

    named: frozenset[str]
    real: tuple[str, ...]

    @classmethod
    def of(cls, paths: Iterable[str | os.PathLike[str]]) -> Folders:
        """The folders of these paths."""
        names = [os.path.abspath(os.fspath(p)) for p in paths]
        return cls(frozenset(names), tuple(os.path.realpath(n) for n in names))

    def resolve(self, path: str) -> str | None:
        """The real path of a file that lies in the folders, or None when it lies elsewhere."""
        real = os.path.realpath(path)
        if os.path.abspath(path) in self.named:
            return real
        inside = any(real == r or real.startswith(r.rstrip(os.sep) + os.sep) for r in self.real)
        return real if inside else None


def checksum(data: bytes) -> str:
    """Content fingerprint of a file's bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def read(path: str | os.PathLike[str]) -> Statement:
    """Read one document file (AKN4UN XML or text converted from PDF) into a Statement."""
    return read_with_warnings(path)[0]


def read_with_warnings(path: str | os.PathLike[str], within: Folders | None = None) -> tuple[Statement, list[str]]:
    """Read one file; also return warnings such as a non-UTF-8 encoding that was guessed.

    Every failure is a ReadError whose reason says why: bad bytes, a file that
    vanished or cannot be opened, a device or pipe, a file too large. A reader
    that fails on some input in a way nobody foresaw gives a ReadError too, so
    that one bad file never stops a run over thousands. A file found by walking
    folders (`within`) is read only if it still lies in them when it is opened.
    """
    name = os.fspath(path)
    data = read_bytes(name, within)
    if not data.strip():
        raise ReadError(name, "empty file")
    try:
        return _parse(name, data)
    except ReadError:
        raise
    except RecursionError:
        raise ReadError(name, "structure nested too deep to be read") from None
    except MemoryError:
        raise ReadError(name, "too large to be read in memory") from None
    except Exception as exc:  # a reader bug on unusual input: report it with the file, go on with the others
        raise ReadError(name, f"could not be read ({type(exc).__name__}: {exc})") from None


def read_bytes(name: str, within: Folders | None = None) -> bytes:
    """The bytes of a regular file of at most MAX_BYTES; ReadError otherwise.

    The file is opened without blocking and checked before it is read, so a
    pipe, a device (/dev/zero named .xml) or a file that grows while it is
    read cannot hang the run or fill the memory. With `within`, a file that a
    symbolic link takes out of those folders is refused before it is opened,
    and again after (a file or folder swapped for a link since the walk).
    """
    if within is not None and within.resolve(name) is None:
        raise ReadError(name, OUTSIDE)
    try:
        fd = os.open(name, _OPEN_FLAGS)
    except FileNotFoundError:
        why = "broken symbolic link" if os.path.islink(name) else "file vanished before it could be read"
        raise ReadError(name, why) from None
    except IsADirectoryError:
        raise ReadError(name, "is a folder") from None
    except PermissionError:
        raise ReadError(name, "permission denied") from None
    except OSError as exc:
        raise ReadError(name, exc.strerror or str(exc)) from None
    try:
        st = os.fstat(fd)
        if within is not None:
            _check_opened(name, st, within)
        if stat.S_ISDIR(st.st_mode):
            raise ReadError(name, "is a folder")
        if not stat.S_ISREG(st.st_mode):
            raise ReadError(name, "not a regular file (a device, pipe or socket)")
        if st.st_size > MAX_BYTES:
            raise ReadError(name, _too_large(st.st_size))
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(st.st_size + 1)
            while len(data) > st.st_size and len(data) <= MAX_BYTES:  # it grew: go on, in bounded steps
                more = handle.read(min(2**20, MAX_BYTES + 1 - len(data)))
                if not more:
                    break
                data += more
        if len(data) > MAX_BYTES:
            raise ReadError(name, _too_large(len(data)) + " (it grew while being read)")
        return data
    except OSError as exc:
        raise ReadError(name, exc.strerror or str(exc)) from None
    finally:
        os.close(fd)


def _check_opened(name: str, opened: os.stat_result, within: Folders) -> None:
    """ReadError unless the path, resolved now, lies in the folders and names the very file opened."""
    real = within.resolve(name)
    if real is None:
        raise ReadError(name, OUTSIDE)
    try:
        now = os.stat(real)
    except OSError:
        now = None
    if now is None or (now.st_dev, now.st_ino) != (opened.st_dev, opened.st_ino):
        raise ReadError(name, "replaced while it was being opened (by a symbolic link or another file)")


def _too_large(size: int) -> str:
    return f"file too large ({size / 2**20:.0f} MiB; the limit is {MAX_BYTES // 2**20} MiB)"


def _parse(name: str, data: bytes) -> tuple[Statement, list[str]]:
    """The record of a file's bytes, by the reader its content calls for, cut at the words caps."""
    record, warnings = _read(name, data, checksum(data))
    record, cut = capped(record)
    return record, warnings + cut


def _read(name: str, data: bytes, digest: str) -> tuple[Statement, list[str]]:
    reader = _READERS.get(os.path.splitext(name)[1].lower())
    if reader is not None:
        module, function = reader
        return getattr(import_module(f".{module}", __package__), function)(name, data, digest)
    if is_akn(data.lstrip(b"\xef\xbb\xbf")):
        return read_akn(name, data, digest), []
    if name.lower().endswith(".xml"):
        if not data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 XML is left to the parser
            head = data[:8192].lstrip(b"\xef\xbb\xbf \t\r\n")
            if len(head.translate(None, _BINARY_BYTES)) != len(head):
                raise ReadError(name, "binary file, not XML")
            if not head.startswith(b"<"):
                raise ReadError(name, "not XML (it does not start with a tag)")
        # The safe parser says what is wrong: malformed, a DTD, or a root other than <akomaNtoso>.
        return read_akn(name, data, digest), []
    return read_text(name, data, digest)


def iter_files(paths: Iterable[str | os.PathLike[str]], skipped: list[Skipped]) -> Iterator[str]:
    """Document files under the given files and folders, sorted, each once.

    Symbolic links are followed where they lead into the folders named (once:
    loops are cut), never out of them; those links, folders that cannot be
    listed, names that are not valid UTF-8 (they could not be stored or
    printed) and files of other types are added to `skipped`.
    """
    paths = [os.fspath(p) for p in paths]
    folders = Folders.of(paths)
    seen_dirs: set[tuple[int, int]] = set()
    seen_files: set[str] = set()

    def leaves(path: str) -> bool:
        if os.path.islink(path) and folders.resolve(path) is None:
            skipped.append(Skipped(printable(path), UNREADABLE, OUTSIDE))
            return True
        return False

    def unlisted(exc: OSError) -> None:
        skipped.append(Skipped(printable(exc.filename or "?"), UNREADABLE,
                               f"folder cannot be listed ({exc.strerror or exc})"))

    for given in paths:
        root = os.fspath(given)
        if not valid_name(root):
            skipped.append(Skipped(printable(root), UNREADABLE, BAD_NAME))
            continue
        if os.path.isdir(root):
            pass
        elif os.path.exists(root):  # a file (a device or pipe is refused when read, with the reason)
            if root not in seen_files:
                seen_files.add(root)
                yield root
            continue
        else:
            why = "broken symbolic link or link loop" if os.path.lexists(root) else "no such file or folder"
            skipped.append(Skipped(root, UNREADABLE, why))
            continue
        for folder, dirs, files in os.walk(root, followlinks=True, onerror=unlisted):
            try:
                st = os.stat(folder)
            except OSError as exc:
                dirs[:] = []
                skipped.append(Skipped(folder, UNREADABLE, f"folder cannot be read ({exc.strerror or exc})"))
                continue
            if (st.st_dev, st.st_ino) in seen_dirs:
                dirs[:] = []
                skipped.append(Skipped(folder, UNREADABLE, "folder seen before (symbolic link loop)"))
                continue
            seen_dirs.add((st.st_dev, st.st_ino))
            kept = []
            for d in sorted(dirs):
                if d.startswith("."):
                    continue
                if not valid_name(d):
                    skipped.append(Skipped(printable(os.path.join(folder, d)), UNREADABLE, BAD_NAME))
                elif not leaves(os.path.join(folder, d)):
                    kept.append(d)
            dirs[:] = kept
            for name in sorted(files):
                if name.startswith("."):
                    continue
                full = os.path.join(folder, name)
                if not name.lower().endswith(SUFFIXES):
                    skipped.append(Skipped(printable(full), UNSUPPORTED,
                                           f"not a document file ({Path(name).suffix or 'no suffix'})"))
                elif not valid_name(name):
                    skipped.append(Skipped(printable(full), UNREADABLE, BAD_NAME))
                elif full not in seen_files and not leaves(full):
                    seen_files.add(full)
                    yield full


BAD_NAME = "name is not valid UTF-8 (rename it to index it)"


def valid_name(name: str) -> bool:
    """Whether a file name decoded from the disk is real text (not bytes smuggled as surrogates)."""
    if name.isascii():
        return True
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def printable(name: str) -> str:
    """A path that can be printed and stored: undecodable bytes become U+FFFD."""
    if valid_name(name):
        return name
    return os.fsencode(name).decode("utf-8", errors="replace")


@dataclass
class Deduplicator:
    """Remembers documents kept so far, to name later files that repeat one.

    `lookup(doc_id, checksum)` finds documents kept elsewhere that were not
    remembered one by one (in an index too large to list for a small sync): it
    returns the paths holding that id and those bytes, or None for each.
    """

    by_key: dict[tuple[str, str], str] = field(default_factory=dict)
    by_checksum: dict[str, str] = field(default_factory=dict)
    lookup: Callable[[str, str], tuple[str | None, str | None]] | None = None
    # Documents without a symbol, by what names them instead: language, organ, date and title.
    by_title: dict[tuple, str] = field(default_factory=dict)
    # Files kept before that a richer format of the same document replaced: (path, reason).
    displaced: list[tuple[str, str]] = field(default_factory=list)

    def remember(self, doc_id: str, language: str, checksum: str, path: str) -> None:
        """Note a document kept earlier (already in an index)."""
        self.by_key[(doc_id, language)] = path
        self.by_checksum[checksum] = path

    def keep(self, record: Statement) -> str | None:
        """Record a document; return why it repeats another one kept before, or None if it is new."""
        same_symbol = self.by_key.get((record.id, record.language))
        same_bytes = self.by_checksum.get(record.checksum)
        if self.lookup is not None and (same_symbol is None or same_bytes is None):
            elsewhere_symbol, elsewhere_bytes = self.lookup(record.id, record.checksum)
            same_symbol = same_symbol or elsewhere_symbol
            same_bytes = same_bytes or elsewhere_bytes
        if same_bytes is not None and same_bytes != record.path:
            return f"same content as {same_bytes}"
        title_key = None if record.symbol else (record.language, record.organ, record.date, fold(record.title))
        same_title = self.by_title.get(title_key) if title_key and record.date and record.title else None
        for same, why in ((same_symbol, f"same symbol {record.id} and language"),
                          (same_title, "same title, date and organ")):
            if same is None or same == record.path:
                continue
            if format_rank(record.path) >= format_rank(same):
                return f"{why} as {same}"
            self.displaced.append((same, f"{why} as {record.path}, a richer format"))
        if title_key and record.date and record.title:
            self.by_title[title_key] = record.path
        self.remember(record.id, record.language, record.checksum, record.path)
        return None


class Scan:
    """Iterate over the French documents under some paths; `skipped` tells what was not taken.

    Example:
        s = scan(["../shared/corpus"])
        records = list(s)
        for item in s.skipped: print(item.path, item.reason)
    """

    def __init__(self, paths: Iterable[str | os.PathLike[str]], language: str = "fr") -> None:
        self.paths = list(paths)
        self.language = language
        self.skipped: list[Skipped] = []

    def __iter__(self) -> Iterator[Statement]:
        dedup = Deduplicator()
        within = Folders.of(self.paths)
        for path in sorted(iter_files(self.paths, self.skipped), key=format_rank):
            outcome = take(path, self.language, dedup, self.skipped, within)
            if outcome is not None:
                yield outcome


def take(path: str, language: str, dedup: Deduplicator, skipped: list[Skipped],
         within: Folders | None = None) -> Statement | None:
    """Read one file (found in the folders `within`) and decide whether it is taken; reasons go to `skipped`."""
    try:
        record, warnings = read_with_warnings(path, within)
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
    repeated = dedup.keep(record)
    if repeated is not None:
        skipped.append(Skipped(path, DUPLICATE, repeated))
        return None
    skipped.extend(Skipped(path, WARNING, w) for w in warnings)
    return record


def scan(paths: Iterable[str | os.PathLike[str]], language: str = "fr") -> Scan:
    """Walk files and folders and yield their French records (see Scan)."""
    return Scan(paths, language)
