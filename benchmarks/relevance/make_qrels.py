"""Derive relevance judgments (qrels) for the ranking benchmark from corpus metadata.

Usage::

    python -m benchmarks.relevance.make_qrels --corpus /path/to/unxml

Reads ``topics.json`` (next to this file), walks every ``*.xml`` under the
corpus folder, and writes ``qrels.json`` (next to this file), mapping each
query id to ``{document path relative to the corpus folder: grade}``.
Documents not listed for a query are non-relevant (grade 0).

Only the standard library is used (``xml.etree``), so the judgments do not
depend on the search engine being evaluated.

Documents considered
--------------------
Every file whose ``FRBRExpression/FRBRlanguage`` is ``fra``; the few English
files in ``French/`` folders are skipped.  Duplicates (same ``docNumber``
under different file names) are all kept: each is judged on its own metadata.

Rules, by query ``kind``
------------------------
``topic`` (fields ``unbis``: list of descriptor values)
    *Direct*, grade 2: the document carries at least one of the listed
    descriptors, i.e. a ``<classification>/<keyword>`` whose ``dictionary``
    is ``UNBIS`` or ``UNBIS Thesaurus`` and whose ``value`` equals the
    descriptor exactly.  (Case matters: the upper-case descriptors such as
    ``CLIMATE CHANGE`` are the library's subject indexing, in the
    ``<classification source="DHLAUTH">`` block; the lower-case ones such as
    ``climate_change`` are derived from the SDG classification and are
    coarse.  The topics use the upper-case ones.)

    *Title expansion*, grade 1: the same recurring resolution of another year
    (or organ), which indexing left untagged.  A document is added when

    1. it has the same resolution title as a directly relevant document: the
       ``<preface>`` ``<docTitle>`` text, compared after :func:`title_key`
       normalisation (whitespace, case, hyphens, apostrophes, "droits de
       l'homme" = "droits humains");
    2. it was left unindexed: it has no subject descriptor at all (no UNBIS
       keyword in a ``DHLAUTH`` classification) -- most GA resolutions of the
       74th and 75th sessions.  A document that *was* indexed is judged by its
       own descriptors only;
    3. the descriptor is characteristic of that title rather than incidental
       to one year's text: at least half of the indexed documents bearing the
       title carry one of the topic's descriptors.  (Without this, e.g. "Le
       droit à l'alimentation" 2019 would become relevant to "égalité des
       sexes" because the 2022 text was tagged GENDER EQUALITY once.)

    Security Council documents take no part in title expansion: resolutions
    have no preface title, and the not-adopted drafts' preface names only
    their sponsors ("Algérie : projet de résolution").

``state`` (fields ``state``: English name as in the workflow; ``topic``: id of a topic query)
    The document is relevant to that topic (grade 1 or 2 above) **and** the
    state is one of its sponsors: its name appears as a whole word in the
    ``by`` attribute of a ``<workflow>/<step>`` whose outcome is
    ``draftResolution``, ``draftDecision`` or their ``...AdditionalSponsors``
    counterparts.  Grade 2 if the state is on the original draft
    (``draftResolution``/``draftDecision`` step), 1 if it is only an
    additional sponsor.

``symbol`` (field ``symbol``)
    The cover page ``<docNumber>`` (whitespace-collapsed, upper-cased) equals
    the symbol.  When the symbol has no space, the docNumber is compared
    without what follows its first space, so ``S/RES/2679`` matches
    ``S/RES/2679 (2023)`` and ``A/RES/75/101`` matches ``A/RES/75/101 A-B``.
    Grade 2.

``agenda`` (field ``agenda``: French agenda item title)
    A cover-page ``<inline name="agenda item name">`` equals the title
    (:func:`title_key` comparison): grade 2; or is a sub-item of it, i.e.
    starts with the title followed by `` :`` (``Promotion des femmes :
    promotion des femmes``): grade 1.

``sc_subject`` (field ``sc_subjects``: list of English Security Council agenda subjects)
    A Security Council document (``docNumber`` starting with ``S/``, adopted
    or not) with a ``<classification>/<keyword refersTo="agenda">`` whose
    ``showAs`` equals one of the subjects (:func:`title_key` comparison,
    trailing full stop ignored).  Grade 2.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

AKN = "{http://docs.oasis-open.org/legaldocml/ns/akn/3.0}"

HERE = Path(__file__).resolve().parent
TOPICS_PATH = HERE / "topics.json"
QRELS_PATH = HERE / "qrels.json"

UNBIS_DICTIONARIES = {"UNBIS", "UNBIS Thesaurus"}
# The classification block holding the library's subject indexing (upper-case
# UNBIS Thesaurus descriptors); the other UNBIS keywords are derived from the
# SDG classification and present whether or not a document was indexed.
SUBJECT_INDEXING_SOURCE = "DHLAUTH"
PRIMARY_SPONSOR_OUTCOMES = {"draftResolution", "draftDecision"}
SPONSOR_OUTCOMES = PRIMARY_SPONSOR_OUTCOMES | {
    "draftResolutionAdditionalSponsors",
    "draftDecisionAdditionalSponsors",
}

# A topic with more relevant documents than this, or none, is reported.
MAX_RELEVANT = 400


def ws(text: str | None) -> str:
    """Collapse runs of whitespace (including no-break spaces) to one space."""
    return " ".join((text or "").split())


# Hyphen-minus, hyphen, non-breaking hyphen, figure dash, en dash.
_HYPHENS = re.compile("[\u2010\u2011\u2012\u2013-]")


def title_key(text: str | None) -> str:
    """Comparison key for titles: whitespace-normalised, case-folded.

    Also unifies variants that the upstream files mix within one recurring
    resolution: Unicode compatibility forms (NFKC), curly apostrophes, soft
    hyphens, hyphens and dashes of any kind versus spaces ("non-déploiement",
    "non‑déploiement", "non déploiement"), and the 2022 change of
    wording from "droits de l'homme" to "droits humains".
    """
    text = unicodedata.normalize("NFKC", text or "")
    text = text.replace("\u00ad", "").replace("\u2019", "'")
    text = _HYPHENS.sub(" ", text)
    text = ws(text).casefold()
    return text.replace("droits de l'homme", "droits humains")


def text_of(elem) -> str:
    return ws("".join(elem.itertext())) if elem is not None else ""


class Doc:
    __slots__ = (
        "path", "doc_number", "title", "descriptors", "agenda_names",
        "primary_sponsors", "all_sponsors", "sc_subjects", "indexed",
    )

    def __init__(self, path: str):
        self.path = path
        self.doc_number = ""
        self.title = ""
        self.descriptors: set[str] = set()
        self.agenda_names: list[str] = []
        self.primary_sponsors: list[str] = []  # raw ``by`` attributes
        self.all_sponsors: list[str] = []
        self.sc_subjects: list[str] = []
        self.indexed = False  # carries library subject descriptors (DHLAUTH)


def parse_doc(path: Path, rel: str) -> Doc | None:
    """Metadata of one file, or None when it is not a French document."""
    root = ET.parse(path).getroot()
    lang = root.find(f".//{AKN}FRBRExpression/{AKN}FRBRlanguage")
    if lang is None or lang.get("language") != "fra":
        return None
    doc = Doc(rel)

    for classification in root.iter(f"{AKN}classification"):
        for kw in classification.iter(f"{AKN}keyword"):
            if kw.get("dictionary") in UNBIS_DICTIONARIES and kw.get("value"):
                doc.descriptors.add(kw.get("value"))
                if classification.get("source") == SUBJECT_INDEXING_SOURCE:
                    doc.indexed = True
            if kw.get("refersTo") == "agenda" and kw.get("showAs"):
                doc.sc_subjects.append(kw.get("showAs"))

    for step in root.iter(f"{AKN}step"):
        by = step.get("by") or ""
        if not by:
            continue
        if step.get("outcome") in SPONSOR_OUTCOMES:
            doc.all_sponsors.append(by)
        if step.get("outcome") in PRIMARY_SPONSOR_OUTCOMES:
            doc.primary_sponsors.append(by)

    cover = root.find(f".//{AKN}coverPage")
    if cover is not None:
        doc.doc_number = text_of(cover.find(f".//{AKN}docNumber"))
        doc.agenda_names = [
            text_of(el) for el in cover.iter(f"{AKN}inline")
            if el.get("name") == "agenda item name"
        ]
    preface = root.find(f".//{AKN}preface")
    if preface is not None:
        doc.title = text_of(preface.find(f".//{AKN}docTitle"))
    if not is_security_council(doc):
        doc.sc_subjects = []
    return doc


def load_corpus(corpus: Path) -> tuple[list[Doc], list[str], list[str]]:
    docs, skipped, errors = [], [], []
    for dirpath, dirnames, filenames in os.walk(corpus):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.endswith(".xml"):
                continue
            path = Path(dirpath) / name
            rel = path.relative_to(corpus).as_posix()
            try:
                doc = parse_doc(path, rel)
            except ET.ParseError as exc:
                errors.append(f"{rel}: {exc}")
                continue
            if doc is None:
                skipped.append(rel)
            else:
                docs.append(doc)
    return docs, skipped, errors


# --- rules -----------------------------------------------------------------

def is_security_council(doc: Doc) -> bool:
    return doc.doc_number.upper().startswith("S/")


def expandable_title(doc: Doc) -> str:
    """Title key used for title expansion, or '' when the document takes no part."""
    if is_security_council(doc):
        return ""
    return title_key(doc.title)


def judge_topic(topic: dict, docs: list[Doc], by_title: dict[str, list[Doc]]) -> dict[str, int]:
    wanted = set(topic["unbis"])
    grades: dict[str, int] = {}
    titles: set[str] = set()
    for doc in docs:
        if doc.descriptors & wanted:
            grades[doc.path] = 2
            key = expandable_title(doc)
            if key:
                titles.add(key)
    for key in titles:
        group = by_title[key]
        tagged = sum(1 for doc in group if doc.descriptors & wanted)
        indexed = sum(1 for doc in group if doc.indexed)
        if 2 * tagged < indexed:
            # Incidental to this recurring resolution: most of its indexed
            # occurrences do not carry the descriptor.
            continue
        for doc in group:
            if not doc.indexed:
                grades.setdefault(doc.path, 1)
    return grades


def _names_state(by_values: list[str], state: str) -> bool:
    pattern = re.compile(r"(?<![\w-])" + re.escape(state) + r"(?![\w-])")
    return any(pattern.search(by) for by in by_values)


def judge_state(query: dict, docs: list[Doc], qrels: dict[str, dict[str, int]]) -> dict[str, int]:
    topical = qrels[query["topic"]]
    grades = {}
    for doc in docs:
        if doc.path not in topical:
            continue
        if _names_state(doc.primary_sponsors, query["state"]):
            grades[doc.path] = 2
        elif _names_state(doc.all_sponsors, query["state"]):
            grades[doc.path] = 1
    return grades


def judge_symbol(query: dict, docs: list[Doc]) -> dict[str, int]:
    symbol = ws(query["symbol"]).upper()
    grades = {}
    for doc in docs:
        number = doc.doc_number.upper()
        if " " not in symbol:
            number = number.split(" ", 1)[0]
        if number == symbol:
            grades[doc.path] = 2
    return grades


def judge_agenda(query: dict, docs: list[Doc]) -> dict[str, int]:
    wanted = title_key(query["agenda"])
    grades = {}
    for doc in docs:
        keys = [title_key(name) for name in doc.agenda_names]
        if wanted in keys:
            grades[doc.path] = 2
        elif any(k.startswith(wanted + " :") for k in keys):
            grades[doc.path] = 1
    return grades


def _subject_key(text: str) -> str:
    return title_key(text).rstrip(". ")


def judge_sc_subject(query: dict, docs: list[Doc]) -> dict[str, int]:
    wanted = {_subject_key(s) for s in query["sc_subjects"]}
    return {
        doc.path: 2 for doc in docs
        if is_security_council(doc)
        and any(_subject_key(s) in wanted for s in doc.sc_subjects)
    }


def make_qrels(topics: list[dict], docs: list[Doc]) -> dict[str, dict[str, int]]:
    by_title: dict[str, list[Doc]] = defaultdict(list)
    for doc in docs:
        key = expandable_title(doc)
        if key:
            by_title[key].append(doc)

    qrels: dict[str, dict[str, int]] = {}
    # Topics first: state queries refer to them.
    for topic in topics:
        if topic["kind"] == "topic":
            qrels[topic["id"]] = judge_topic(topic, docs, by_title)
    for query in topics:
        kind = query["kind"]
        if kind == "topic":
            continue
        if kind == "state":
            qrels[query["id"]] = judge_state(query, docs, qrels)
        elif kind == "symbol":
            qrels[query["id"]] = judge_symbol(query, docs)
        elif kind == "agenda":
            qrels[query["id"]] = judge_agenda(query, docs)
        elif kind == "sc_subject":
            qrels[query["id"]] = judge_sc_subject(query, docs)
        else:
            raise ValueError(f"{query['id']}: unknown kind {kind!r}")
    return {
        q["id"]: dict(sorted(qrels[q["id"]].items())) for q in topics
    }


def summary(topics: list[dict], qrels: dict[str, dict[str, int]]) -> tuple[str, list[str]]:
    lines = [f"{'id':<4} {'kind':<10} {'rel':>4} {'g2':>4} {'g1':>4}  query"]
    problems = []
    for q in topics:
        grades = qrels[q["id"]]
        n = len(grades)
        g2 = sum(1 for g in grades.values() if g == 2)
        lines.append(f"{q['id']:<4} {q['kind']:<10} {n:>4} {g2:>4} {n - g2:>4}  {q['query']}")
        if n == 0 or n > MAX_RELEVANT:
            problems.append(f"{q['id']} ({q['query']}): {n} relevant documents")
    total = sum(len(g) for g in qrels.values())
    lines.append(f"{len(topics)} queries, {total} judgments")
    return "\n".join(lines), problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", required=True, type=Path,
                        help="the unxml folder of the shared corpus")
    parser.add_argument("--topics", type=Path, default=TOPICS_PATH)
    parser.add_argument("--out", type=Path, default=QRELS_PATH)
    args = parser.parse_args(argv)

    if not args.corpus.is_dir():
        parser.error(f"not a directory: {args.corpus}")
    topics = json.loads(args.topics.read_text(encoding="utf-8"))
    ids = [q["id"] for q in topics]
    if len(set(ids)) != len(ids):
        parser.error("duplicate query ids in topics")

    docs, skipped, errors = load_corpus(args.corpus)
    print(f"{len(docs)} French documents read, {len(skipped)} non-French skipped, "
          f"{len(errors)} unreadable", file=sys.stderr)
    for err in errors:
        print(f"  unreadable: {err}", file=sys.stderr)

    qrels = make_qrels(topics, docs)
    table, problems = summary(topics, qrels)
    print(table)
    for problem in problems:
        print(f"WARNING: {problem}", file=sys.stderr)

    args.out.write_text(
        json.dumps(qrels, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"wrote {args.out}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
