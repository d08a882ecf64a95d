"""`onu serve --watch`: the index kept in sync with its folders as files change.

A file watcher (watchfiles, on the system's own notifications) waits for changes in the
folders the index remembers; after each burst of changes, `onu index` runs in a new
process (never a fork of the server's threads), and the server's long-lived `Index`
sees its commits by itself.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading

import watchfiles

from indexer.errors import NothingToSyncError
from indexer.location import IndexMeta

log = logging.getLogger("onu.watch")
SYNC_TIMEOUT = 3600.0  # seconds; a sync that takes longer is stopped, and the next change starts another


class Watcher:
    """Watches the folders an index was built from, and syncs it after each change."""

    def __init__(self, index_dir: str) -> None:
        self.index_dir = os.path.abspath(index_dir)
        roots = [r for r in IndexMeta.load(self.index_dir).roots if os.path.exists(r)]
        if not roots:
            raise NothingToSyncError(self.index_dir, exists=os.path.isdir(self.index_dir))
        self.roots = roots
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="onu-watch", daemon=True)
        self._ignore = watchfiles.DefaultFilter()

    def start(self) -> None:
        """Start watching, in a thread of its own."""
        log.info("watching %s", ", ".join(self.roots))
        self._thread.start()

    def stop(self) -> None:
        """Stop watching (a sync under way finishes first)."""
        self._stop.set()
        self._thread.join(timeout=SYNC_TIMEOUT)

    def _relevant(self, change: watchfiles.Change, path: str) -> bool:
        """A change to a document, not to the index itself (INDEX, INDEX.new, INDEX.lock...)."""
        return not path.startswith(self.index_dir) and self._ignore(change, path)

    def _run(self) -> None:
        for _ in watchfiles.watch(*self.roots, watch_filter=self._relevant, stop_event=self._stop,
                                  raise_interrupt=False):
            self.sync()

    def sync(self) -> int:
        """Run `onu index` on the index in a new process; its exit status."""
        command = [sys.executable, "-m", "search.cli", "index", "--index", self.index_dir]
        try:
            done = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                  timeout=SYNC_TIMEOUT, errors="replace")
        except subprocess.TimeoutExpired:
            log.error("onu index took more than %d s and was stopped", SYNC_TIMEOUT)
            return -1
        for line in (done.stderr + done.stdout).splitlines():
            (log.info if done.returncode == 0 else log.error)("onu index: %s", line)
        return done.returncode
