"""Shared fixtures: the real corpus (skipped when absent), small AKN documents made to order."""

from __future__ import annotations

import os
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED_NAME = "000_b95a1824a29d38a3.txt"


def corpus_dir() -> Path:
    """Where the shared corpus lies: $ONU_SEARCH_CORPUS, else ../shared/corpus beside the project."""
    return Path(os.environ.get("ONU_SEARCH_CORPUS") or ROOT.parent / "shared" / "corpus")


@pytest.fixture(scope="session")
def real_corpus() -> Path:
    """The shared corpus folder, or a skip saying where it was looked for."""
    path = corpus_dir()
    if not (path / "unxml").is_dir() or not (path / "statements" / SEED_NAME).is_file():
        pytest.skip(f"the shared corpus is not at {path} (set ONU_SEARCH_CORPUS to its folder)")
    return path


@pytest.fixture(scope="session")
def real_index(real_corpus, tmp_path_factory):
    """The whole shared corpus indexed once for the session: (index folder, sync report)."""
    from indexer.sync import sync

    index_dir = tmp_path_factory.mktemp("real-index")
    report = sync([real_corpus], str(index_dir))
    return index_dir, report


AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"


def akn_xml(symbol: str = "A/RES/78/1", *, title: str = "Titre", paragraphs: tuple[str, ...] = ("Texte.",),
            date: str = "2023-12-04", session: int | None = 78, agenda: tuple[tuple[str, str], ...] = (),
            sponsors: str = "", cosponsors: str = "", language: str = "fra",
            organ: str = "Assemblée générale", links: tuple[str, ...] = (),
            agenda_keywords: tuple[tuple[str, str], ...] = ()) -> str:
    """A small but complete AKN4UN resolution, as the UN publishes them.

    agenda_keywords: (dictionary, showAs) of the library's agenda keywords in <meta>,
    e.g. ("S/", "The situation in Libya.") for a Security Council agenda item.
    """
    agenda_xml = "".join(
        f'<p><inline title="{escape(n)}" name="agenda item">Point {escape(n)} de l’ordre du jour</inline></p>'
        f'<p><inline name="agenda item name">{escape(t)}</inline></p>' for n, t in agenda)
    session_xml = (f'<p><session refersTo="#generalAssembly" value="{session}">Session {session}</session></p>'
                   if session else "")
    body = "".join(f'<paragraph><num>{i}.</num><content><p>{escape(text)}</p></content></paragraph>'
                   for i, text in enumerate(paragraphs, 1))
    body += "".join(f'<paragraph><content><p>Rappelant <a href="https://undocs.org/fr/{escape(s)}">{escape(s)}</a>,'
                    f'</p></content></paragraph>' for s in links)
    keywords = "".join(f'<keyword refersTo="agenda" value="X" showAs={quoteattr(shown)} dictionary={quoteattr(d)}/>'
                       for d, shown in agenda_keywords)
    classification = f'<classification source="DHLAUTH">{keywords}</classification>' if keywords else ""
    steps = (f'<step date="{date}" outcome="draftResolution" as="A/78/L.1" by={quoteattr(sponsors)}/>'
             f'<step date="0001-01-01" outcome="draftResolutionAdditionalSponsors" by={quoteattr(cosponsors)}/>')
    return f"""<akomaNtoso xmlns="{AKN_NS}">
  <statement name="resolution">
    <meta>
      <identification source="#DGACM">
        <FRBRWork><FRBRdate date="{date}" name="adoption"/></FRBRWork>
        <FRBRExpression><FRBRdate date="{date}" name="publication"/><FRBRlanguage language="{language}"/></FRBRExpression>
      </identification>{classification}
      <workflow source="#un">{steps}</workflow>
    </meta>
    <coverPage>
      <p class="upperRight"><docNumber refersTo="#symbol">{escape(symbol)}</docNumber></p>
      <p><docAuthority refersTo="#issuingBody">{escape(organ)}</docAuthority></p>
      <p><docDate date="{date}" refersTo="#dateOfIssuance">{date}</docDate></p>
      {session_xml}{agenda_xml}
      <p><docTitle>Résolution adoptée par l’Assemblée générale</docTitle></p>
    </coverPage>
    <preface><p><docNumber>{escape(symbol.split('/', 2)[-1])}.</docNumber>
      <docTitle refersTo="#resolutionTitle"><span class="bold">{escape(title)}</span></docTitle></p></preface>
    <mainBody>{body}</mainBody>
  </statement>
</akomaNtoso>
"""


def build_index(root: Path, docs: dict[str, dict], engine: str | None = None) -> Path:
    """Write each document (file name -> akn_xml arguments) under root and index them in root/ix
    (with that engine, else the default one)."""
    from indexer.sync import sync

    for name, kwargs in docs.items():
        (root / name).write_text(akn_xml(**kwargs), encoding="utf-8")
    sync([root], str(root / "ix"), engine=engine)
    return root / "ix"


@pytest.fixture
def write_akn(tmp_path):
    """write_akn(relative_name, **akn_xml_args) -> Path of a new AKN file under tmp_path/corpus."""
    def write(name: str, **kwargs) -> Path:
        path = tmp_path / "corpus" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(akn_xml(**kwargs), encoding="utf-8")
        return path
    return write
