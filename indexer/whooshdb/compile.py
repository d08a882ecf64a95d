"""Compiling the engine-neutral query tree into the queries the Whoosh evaluator runs
(the walk and what each node means are indexer/compiling.py's, shared by the engines)."""

from __future__ import annotations

from whoosh import query as wq

from ..compiling import TreeCompiler
from .bm25f import FieldsPhrase, FieldsPrefix, FieldsTerm


class Compiler(TreeCompiler[wq.Query]):
    """Turns a query tree into a query for the evaluator; keeps what to mark and the accented words typed."""

    def word(self, text: str, weights: dict[str, float]) -> wq.Query:
        return FieldsTerm(text, weights)

    def phrase(self, keys: tuple[str, ...], weights: dict[str, float], slop: int) -> wq.Query:
        return FieldsPhrase(keys, weights, slop)

    def prefix(self, stem: str, weights: dict[str, float]) -> wq.Query:
        return FieldsPrefix(stem, weights)

    def match(self, field_name: str, value: str | int) -> wq.Query:
        return wq.Term(field_name, value)

    def range(self, field_name: str, start: int | None, end: int | None) -> wq.Query:
        return wq.NumericRange(field_name, start, end)

    def conjunction(self, parts: list[wq.Query]) -> wq.Query:
        return wq.And(parts)

    def disjunction(self, parts: list[wq.Query]) -> wq.Query:
        return wq.Or(parts)

    def negation(self, inner: wq.Query) -> wq.Query:
        return wq.Not(inner)

    def everything(self) -> wq.Query:
        return wq.Every()

    def nothing(self) -> wq.Query:
        return wq.NullQuery

    def distinct(self, parts: list[wq.Query]) -> list[wq.Query]:
        """Parts that compile alike ("traite", "traité") count once."""
        return list(dict.fromkeys(parts))
