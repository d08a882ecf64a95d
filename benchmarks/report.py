"""Medians over rounds, and the markdown tables printed at the end of a run."""

from __future__ import annotations

from .buildproc import ONU
from .querysets import CLASSES
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


def summarize(result: dict) -> dict:
    """Medians over the rounds of every figure the tables show."""
    from .measure import by_class
    from .querysets import BenchQuery
    queries = [BenchQuery(q["id"], q["cls"], q["query"], tuple(q["states"]), q["session"]) for q in result["queries"]]
    names = result["settings"]["engines"]
    rounds = result["rounds"]
    per_round_classes = [{n: by_class(r["queries"][n], queries) for n in names} for r in rounds]
    out: dict = {"engines": names, "build": {}, "latency": {}, "first_query": {}, "add": {}}
    for n in names:
        out["build"][n] = {k: _med([r["build"] for r in rounds], n, k)
                           for k in ("seconds", "rss_mib", "workers_rss_mib", "size_mib", "documents")}
        out["first_query"][n] = _med([r["first_query"] for r in rounds], n)
        out["latency"][n] = {c: {p: _med(per_round_classes, n, c, p) for p in ("p50", "p95", "n")}
                             for c in (*CLASSES, "all")}
        out["add"][n] = {k: _med([r["add"] for r in rounds], n, k)
                         for k in ("add_seconds", "search_seconds", "total_seconds")}
        out["add"][n]["found_first"] = all(r["add"][n]["found_first"] for r in rounds)
    out["sync_unchanged"] = _med([r["sync_unchanged"] for r in rounds], ONU, "seconds")
    out["cli"] = {"search_p50": _med([r["cli"] for r in rounds], "search_p50"),
                  "python_startup_p50": _med([r["cli"] for r in rounds], "python_startup_p50")}
    ten = result.get("tenfold")
    if ten:
        out["tenfold"] = {"files": ten["files"], "build": ten["build"], "add": {}}
        for n in names:
            out["tenfold"]["add"][n] = {k: _med(ten["add"], n, k) for k in ("add_seconds", "search_seconds", "total_seconds")}
            out["tenfold"]["add"][n]["found_first"] = all(a[n]["found_first"] for a in ten["add"])
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
    return "–" if r != r else f"×{r:.2f}" if r < 10 else f"×{r:.0f}"


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


def markdown(result: dict, summary: dict) -> str:
    """Every table."""
    names = summary["engines"]
    base = ONU
    lines = header(result) + ["", "## Full build, from the files", ""]
    b = summary["build"]
    lines += _table(["engine", "docs", "wall s", "ratio", "peak RSS MiB", "workers' peak MiB", "index MiB"], [
        [n, f"{b[n]['documents']:.0f}", _s(b[n]["seconds"]), _x(b[n]["seconds"], b[base]["seconds"]),
         f"{b[n]['rss_mib']:.0f}", f"{b[n]['workers_rss_mib']:.0f}" if n == base else "–", f"{b[n]['size_mib']:.0f}"]
        for n in names])
    lines += ["", "## Sync with nothing changed", "",
              f"onu-search: {_s(summary['sync_unchanged'])} s. Peers: {NO_SYNC}.", "",
              "## Add one new document, then find it by a word only it holds", ""]
    ten = summary.get("tenfold", {}).get("add", {})
    head = ["engine", "add ms", "ratio", "search ms", "found first"]
    if ten:
        head += ["10x: add ms", "10x ratio", "10x search ms", "10x found first"]
    a = summary["add"]
    rows = []
    for n in names:
        row = [n, _ms(a[n]["add_seconds"]), _x(a[n]["add_seconds"], a[base]["add_seconds"]),
               _ms(a[n]["search_seconds"]), "yes" if a[n]["found_first"] else "NO"]
        if ten:
            row += [_ms(ten[n]["add_seconds"]), _x(ten[n]["add_seconds"], ten[base]["add_seconds"]),
                    _ms(ten[n]["search_seconds"]), "yes" if ten[n]["found_first"] else "NO"]
        rows.append(row)
    lines += _table(head, rows)
    if ten:
        tb = summary["tenfold"]["build"]
        lines += ["", f"10x corpus ({summary['tenfold']['files']} files), built once per engine: " + "; ".join(
            f"{n} {_s(tb[n]['seconds'])} s, {tb[n]['size_mib']:.0f} MiB, peak {tb[n]['rss_mib']:.0f} MiB"
            for n in names) + "."]
    lines += ["", "## Query latency, ms (index opened once; 10 hits; median of runs per query)", ""]
    lat = summary["latency"]
    head = ["class (queries)"] + [f"{n} p50 / p95" for n in names]
    rows = []
    for c in (*CLASSES, "all"):
        row = [f"{c} ({lat[base][c]['n']:.0f})"]
        for n in names:
            cell = f"{_ms(lat[n][c]['p50'])} / {_ms(lat[n][c]['p95'])}"
            if n != base:
                cell += f" ({_x(lat[n][c]['p50'], lat[base][c]['p50'])})"
            row.append(cell)
        rows.append(row)
    lines += _table(head, rows)
    fq = summary["first_query"]
    lines += ["", "First query after opening the index (open included), ms: " +
              ", ".join(f"{n} {_ms(fq[n])}" for n in names) + ".", "",
              "## `onu search` as a fresh process", "",
              f"p50 {_s(summary['cli']['search_p50'])} s over {result['settings']['cli_runs']} runs "
              f"(`python -c pass` alone: {_s(summary['cli']['python_startup_p50'])} s)."]
    return "\n".join(lines) + "\n"
