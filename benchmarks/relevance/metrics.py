"""Ranking measures over graded judgments: nDCG@k, P@k, recall@k, MRR.

Gains are the grades themselves (linear, as trec_eval's ndcg), discounted by
log2(rank + 1). A document is relevant when its grade is above 0.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence


def collapse(ranking: Sequence[str], canonical: Callable[[str], str]) -> list[str]:
    """The ranking with each document replaced by its group's name, repeats dropped (first kept)."""
    seen: set[str] = set()
    out = []
    for doc in ranking:
        key = canonical(doc)
        if key not in seen:
            seen.add(key)
            out.append(key)
    return out


def collapse_qrels(grades: Mapping[str, int], canonical: Callable[[str], str]) -> dict[str, int]:
    """Judgments per group: the best grade of its members."""
    out: dict[str, int] = {}
    for doc, grade in grades.items():
        key = canonical(doc)
        out[key] = max(out.get(key, 0), grade)
    return out


def dcg(gains: Sequence[float]) -> float:
    """Discounted cumulative gain of gains in rank order."""
    return sum(g / math.log2(i + 2) for i, g in enumerate(gains))


def ndcg_at(ranking: Sequence[str], grades: Mapping[str, int], k: int = 10) -> float:
    """nDCG@k: the ranking's DCG over the best possible one."""
    ideal = dcg(sorted((g for g in grades.values() if g > 0), reverse=True)[:k])
    return dcg([grades.get(d, 0) for d in ranking[:k]]) / ideal if ideal else 0.0


def precision_at(ranking: Sequence[str], grades: Mapping[str, int], k: int = 10) -> float:
    """Relevant documents among the first k, over k."""
    return sum(1 for d in ranking[:k] if grades.get(d, 0) > 0) / k


def recall_at(ranking: Sequence[str], grades: Mapping[str, int], k: int = 100) -> float:
    """Relevant documents among the first k, over all relevant ones."""
    relevant = sum(1 for g in grades.values() if g > 0)
    return sum(1 for d in ranking[:k] if grades.get(d, 0) > 0) / relevant if relevant else 0.0


def reciprocal_rank(ranking: Sequence[str], grades: Mapping[str, int]) -> float:
    """1 / rank of the first relevant document, 0 if none is ranked."""
    return next((1.0 / (i + 1) for i, d in enumerate(ranking) if grades.get(d, 0) > 0), 0.0)


def measures(ranking: Sequence[str], grades: Mapping[str, int]) -> dict[str, float]:
    """All four, for one query."""
    return {"ndcg@10": ndcg_at(ranking, grades), "p@10": precision_at(ranking, grades),
            "recall@100": recall_at(ranking, grades), "mrr": reciprocal_rank(ranking, grades)}
