"""How fast PDF and Word files are read: `python -m benchmarks.office DIR` prints JSON.

Every .pdf and .docx under DIR is read once by the project's readers (`corpus.scanning`),
in this one process (a sync spreads the same work over one worker per core). Peak memory
is the process's own (ru_maxrss), PDFium's included.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from corpus.errors import ReadError
from corpus.scanning import read_with_warnings


def measure(folder: str) -> dict:
    """Files, pages and seconds per format, and the peak memory of the reading process."""
    import pypdfium2 as pdfium

    out: dict = {}
    for suffix in (".pdf", ".docx"):
        files = sorted(str(p) for p in Path(folder).rglob(f"*{suffix}"))
        pages = 0
        if suffix == ".pdf":
            for name in files:
                document = pdfium.PdfDocument(name)
                pages += len(document)
                document.close()
        started = time.perf_counter()
        refused = 0
        for name in files:
            try:
                read_with_warnings(name)
            except ReadError:
                refused += 1
        seconds = time.perf_counter() - started
        out[suffix.lstrip(".")] = {"files": len(files), "pages": pages or None, "refused": refused,
                                   "seconds": seconds, "files_per_s": len(files) / seconds if seconds else None,
                                   "ms_per_page": 1000 * seconds / pages if pages else None}
    out["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def run_fresh(folder: str) -> dict:
    """`measure` in a new interpreter, so that its peak memory is the reading's alone."""
    done = subprocess.run([sys.executable, "-m", "benchmarks.office", folder], check=True,
                          capture_output=True, text=True, cwd=os.path.dirname(os.path.dirname(__file__)))
    return json.loads(done.stdout)


def main() -> int:
    if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
        print("usage: python -m benchmarks.office DIR", file=sys.stderr)
        return 2
    print(json.dumps(measure(sys.argv[1])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
