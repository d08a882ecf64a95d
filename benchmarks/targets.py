"""onu-tantivy against onu-search (Whoosh) on the speed targets of issue 17, and where their counts differ."""

from __future__ import annotations

from collections.abc import Callable

from .buildproc import ONU, ONU_TANTIVY
from .stats import median, ratio

MS = 1e-3
# (what, query class, percentile, limit in seconds): a full result page under the limit
LATENCY_TARGETS = (("keywords with accents", "keywords_accents", "p50", 1 * MS),
                   ("keywords with accents", "keywords_accents", "p95", 3 * MS),
                   ("keywords without accents", "keywords_no_accents", "p50", 1 * MS),
                   ("keywords without accents", "keywords_no_accents", "p95", 3 * MS),
                   ("phrases", "phrase", "p95", 5 * MS))
BUILD_RATIO = 0.5  # onu-tantivy's full build at most half onu-search's
CLI_RATIO = 1.0  # `onu search` as a new process no slower


def paired_ratio(rounds: list[dict], pick: Callable[[dict, str], float]) -> float:
    """Median over rounds of onu-tantivy's figure / onu-search's, each pair measured in the same round."""
    ratios = [ratio(pick(r, ONU_TANTIVY), pick(r, ONU)) for r in rounds]
    return median([x for x in ratios if x == x])


def evaluate(summary: dict, rounds: list[dict]) -> list[dict]:
    """One line per target: what, the figure, the limit, and whether it is met (None: not measured)."""
    names = summary["engines"]
    if ONU_TANTIVY not in names:
        return []
    both = ONU in names
    out = []
    build = paired_ratio(rounds, lambda r, n: r["build"][n]["seconds"]) if both else float("nan")
    out.append({"target": f"full build at most {BUILD_RATIO:g} × Whoosh's", "figure": build, "unit": "×",
                "met": build <= BUILD_RATIO if build == build else None})
    lat = summary["latency"][ONU_TANTIVY]
    for what, cls, p, limit in LATENCY_TARGETS:
        value = lat[cls][p]
        out.append({"target": f"{what}, {p} under {limit / MS:g} ms", "figure": value / MS, "unit": "ms",
                    "met": value < limit if value == value else None})
    cli = paired_ratio(rounds, lambda r, n: r["cli"]["engines"][n]["search_p50"]) if both else float("nan")
    out.append({"target": "`onu search` as a new process no slower than with Whoosh", "figure": cli, "unit": "×",
                "met": cli <= CLI_RATIO if cli == cli else None})
    return out


def differing_totals(totals: dict[str, dict[str, int]]) -> dict[str, tuple[int, int]]:
    """The queries whose count of matches differs between onu-search and onu-tantivy: (Whoosh, Tantivy)."""
    if ONU not in totals or ONU_TANTIVY not in totals:
        return {}
    w, t = totals[ONU], totals[ONU_TANTIVY]
    return {q: (w[q], t[q]) for q in w if q in t and w[q] != t[q]}
