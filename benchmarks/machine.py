"""What the figures were measured on: machine, software versions, code state, date."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import platform
import sqlite3
import subprocess
import sys
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("onu-search", "whoosh-reloaded", "tantivy", "unidecode", "click")


def cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo (else the platform's guess)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def versions() -> dict[str, str]:
    """Installed versions of the packages that matter, plus SQLite's."""
    out = {}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    out["sqlite"] = sqlite3.sqlite_version
    return out


def code_state() -> str:
    """The git commit, with a digest of uncommitted changes if any, so figures name the code they measured."""
    def git(*args: str) -> str:
        """Standard output of a git command in the repository ('' on failure)."""
        try:
            return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False).stdout
        except OSError:
            return ""

    commit = git("rev-parse", "--short", "HEAD").strip() or "unknown"
    diff = git("diff", "HEAD") + git("ls-files", "--others", "--exclude-standard")
    if not diff:
        return commit
    return f"{commit}+dirty:{hashlib.sha1(diff.encode()).hexdigest()[:8]}"


def describe() -> dict:
    """Everything above as one JSON-ready dict."""
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        "packages": versions(),
        "code": code_state(),
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "executable": sys.executable,
    }
