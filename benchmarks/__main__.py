"""`python -m benchmarks --corpus DIR`: the speed benchmark of onu-search and its peers."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from . import report, snapshot, speed
from .buildproc import ONU_ENGINES
from .peers import PEERS

DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "latest.json"
ENGINES = (*ONU_ENGINES, *PEERS)


def engine_list(text: str) -> tuple[str, ...]:
    """Comma-separated engine names, each known."""
    names = tuple(n.strip() for n in text.split(",") if n.strip())
    unknown = [n for n in names if n not in ENGINES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"unknown engine {', '.join(unknown) or '(none)'}: use {', '.join(ENGINES)}")
    return names


def copies_list(text: str) -> tuple[int, ...]:
    """Comma-separated numbers of copies of the corpus, each 2 or more."""
    try:
        counts = tuple(int(n) for n in text.split(",") if n.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {text}") from None
    if any(n < 2 for n in counts):
        raise argparse.ArgumentTypeError(f"copies are 2 or more: {text}")
    return counts


def main(argv: list[str] | None = None) -> int:
    """Run, print the tables, write the raw figures."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    ap.add_argument("--corpus", help="folder of documents (e.g. ../shared/corpus/unxml)")
    ap.add_argument("--rounds", type=int, default=None, help="rounds, medians quoted (default 3; 1 with --quick)")
    ap.add_argument("--out", default=str(DEFAULT_OUT), help="JSON file of raw figures (default: %(default)s)")
    ap.add_argument("--quick", action="store_true",
                    help="development run: 1 round, a 300-file subset, no copy phases, fewer repetitions")
    ap.add_argument("--engines", type=engine_list, default=ENGINES,
                    help=f"comma-separated (default: all, {','.join(ENGINES)})")
    ap.add_argument("--copies", type=copies_list, default=(10, 30),
                    help="phases on the corpus copied N times with new ids, comma-separated (default: 10,30)")
    ap.add_argument("--no-copies", action="store_true", help="skip the phases on copies of the corpus")
    ap.add_argument("--tantivy-alone-from", type=int, default=30, metavar="N",
                    help="copy phases of N copies or more measure onu-tantivy alone, as Whoosh would take "
                         "about an hour at 30 copies (default: %(default)s; 0: every engine in every phase)")
    ap.add_argument("--work", default=None, help="scratch folder (default: a temporary one, deleted after)")
    ap.add_argument("--snapshot", action="store_true",
                    help="measure a frozen copy of the code (edits during the run do not mix in)")
    ap.add_argument("--office", default=None,
                    help="folder of PDF and Word files to time the readers on (default: office/ beside the corpus)")
    ap.add_argument("--tables", metavar="JSON", default=None,
                    help="print the tables of the raw figures of an earlier (or stopped) run, and run nothing")
    args = ap.parse_args(argv)
    if args.tables:
        return print_tables(args.tables)
    if not args.corpus or not os.path.isdir(args.corpus):
        ap.error(f"no folder {args.corpus}" if args.corpus else "--corpus is required")
    beside = os.path.join(os.path.dirname(os.path.abspath(args.corpus)), "office")
    office = args.office or (beside if os.path.isdir(beside) else None)
    if args.snapshot:
        rest = [a for a in (sys.argv[1:] if argv is None else argv) if a != "--snapshot"]
        paths = ["--corpus", os.path.abspath(args.corpus), "--out", os.path.abspath(args.out)]
        return snapshot.rerun_frozen("benchmarks", rest + paths)
    common = {"engines": args.engines, "tantivy_alone_from": args.tantivy_alone_from, "work": args.work,
              "office": office}
    if args.quick:
        settings = speed.Settings(args.corpus, rounds=args.rounds or 1, quick=True, reps=3, cli_runs=5,
                                  copies=(), **common)
    else:
        settings = speed.Settings(args.corpus, rounds=args.rounds or 3, copies=() if args.no_copies else args.copies,
                                  **common)
    started = time.monotonic()

    def log(message: str) -> None:
        print(f"[{time.monotonic() - started:7.1f} s] {message}", file=sys.stderr, flush=True)

    def save(result: dict, partial: bool = True) -> None:
        """Write the raw figures so far (after each round and phase, and at the end)."""
        result["partial"] = partial
        result["seconds"] = time.monotonic() - started
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out, "w", encoding="utf-8") as handle:
            json.dump(result, handle, ensure_ascii=False, indent=1, default=str)

    result = speed.run(settings, log, save)
    result["summary"] = report.summarize(result)
    save(result, partial=False)
    print(report.markdown(result, result["summary"]))
    log(f"raw figures in {args.out}")
    return 0


def print_tables(path: str) -> int:
    """The tables of a JSON file of raw figures written by an earlier run."""
    with open(path, encoding="utf-8") as handle:
        result = json.load(handle)
    print(report.markdown(result, report.summarize(result)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
