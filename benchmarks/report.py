"""Medians over rounds, and the markdown tables printed at the end of a run."""

from __future__ import annotations

from .buildproc import ONU, ONU_ENGINES
from .querysets import BASE_SUFFIX, CLASSES
from .stats import median, ratio
from .targets import differing_totals, evaluate

NO_SYNC = "no sync: a change means a rebuild, or change tracking written by the application"


def _med(rounds: list[dict], *keys: str) -> float:
    """Median over rounds of a nested figure (missing ones left out)."""
    values = []
    for r in rounds:
        v = r
        for k in keys:
            v = v.get(k) if isinstance(v, dict) else None
        if isinstance(v, (int, float)):
            values.append(float(v))
    return median(values)


def _queries(result: dict) -> list:
    from .querysets import BenchQuery
    return [BenchQuery(q["id"], q["cls"], q["query"], tuple(q["states"]), q["session"]) for q in result["queries"]]


def _latency(per_round: list[dict], names: list[str], queries: list) -> dict:
    """Per engine and class: the median over rounds of each round's p50 and p95."""
    from .measure import by_class
    classes = [{n: by_class(r[n], queries) for n in names} for r in per_round]
    return {n: {c: {p: _med(classes, n, c, p) for p in ("p50", "p95", "n")} for c in (*CLASSES, "all")}
            for n in names}


def filter_overhead(per_query: dict[str, float]) -> float:
    """Median over the state queries of (time with the filters / time of the same words alone) - 1."""
    ratios = [t / per_query[q + BASE_SUFFIX] for q, t in per_query.items()
              if q + BASE_SUFFIX in per_query and per_query[q + BASE_SUFFIX] > 0]
    return median(ratios) - 1 if ratios else float("nan")


def _adds(adds: list[dict], names: list[str]) -> dict:
    out = {}
    for n in names:
        out[n] = {k: _med(adds, n, k) for k in ("add_seconds", "search_seconds", "total_seconds")}
        out[n]["found_first"] = all(a[n]["found_first"] for a in adds)
    return out


def _cli(runs: list[dict], names: list[str]) -> dict:
    """`onu search` as a process, per onu-search engine: medians over rounds of each round's p50."""
    return {"engines": {n: {k: _med([r["engines"] for r in runs], n, k) for k in ("search_p50", "peak_rss_mib")}
                        for n in names if all(n in r["engines"] for r in runs)},
            "python_startup_p50": _med(runs, "python_startup_p50")}


def _onu(names: list[str]) -> list[str]:
    return [n for n in names if n in ONU_ENGINES]


def summarize(result: dict) -> dict:
    """Medians over the rounds of every figure the tables show."""
    queries = _queries(result)
    names = result["settings"]["engines"]
    rounds = result["rounds"]
    out: dict = {"engines": names, "build": {}, "first_query": {}}
    for n in names:
        out["build"][n] = {k: _med([r["build"] for r in rounds], n, k)
                           for k in ("seconds", "rss_mib", "workers_rss_mib", "size_mib", "documents")}
        out["first_query"][n] = _med([r["first_query"] for r in rounds], n)
    out["latency"] = _latency([r["queries"] for r in rounds], names, queries)
    out["filter_overhead"] = {n: median([filter_overhead(r["queries"][n]) for r in rounds]) for n in names}
    out["add"] = _adds([r["add"] for r in rounds], names)
    out["sync_unchanged"] = {n: _med([r["sync_unchanged"] for r in rounds], n, "seconds") for n in _onu(names)}
    out["cli"] = _cli([r["cli"] for r in rounds if "cli" in r], _onu(names))
    out["totals_differ"] = differing_totals(rounds[0]["totals"]) if rounds else {}
    out["targets"] = evaluate(out, rounds)
    out["office"] = result.get("office")
    out["copies"] = []
    for phase in result.get("copies", []):
        engines = phase["engines"]
        out["copies"].append({
            "copies": phase["copies"], "files": phase["files"], "engines": engines, "build": phase["build"],
            "add": _adds(phase["add"], engines), "latency": _latency([phase["queries"]], engines, queries),
            "first_query": phase["first_query"],
            "sync_unchanged": {n: _med(phase["sync_unchanged"], n, "seconds") for n in _onu(engines)},
            "cli": _cli([phase["cli"]] if "cli" in phase else [], _onu(engines)),
            "totals_differ": differing_totals(phase["totals"])})
    return out


def _s(x: float) -> str:
    """Seconds, to a sensible precision."""
    if x != x:
        return "–"
    return f"{x:.0f}" if x >= 100 else f"{x:.1f}" if x >= 10 else f"{x:.2f}" if x >= 0.1 else f"{x:.3f}"


def _ms(x: float) -> str:
    """Seconds shown as milliseconds."""
    if x != x:
        return "–"
    return f"{x * 1000:.0f}" if x >= 0.01 else f"{x * 1000:.1f}" if x >= 0.0001 else f"{x * 1000:.2f}"


def _x(value: float, base: float) -> str:
    """A ratio to onu-search's figure."""
    r = ratio(value, base)
    return "–" if r != r else f"×{r:.2g}" if r < 0.1 else f"×{r:.2f}" if r < 10 else f"×{r:.0f}"


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|",
            *("| " + " | ".join(r) + " |" for r in rows)]


def header(result: dict) -> list[str]:
    """Machine, versions, corpus and settings."""
    m, s = result["machine"], result["settings"]
    pk = m["packages"]
    subset = f" (every k-th file, {s['subset_size']} files)" if s["quick"] else ""
    lines = [f"# onu-search speed benchmark{' (--quick)' if s['quick'] else ''}", "",
             f"- machine: {m['cpu']}, {m['cores']} cores, {m['os']}; load average at start {m['load_average']}",
             f"- Python {m['python']}; onu-search {pk['onu-search']} (code {m['code']}), whoosh-reloaded "
             f"{pk['whoosh-reloaded']}, tantivy {pk['tantivy']}, SQLite {pk['sqlite']}, unidecode {pk['unidecode']}",
             f"- date: {m['date']}",
             f"- corpus: {s['corpus']}{subset}: {s['files']} files; {s['rounds']} round(s), medians; "
             "engines interleaved in every round; ratios are engine / onu-search (its Whoosh engine)",
             f"- engines: {', '.join(s['engines'])} (onu-tantivy: onu-search with its Tantivy engine)"]
    lines += [f"- {n} skipped: {why}" for n, why in s["skipped"].items()]
    if result.get("partial"):
        lines += ["- **partial run**: stopped before its end; the tables show what was measured"]
    return lines


def _base(names: list[str]) -> str | None:
    """The engine ratios are taken to: onu-search, when it was measured."""
    return ONU if ONU in names else None


def _build_table(b: dict, names: list[str]) -> list[str]:
    base = _base(names)
    return _table(["engine", "docs", "wall s", "ratio", "peak RSS MiB", "workers' peak MiB", "index MiB", "ratio"], [
        [n, f"{b[n]['documents']:.0f}", _s(b[n]["seconds"]),
         _x(b[n]["seconds"], b[base]["seconds"]) if base else "–", f"{b[n]['rss_mib']:.0f}",
         f"{b[n]['workers_rss_mib']:.0f}" if n in ONU_ENGINES else "–", f"{b[n]['size_mib']:.0f}",
         _x(b[n]["size_mib"], b[base]["size_mib"]) if base else "–"]
        for n in names])


def _add_table(a: dict, names: list[str]) -> list[str]:
    base = _base(names)
    return _table(["engine", "add ms", "ratio", "then search ms", "found first"], [
        [n, _ms(a[n]["add_seconds"]), _x(a[n]["add_seconds"], a[base]["add_seconds"]) if base else "–",
         _ms(a[n]["search_seconds"]), "yes" if a[n]["found_first"] else "NO"] for n in names])


def _latency_table(lat: dict, names: list[str]) -> list[str]:
    base = _base(names)
    rows = []
    for c in (*CLASSES, "all"):
        row = [f"{c} ({lat[names[0]][c]['n']:.0f})"]
        for n in names:
            cell = f"{_ms(lat[n][c]['p50'])} / {_ms(lat[n][c]['p95'])}"
            row.append(cell if n == base or base is None else f"{cell} ({_x(lat[n][c]['p50'], lat[base][c]['p50'])})")
        rows.append(row)
    return _table(["class (queries)"] + [f"{n} p50 / p95" for n in names], rows)


def _cli_lines(cli: dict, runs: int) -> list[str]:
    """`onu search` as a fresh process, per onu-search engine."""
    engines = cli.get("engines", {})
    if not engines:
        return []
    base = _base(list(engines))
    rows = [[n, _s(e["search_p50"]), _x(e["search_p50"], engines[base]["search_p50"]) if base else "–",
             f"{e['peak_rss_mib']:.0f}"] for n, e in engines.items()]
    return [*_table(["index", "p50 s", "ratio", "peak RSS MiB"], rows), "",
            f"{runs} runs per index, the indexes taking turns; `python -c pass` alone: "
            f"{_s(cli['python_startup_p50'])} s."]


def _totals_lines(differ: dict) -> list[str]:
    """Queries whose count of matches differs between the two onu-search engines."""
    if not differ:
        return []
    listed = ", ".join(f"{q} ({w} / {t})" for q, (w, t) in sorted(differ.items()))
    return ["", f"Counts of matches that differ, onu-search / onu-tantivy ({len(differ)} queries): {listed}."]


def _targets_lines(targets: list[dict]) -> list[str]:
    """Issue 17's targets for onu-tantivy, met or not, from the figures of this run."""
    if not targets:
        return []
    rows = [[t["target"], f"{t['unit']}{t['figure']:.2f}" if t["unit"] == "×" else f"{t['figure']:.2f} ms",
             "–" if t["met"] is None else "met" if t["met"] else "NOT met"] for t in targets]
    return ["", "## Targets of onu-tantivy (issue 17), beside onu-search in the same rounds", "",
            *_table(["target", "figure", "verdict"], rows), "",
            "Ratios are the median over rounds of onu-tantivy / onu-search measured in the same round; "
            "latencies are a full result page (records and snippets), medians over rounds."]


def _sync_line(sync: dict) -> str:
    return ", ".join(f"{n} {_s(v)} s" for n, v in sync.items())


def markdown(result: dict, summary: dict) -> str:
    """Every table."""
    names = summary["engines"]
    fq = summary["first_query"]
    peers = [n for n in names if n not in ONU_ENGINES]
    lines = [*header(result), *_targets_lines(summary["targets"]),
             "", "## Full build, from the files", "", *_build_table(summary["build"], names),
             "", "## Sync with nothing changed", "",
             f"{_sync_line(summary['sync_unchanged'])}." + (f" Peers: {NO_SYNC}." if peers else ""), "",
             "## Add one new file to the built index, then find it by a word only it holds", "",
             *_add_table(summary["add"], names), "",
             f"## Query latency, ms (index opened once; 10 hits; median of {result['settings']['reps']} runs "
             "per query)", "",
             *_latency_table(summary["latency"], names), "",
             "A member-state filter adds (median over the state queries of filtered / same words alone): "
             + ", ".join(f"{n} {summary['filter_overhead'][n] * 100:+.0f} %" for n in names) + ".", "",
             "First query after opening the index (opening included), ms: "
             + ", ".join(f"{n} {_ms(fq[n])}" for n in names) + ".",
             *_totals_lines(summary["totals_differ"]), "",
             "## `onu search` as a fresh process", "", *_cli_lines(summary["cli"], result["settings"]["cli_runs"])]
    lines += _office_lines(summary.get("office"))
    for phase in summary.get("copies", []):
        lines += _copies_lines(phase, result["settings"])
    lines += _growth_lines(summary)
    return "\n".join(lines) + "\n"


def _copies_lines(phase: dict, settings: dict) -> list[str]:
    """The tables of one copy phase."""
    names, tfq = phase["engines"], phase["first_query"]
    return ["", f"## The corpus {phase['copies']} times ({phase['files']} files, new ids), one build per engine", "",
            *_build_table(phase["build"], names), "",
            f"Sync with nothing changed: {_sync_line(phase['sync_unchanged'])}.", "",
            *_add_table(phase["add"], names), "",
            f"Query latency, ms (median of {settings['reps']} runs per query after a warm-up pass):", "",
            *_latency_table(phase["latency"], names), "",
            "First query after opening, ms: " + ", ".join(f"{n} {_ms(tfq[n])}" for n in names) + ".",
            *_totals_lines(phase["totals_differ"]), "",
            "`onu search` as a fresh process:", "", *_cli_lines(phase["cli"], settings["cli_runs"])]


def _growth_lines(summary: dict) -> list[str]:
    """Each onu-search engine's main figures on the corpus once and on every copy phase, one row each."""
    phases = [(1, summary)] + [(p["copies"], p) for p in summary.get("copies", [])]
    if len(phases) < 2:
        return []
    rows = []
    for n in _onu(summary["engines"]):
        for copies, p in phases:
            if n not in p["build"]:
                continue
            b, lat, add = p["build"][n], p["latency"][n], p["add"][n]
            cli = p["cli"].get("engines", {}).get(n)
            rows.append([n, f"{copies}x", f"{b['documents']:.0f}", _s(b["seconds"]), f"{b['size_mib']:.0f}",
                         f"{b['rss_mib']:.0f} / {b['workers_rss_mib']:.0f}",
                         *(f"{_ms(lat[c]['p50'])} / {_ms(lat[c]['p95'])}"
                           for c in ("keywords_accents", "keywords_no_accents", "phrase", "all")),
                         _ms(add["add_seconds"]),
                         f"{_s(cli['search_p50'])} s, {cli['peak_rss_mib']:.0f} MiB" if cli else "–"])
    return ["", "## onu-search's engines as the corpus grows", "",
            *_table(["engine", "corpus", "docs", "build s", "index MiB", "build peak MiB (process / workers)",
                     "keywords accents p50 / p95 ms", "keywords no accents", "phrases", "all",
                     "add one ms", "`onu search`"], rows)]


def _office_lines(office: dict | None) -> list[str]:
    """PDF and Word files read per second (one process)."""
    if not office:
        return []
    pdf, word = office["pdf"], office["docx"]
    return ["", "## PDF and Word files, read once in one process (a sync uses a worker per core)", "",
            f"PDF: {pdf['files']} files ({pdf['pages']} pages) in {_s(pdf['seconds'])} s: "
            f"{pdf['files_per_s']:.1f} files/s, {pdf['ms_per_page']:.0f} ms a page. "
            f"Word: {word['files']} files in {_s(word['seconds'])} s: {word['files_per_s']:.1f} files/s. "
            f"Peak memory {office['peak_rss_mib']:.0f} MiB."]
