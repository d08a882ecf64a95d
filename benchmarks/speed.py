"""The speed benchmark: rounds of builds, syncs, queries and additions, engines interleaved."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass

from corpus.scanning import read
from corpus.errors import ReadError

from . import corpora, machine, measure, office, querysets
from .buildproc import ONU_ENGINES, ONU_TANTIVY, run_build
from .onu import OnuSearch
from .peers import PEERS, available

CLI_QUERY = "traite des êtres humains"


@dataclass
class Settings:
    """What to run."""

    corpus: str
    rounds: int = 3
    quick: bool = False
    subset_size: int = 300
    reps: int = 3
    cli_runs: int = 10
    copies: tuple[int, ...] = (10, 30)  # phases on the corpus copied that many times
    tantivy_alone_from: int = 30  # copy phases this large measure onu-tantivy alone (0: every engine everywhere)
    engines: tuple[str, ...] = (*ONU_ENGINES, *PEERS)
    work: str | None = None
    office: str | None = None  # folder of PDF and Word files to time the readers on

    def phase_engines(self, names: list[str], copies: int) -> list[str]:
        """The engines a copy phase measures: all of them, or onu-tantivy alone in the large ones."""
        if self.tantivy_alone_from and copies >= self.tantivy_alone_from:
            return [n for n in names if n == ONU_TANTIVY]
        return names


def rotated(names: list[str], k: int) -> list[str]:
    """The names starting at position k, so that no engine always goes first."""
    k %= len(names)
    return names[k:] + names[:k]


def open_engine(name: str, index_dir: str):
    """An engine opened on a built index."""
    engine = OnuSearch(engine=ONU_ENGINES[name]) if name in ONU_ENGINES else PEERS[name]()
    engine.open(index_dir)
    return engine


def warm_page_cache(paths: list[str]) -> None:
    """Read every file once, so that the first build is not the only one to read from disk."""
    for root in paths:
        for path in corpora.corpus_files(root):
            with open(path, "rb") as handle:
                while handle.read(1 << 20):
                    pass


def pick_source(root: str) -> str:
    """A corpus file from which new documents can be made (its text takes the marker)."""
    files = [f for f in corpora.corpus_files(root) if f.endswith(".xml")]
    scratch = tempfile.mkdtemp(prefix="onu-bench-probe-")
    try:
        for path in files[len(files) // 2:] + files:
            try:
                corpora.new_document(path, scratch, "probe", "zxqwprobe")
                return path
            except (ValueError, OSError, ReadError):
                continue
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    raise RuntimeError(f"no file under {root} can be made into a new document")


def add_round(engines: dict, source: str, scratch: str, tag: str, marker: str) -> dict:
    """Each engine adds the same new file to its own index and looks it up."""
    path = corpora.new_document(source, scratch, tag, marker)
    new_id = read(path).id
    return {name: measure.add_one(engine, path, marker, new_id) for name, engine in engines.items()}


def onu_names(names: list[str]) -> list[str]:
    """The engines that are onu-search (under one engine or another), in order."""
    return [n for n in names if n in ONU_ENGINES]


def one_round(r: int, names: list[str], paths: list[str], queries, source: str, work: str, s: Settings,
              markers, log: Callable[[str], None]) -> dict:
    """Build every engine, sync, time the queries and the command line, add one document."""
    order = rotated(names, r)
    onu = onu_names(order)
    out: dict = {"order": order, "load_average": [round(x, 2) for x in os.getloadavg()], "build": {}}
    dirs = {name: os.path.join(work, f"round{r}", name) for name in names}
    for name in order:
        log(f"round {r + 1}: building {name}")
        out["build"][name] = run_build(name, dirs[name], paths)
    log(f"round {r + 1}: sync with nothing changed")
    out["sync_unchanged"] = {name: measure.sync_unchanged(paths, dirs[name]) for name in onu}
    engines = {name: open_engine(name, dirs[name]) for name in order}
    try:
        out["first_query"] = {name: measure.first_query(engines[name], queries[0]) for name in order}
        log(f"round {r + 1}: {len(queries)} queries x {s.reps} on {len(order)} engines")
        out["queries"], out["totals"] = measure.latencies(engines, queries, s.reps)
        if onu:
            log(f"round {r + 1}: onu search as a process x {s.cli_runs} on {len(onu)} index(es)")
            out["cli"] = measure.cli({name: dirs[name] for name in onu}, CLI_QUERY, s.cli_runs)
        log(f"round {r + 1}: adding one document")
        out["add"] = add_round(engines, source, os.path.join(work, "new"), f"new{r}", next(markers))
    finally:
        for engine in engines.values():
            engine.close()
    for d in dirs.values():
        shutil.rmtree(d, ignore_errors=True)
    return out


def copies_phase(copies: int, names: list[str], folder: str, queries, source: str, work: str, s: Settings,
                 markers, log: Callable[[str], None]) -> dict:
    """The corpus `copies` times in `folder` (new ids): one build per engine, one pass of the queries,
    `onu search` as a process, then per round a sync with nothing changed and one added document."""
    tag = f"{copies}x"
    onu = onu_names(names)
    out: dict = {"copies": copies, "engines": names, "files": len(corpora.corpus_files(folder)), "build": {},
                 "add": [], "sync_unchanged": []}
    dirs = {name: os.path.join(work, f"x{copies}-index", name) for name in names}
    try:
        for name in names:
            log(f"{tag}: building {name} (once)")
            out["build"][name] = run_build(name, dirs[name], [folder])
        engines = {name: open_engine(name, dirs[name]) for name in names}
        try:
            log(f"{tag}: {len(queries)} queries x {s.reps} on {len(names)} engine(s)")
            out["first_query"] = {name: measure.first_query(engines[name], queries[0]) for name in names}
            out["queries"], out["totals"] = measure.latencies(engines, queries, s.reps)
            if onu:
                log(f"{tag}: onu search as a process x {s.cli_runs}")
                out["cli"] = measure.cli({name: dirs[name] for name in onu}, CLI_QUERY, s.cli_runs)
            for r in range(s.rounds):
                log(f"{tag}: sync with nothing changed, then adding one document, round {r + 1}")
                out["sync_unchanged"].append({name: measure.sync_unchanged([folder], dirs[name]) for name in onu})
                for name in names:
                    engines[name].search("nations", 10)  # an index in use: open before the addition
                turn = {name: engines[name] for name in rotated(names, r)}
                out["add"].append(add_round(turn, source, os.path.join(work, f"new{copies}"), f"x{copies}new{r}",
                                            next(markers)))
        finally:
            for engine in engines.values():
                engine.close()
    finally:
        for d in dirs.values():
            shutil.rmtree(d, ignore_errors=True)
    return out


def copy_phases(names: list[str], root: str, queries, source: str, work: str, s: Settings, markers,
                log: Callable[[str], None], save: Callable[[], None], result: dict) -> None:
    """Each copy phase, smallest first, in one folder that grows from one phase to the next."""
    folder = os.path.join(work, "copies")
    made = 0
    result["copies"] = []
    try:
        for copies in sorted(set(s.copies)):
            phase = s.phase_engines(names, copies)
            if not phase:
                log(f"{copies}x: no engine to measure (onu-tantivy alone from {s.tantivy_alone_from}x), skipped")
                continue
            log(f"{copies}x: copying the corpus (copies {made + 1} to {copies})")
            corpora.copies(root, folder, copies, start=made)
            made = copies
            result["copies"].append(copies_phase(copies, phase, folder, queries, source, work, s, markers, log))
            save()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(s: Settings, log: Callable[[str], None], save: Callable[[dict], None] = lambda result: None) -> dict:
    """The whole benchmark; returns every raw figure (and hands them to `save` after each round and phase,
    so that a run stopped half-way keeps what it measured)."""
    peers, skipped = available([n for n in s.engines if n not in ONU_ENGINES])
    names = [*onu_names(list(s.engines)), *peers]
    queries = querysets.load()
    work = s.work or tempfile.mkdtemp(prefix="onu-bench-")
    os.makedirs(work, exist_ok=True)
    try:
        root = os.path.abspath(s.corpus)
        if s.quick:
            root = os.path.join(work, "subset")
            corpora.subset(os.path.abspath(s.corpus), root, s.subset_size)
        paths = [root]
        log("reading the corpus once (page cache)")
        warm_page_cache(paths)
        source = pick_source(root)
        markers = corpora.markers()
        result: dict = {"machine": machine.describe(),
                        "settings": {**s.__dict__, "engines": names, "skipped": skipped,
                                     "files": len(corpora.corpus_files(root)), "queries": len(queries),
                                     "new_document_source": os.path.relpath(source, root)},
                        "queries": [q.__dict__ for q in queries], "rounds": []}
        for r in range(s.rounds):
            result["rounds"].append(one_round(r, names, paths, queries, source, work, s, markers, log))
            save(result)
        if s.copies and not s.quick:
            copy_phases(names, root, queries, source, work, s, markers, log, lambda: save(result), result)
        if s.office:
            log(f"reading the PDF and Word files of {s.office}")
            result["office"] = office.run_fresh(os.path.abspath(s.office))
        return result
    finally:
        if not s.work:
            shutil.rmtree(work, ignore_errors=True)
