"""Medians over rounds, and the markdown tables printed at the end of a run."""

from __future__ import annotations

from .buildproc import ONU
from .querysets import BASE_SUFFIX, CLASSES
from .stats import median, ratio

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
    out["sync_unchanged"] = _med([r["sync_unchanged"] for r in rounds], ONU, "seconds")
    out["cli"] = {"search_p50": _med([r["cli"] for r in rounds], "search_p50"),
                  "python_startup_p50": _med([r["cli"] for r in rounds], "python_startup_p50")}
    out["office"] = result.get("office")
    ten = result.get("tenfold")
    if ten:
        out["tenfold"] = {"files": ten["files"], "build": ten["build"], "add": _adds(ten["add"], names),
                          "latency": _latency([ten["queries"]], names, queries), "first_query": ten["first_query"],
                          "sync_unchanged": _med(ten["sync_unchanged"], ONU, "seconds")}
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
             "engines interleaved in every round; ratios are engine / onu-search"]
    lines += [f"- {n} skipped: {why}" for n, why in s["skipped"].items()]
    return lines


def _build_table(b: dict, names: list[str]) -> list[str]:
    return _table(["engine", "docs", "wall s", "ratio", "peak RSS MiB", "workers' peak MiB", "index MiB"], [
        [n, f"{b[n]['documents']:.0f}", _s(b[n]["seconds"]), _x(b[n]["seconds"], b[ONU]["seconds"]),
         f"{b[n]['rss_mib']:.0f}", f"{b[n]['workers_rss_mib']:.0f}" if n == ONU else "–", f"{b[n]['size_mib']:.0f}"]
        for n in names])


def _add_table(a: dict, names: list[str]) -> list[str]:
    return _table(["engine", "add ms", "ratio", "then search ms", "found first"], [
        [n, _ms(a[n]["add_seconds"]), _x(a[n]["add_seconds"], a[ONU]["add_seconds"]),
         _ms(a[n]["search_seconds"]), "yes" if a[n]["found_first"] else "NO"] for n in names])


def _latency_table(lat: dict, names: list[str]) -> list[str]:
    rows = []
    for c in (*CLASSES, "all"):
        row = [f"{c} ({lat[ONU][c]['n']:.0f})"]
        for n in names:
            cell = f"{_ms(lat[n][c]['p50'])} / {_ms(lat[n][c]['p95'])}"
            row.append(cell if n == ONU else f"{cell} ({_x(lat[n][c]['p50'], lat[ONU][c]['p50'])})")
        rows.append(row)
    return _table(["class (queries)"] + [f"{n} p50 / p95" for n in names], rows)


def markdown(result: dict, summary: dict) -> str:
    """Every table."""
    names = summary["engines"]
    fq, cli = summary["first_query"], summary["cli"]
    lines = [*header(result), "", "## Full build, from the files", "", *_build_table(summary["build"], names),
             "", "## Sync with nothing changed", "",
             f"onu-search: {_s(summary['sync_unchanged'])} s. Peers: {NO_SYNC}.", "",
             "## Add one new file to the built index, then find it by a word only it holds", "",
             *_add_table(summary["add"], names), "",
             "## Query latency, ms (index opened once; 10 hits; median of 3 runs per query)", "",
             *_latency_table(summary["latency"], names), "",
             "A member-state filter adds (median over the state queries of filtered / same words alone): "
             + ", ".join(f"{n} {summary['filter_overhead'][n] * 100:+.0f} %" for n in names) + ".", "",
             "First query after opening the index (opening included), ms: "
             + ", ".join(f"{n} {_ms(fq[n])}" for n in names) + ".", "",
             "## `onu search` as a fresh process", "",
             f"p50 {_s(cli['search_p50'])} s over {result['settings']['cli_runs']} runs "
             f"(`python -c pass` alone: {_s(cli['python_startup_p50'])} s)."]
    lines += _office_lines(summary.get("office"))
    ten = summary.get("tenfold")
    if ten:
        tfq = ten["first_query"]
        lines += ["", f"## The corpus ten times ({ten['files']} files, new ids), one build per engine", "",
                  *_build_table(ten["build"], names), "",
                  f"Sync with nothing changed (onu-search): {_s(ten['sync_unchanged'])} s.", "",
                  *_add_table(ten["add"], names), "",
                  "Query latency, ms (one run per query after a warm-up pass):", "",
                  *_latency_table(ten["latency"], names), "",
                  "First query after opening, ms: " + ", ".join(f"{n} {_ms(tfq[n])}" for n in names) + "."]
    return "\n".join(lines) + "\n"


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
