"""Running a benchmark on a frozen copy of the code, so that edits made during a long run do not mix in."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile

from .machine import REPO

IGNORE = shutil.ignore_patterns("__pycache__", "*.egg-info", ".venv", "results", ".pytest_cache", ".hypothesis")


def rerun_frozen(module: str, argv: list[str]) -> int:
    """Copy the repository (with .git, for the code state) to a temporary folder and run `module` there.

    PYTHONPATH points at the copy, so the build processes and the `onu` command use it too.
    """
    snap = tempfile.mkdtemp(prefix="onu-snapshot-")
    try:
        root = os.path.join(snap, "repo")
        shutil.copytree(REPO, root, ignore=IGNORE, symlinks=True)
        env = {**os.environ, "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", "")}
        print(f"running on a copy of the code in {root}", file=sys.stderr, flush=True)
        return subprocess.run([sys.executable, "-m", module, *argv], cwd=root, env=env, check=False).returncode
    finally:
        shutil.rmtree(snap, ignore_errors=True)
