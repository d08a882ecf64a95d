"""Where the index lives, and the small metadata file kept beside it."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import IndexDamagedError

META_NAME = "onu-index.json"
DEFAULT_LOCK_TIMEOUT = 10.0  # seconds a second writer waits for the first
FORMAT = 1


def default_index_dir() -> str:
    """$ONU_SEARCH_INDEX, else the per-user data folder of the platform."""
    if os.environ.get("ONU_SEARCH_INDEX"):
        return os.environ["ONU_SEARCH_INDEX"]
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return str(base / "onu-search" / "index")


@dataclass
class IndexMeta:
    """The folders synced so far and when: what `onu index` without PATH syncs again."""

    roots: list[str] = field(default_factory=list)
    last_sync: str | None = None
    format: int = FORMAT

    @classmethod
    def load(cls, index_dir: str) -> IndexMeta:
        """Read the metadata file; an absent one gives empty metadata."""
        try:
            data = json.loads(Path(index_dir, META_NAME).read_text("utf-8"))
            return cls(list(data.get("roots", [])), data.get("last_sync"), int(data.get("format", 0)))
        except FileNotFoundError:
            return cls()
        except (ValueError, TypeError, AttributeError, OSError):
            return cls(format=0)

    def check(self, index_dir: str) -> None:
        """Refuse an index written in another format."""
        if self.format != FORMAT:
            raise IndexDamagedError(index_dir, f"index format {self.format}, this version reads {FORMAT}")

    def remember(self, roots: list[str]) -> None:
        """Add roots, dropping those inside another, and stamp the time."""
        merged = sorted(set(self.roots) | set(roots))
        self.roots = [r for r in merged
                      if not any(r != o and r.startswith(o.rstrip(os.sep) + os.sep) for o in merged)]
        self.last_sync = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")

    def save(self, index_dir: str) -> None:
        """Write atomically (temporary file, then rename)."""
        data = json.dumps({"format": self.format, "roots": self.roots, "last_sync": self.last_sync}, indent=1)
        fd, tmp = tempfile.mkstemp(dir=index_dir, prefix=".meta-")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(data)
        os.replace(tmp, Path(index_dir, META_NAME))
