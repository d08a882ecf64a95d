"""Where the index lives, and the small metadata file kept beside it."""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import shutil
import stat
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from .errors import (IndexAccessError, IndexDamagedError, IndexMissingError, IndexPlaceError, IndexProblemError,
                     IndexWriteError)
from .settings import ENGINE

META_NAME = "onu-index.json"
FORMAT = 4  # 4: stopwords in positions, unstemmed forms, inflectional stems (3: body and offsets in columns)
T = TypeVar("T")


def default_index_dir() -> str:
    """$ONU_SEARCH_INDEX, else the per-user data folder of the platform."""
    if os.environ.get("ONU_SEARCH_INDEX"):
        return os.environ["ONU_SEARCH_INDEX"]
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or _home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = _home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or _home() / ".local" / "share")
    return str(base / "onu-search" / "index")


def _home() -> Path:
    """The user's home folder, or IndexPlaceError when there is none (HOME unset, no user entry)."""
    try:
        return Path.home()
    except (RuntimeError, KeyError):
        raise IndexPlaceError("the per-user data folder", "no home folder: HOME is not set") from None


def make_folder(folder: str, index_dir: str | None = None) -> None:
    """Create a folder and its parents (the index folder, or the one it lies in, `index_dir`
    then being the index's), or say in one line why no index can be there."""
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as exc:
        index_dir = index_dir or folder
        why = blocked(index_dir) or f"cannot create {exc.filename or folder}: {exc.strerror or exc}"
        raise IndexPlaceError(index_dir, why) from None


def blocked(index_dir: str) -> str | None:
    """What stands where the index folder or one of its parents should be (a file), or None."""
    for place in (Path(index_dir), *Path(index_dir).parents):
        try:
            mode = os.stat(place).st_mode
        except (FileNotFoundError, NotADirectoryError):  # not there, or below a file: look higher up
            continue
        except OSError:
            return None
        if stat.S_ISDIR(mode):
            return None
        return f"{place} is a file, not a folder" if stat.S_ISREG(mode) else f"{place} is not a folder"
    return None


@dataclass
class IndexMeta:
    """The folders synced so far and when (what `onu index` without PATH syncs again), and
    the number of the last commit a sync wrote (an index found older was rolled back)."""

    roots: list[str] = field(default_factory=list)
    last_sync: str | None = None
    format: int = FORMAT
    version: int = -1
    engine: str = ENGINE

    @classmethod
    def load(cls, index_dir: str) -> IndexMeta:
        """Read the metadata file; an absent one gives empty metadata, a damaged one keeps what it can,
        one that this user may not read is an error that says so."""
        return cls.read(index_dir) or cls()

    @classmethod
    def read(cls, index_dir: str) -> IndexMeta | None:
        """The metadata file as `load` reads it, or None if there is none (in one look: a rebuild
        may rename the folder between two)."""
        path = Path(index_dir, META_NAME)
        try:
            data = json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            return None
        except PermissionError:
            raise IndexAccessError(str(path)) from None
        except (ValueError, OSError):
            return cls(format=0)
        if not isinstance(data, dict):
            return cls(format=0)
        roots = data.get("roots")
        roots = [r for r in roots if isinstance(r, str)] if isinstance(roots, list) else []
        fmt, version, engine = data.get("format"), data.get("version"), data.get("engine", ENGINE)
        return cls(roots, data.get("last_sync"), fmt if isinstance(fmt, int) else 0,
                   version if isinstance(version, int) else -1, engine if isinstance(engine, str) else ENGINE)

    def check(self, index_dir: str) -> None:
        """Refuse an index written in another format."""
        if self.format != FORMAT:
            raise IndexDamagedError(index_dir, f"index format {self.format}, this version reads {FORMAT}",
                                    paths_known=bool(self.roots))

    def remember(self, roots: list[str]) -> None:
        """Add roots, dropping those inside another, and stamp the time."""
        merged = sorted(set(self.roots) | set(roots))
        self.roots = [r for r in merged
                      if not any(r != o and r.startswith(o.rstrip(os.sep) + os.sep) for o in merged)]
        self.last_sync = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")

    def save(self, index_dir: str) -> None:
        """Write atomically (temporary file, then rename); a failure leaves the old file.
        The file gets the permissions of the user's umask, like the index files beside it."""
        data = json.dumps({"format": self.format, "roots": self.roots, "last_sync": self.last_sync,
                           "version": self.version, "engine": self.engine}, indent=1)
        tmp = os.path.join(index_dir, f".meta-{secrets.token_hex(8)}")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(data)
            os.replace(tmp, Path(index_dir, META_NAME))
        except OSError as exc:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise IndexWriteError(index_dir, exc.strerror or str(exc)) from None


def locate(index_dir: str) -> str:
    """The folder to read the index from: itself, or while a rebuild swaps folders (or after it
    stopped between its two renames), the complete new index or else the old one. Readers never
    rename: only a sync, under its lock, puts folders back in place (`recover`)."""
    if os.path.isdir(index_dir):
        return index_dir
    if os.path.exists(os.path.join(index_dir + ".new", META_NAME)):
        return index_dir + ".new"
    if os.path.isdir(index_dir + ".old"):
        return index_dir + ".old"
    return index_dir


SWAP_TRIES = 10  # looks for an index that a rebuild is renaming, before it is taken to be absent
SWAP_DELAY = 0.02  # seconds between two looks


def settle(index_dir: str, look: Callable[[str], T | None], tries: int = SWAP_TRIES,
           delay: float = SWAP_DELAY) -> T | None:
    """What `look` finds (a true value) in the folder `locate` finds the index in, or None.

    A rebuild can rename the folder located away before it is read. If so, look again a few
    times, until `locate` gives the same answer twice.
    """
    for _ in range(tries):
        folder = locate(index_dir)
        found = look(folder)
        if found:
            return found
        if folder == locate(index_dir) == index_dir and not look(index_dir):
            return None  # no rebuild is swapping folders: there is no index
        time.sleep(delay)
    return None


def located_version(index_dir: str, latest_version: Callable[[str], int]) -> tuple[str, int, int] | None:
    """What a commit changes (the latest commit's number) and a rebuild too (the folder, and where
    it is read from while it is swapped in), or None when there is no index: a read that failed
    is tried again only if this changed meanwhile."""
    folder = locate(index_dir)
    try:
        return folder, os.stat(folder).st_ino, latest_version(folder)
    except OSError:
        return None


def disk_size(index_dir: str) -> int:
    """Bytes of the index's files, where `locate` finds them; counted again if a commit deleted a
    file meanwhile, or a rebuild swapped the folder (the old one is emptied as it is listed)."""
    for _ in range(SWAP_TRIES):
        folder = locate(index_dir)
        try:
            before = os.stat(folder).st_ino
            total = sum(e.stat().st_size for e in os.scandir(folder) if e.is_file())
            if os.stat(folder).st_ino == before:
                return total
        except FileNotFoundError:
            pass
        time.sleep(SWAP_DELAY)
    return 0


def replace(index_dir: str, new_dir: str) -> None:
    """Swap a rebuilt index in place of the old one (two renames: readers `locate` the index
    between them, and `recover` mends a crash there)."""
    old_dir = index_dir + ".old"
    shutil.rmtree(old_dir, ignore_errors=True)
    os.rename(index_dir, old_dir)
    os.rename(new_dir, index_dir)
    shutil.rmtree(old_dir, ignore_errors=True)


def recover(index_dir: str) -> None:
    """Put an index back in place if a rebuild stopped between its two renames, and drop what an
    interrupted rebuild left (called by a sync, under its lock: readers only wait)."""
    new_dir, old_dir = index_dir + ".new", index_dir + ".old"
    if not os.path.exists(index_dir):
        if os.path.exists(os.path.join(new_dir, META_NAME)):
            os.rename(new_dir, index_dir)
        elif os.path.isdir(old_dir):
            os.rename(old_dir, index_dir)
    shutil.rmtree(new_dir, ignore_errors=True)
    shutil.rmtree(old_dir, ignore_errors=True)


def absent(index_dir: str) -> IndexProblemError:
    """Why no index opens at a path: a file stands in the way, the folder is another user's, or none is there."""
    in_the_way = blocked(index_dir)
    if in_the_way:
        return IndexPlaceError(index_dir, in_the_way)
    try:
        os.listdir(locate(index_dir))
    except PermissionError:
        return IndexAccessError(locate(index_dir))
    except OSError:
        pass
    return IndexMissingError(index_dir)
