"""`python -m benchmarks --corpus DIR`: the speed benchmark of onu-search and its peers."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from . import report, snapshot, speed

DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "latest.json"


def main(argv: list[str] | None = None) -> int:
    """Run, print the tables, write the raw figures."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    ap.add_argument("--corpus", required=True, help="folder of documents (e.g. ../shared/corpus/unxml)")
    ap.add_argument("--rounds", type=int, default=None, help="rounds, medians quoted (default 3; 1 with --quick)")
    ap.add_argument("--out", default=str(DEFAULT_OUT), help="JSON file of raw figures (default: %(default)s)")
    ap.add_argument("--quick", action="store_true",
                    help="development run: 1 round, a 300-file subset, no 10x corpus, fewer repetitions")
    ap.add_argument("--no-tenfold", action="store_true", help="skip the corpus-ten-times phase")
    ap.add_argument("--work", default=None, help="scratch folder (default: a temporary one, deleted after)")
    ap.add_argument("--snapshot", action="store_true",
                    help="measure a frozen copy of the code (edits during the run do not mix in)")
    ap.add_argument("--office", default=None,
                    help="folder of PDF and Word files to time the readers on (default: office/ beside the corpus)")
    args = ap.parse_args(argv)
    beside = os.path.join(os.path.dirname(os.path.abspath(args.corpus)), "office")
    office = args.office or (beside if os.path.isdir(beside) else None)
    if not os.path.isdir(args.corpus):
        ap.error(f"no folder {args.corpus}")
    if args.snapshot:
        rest = [a for a in (sys.argv[1:] if argv is None else argv) if a != "--snapshot"]
        paths = ["--corpus", os.path.abspath(args.corpus), "--out", os.path.abspath(args.out)]
        return snapshot.rerun_frozen("benchmarks", rest + paths)
    if args.quick:
        settings = speed.Settings(args.corpus, rounds=args.rounds or 1, quick=True, reps=3, cli_runs=5,
                                  tenfold=False, work=args.work, office=office)
    else:
        settings = speed.Settings(args.corpus, rounds=args.rounds or 3, tenfold=not args.no_tenfold,
                                  work=args.work, office=office)
    started = time.monotonic()

    def log(message: str) -> None:
        print(f"[{time.monotonic() - started:7.1f} s] {message}", file=sys.stderr, flush=True)

    result = speed.run(settings, log)
    result["summary"] = report.summarize(result)
    result["seconds"] = time.monotonic() - started
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump(result, handle, ensure_ascii=False, indent=1, default=str)
    print(report.markdown(result, result["summary"]))
    log(f"raw figures in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
