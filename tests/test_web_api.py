"""The JSON API and the pages over HTTP, on a real server: every endpoint and error, the same
JSON as the CLI's --json, escaping, symbols in URLs, the schema and the README that describe it."""

from __future__ import annotations

import json
import re
import sys
import threading
import urllib.parse

import pytest
from click.testing import CliRunner

from indexer.settings import ENGINES

pytest.importorskip("starlette", reason="the web extra is not installed: pip install -e '.[test]'")

from search import Index  # noqa: E402
from search.cli import main  # noqa: E402
from search.web import create_app  # noqa: E402
from search.web.params import FILTERS  # noqa: E402
from tests.conftest import ROOT, build_index  # noqa: E402
from tests.webapp import make_index, serve  # noqa: E402


@pytest.fixture(scope="module", params=ENGINES)
def index_dir(request, tmp_path_factory):
    """The pages and the API over an index of each engine in turn."""
    return make_index(tmp_path_factory.mktemp("web"), engine=request.param)


@pytest.fixture(scope="module")
def server(index_dir):
    with serve(create_app(index_dir)) as running:
        yield running


def cli_json(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("path, command", [
    ("/api/search?q=climat&state=France&facets=state,year&limit=3&page=2",
     ["search", "climat", "--state", "France", "--facets", "state,year", "--limit", "3", "--page", "2"]),
    ("/api/search?q=traite+des+enfants", ["search", "traite des enfants"]),
    ("/api/search?q=clamit", ["search", "clamit"]),
    ("/api/documents/A/RES/78/10", ["show", "A/RES/78/10"]),
    ("/api/documents/S/RES/2677%20(2023)", ["show", "S/RES/2677 (2023)"]),
    ("/api/stats", ["stats"]),
])
def test_the_api_answers_what_the_cli_prints_with_json(server, index_dir, path, command):
    status, headers, body = server.get(path)
    assert status == 200 and headers["content-type"] == "application/json"
    assert body.decode("utf-8") + "\n" == cli_json(*command, "--index", str(index_dir), "--json")


@pytest.mark.parametrize("query, kwargs", [
    ("agenda=107", dict(agenda="107")),
    ("session=GA+78", dict(session="GA 78")),
    ("organ=SC", dict(organ="SC")),
    ("type=r%C3%A9solution&limit=20", dict(doc_type="résolution", limit=20)),
    ("since=2023-06-01&until=2023-12-31&sort=date", dict(since="2023-06-01", until="2023-12-31", sort="date")),
    ("state=BLR&state=Mexique", dict(states=["BLR", "Mexique"])),
    ("state=BLR&state=Mexique&any_state=1", dict(states=["BLR", "Mexique"], any_state=True)),
    ("symbol=A/RES/78/10", dict(symbol="A/RES/78/10")),
    ("q=climat&sort=-date&page=2&facets=organ&facets=year", dict(query="climat", sort="-date", page=2,
                                                                  facets=["organ", "year"])),
    ("q=&agenda=&state=", dict()),  # empty fields, as a form sends them, are absent
])
def test_each_parameter_is_the_librarys(server, index_dir, query, kwargs):
    status, data = server.json("/api/search?" + query)
    with Index(index_dir) as ix:
        expected = json.loads(json.dumps(ix.search(**kwargs).to_json(), default=str))
    assert status == 200 and data == expected and data["total"] > 0


@pytest.mark.parametrize("query, status, kind, extra", [
    ('q=%22traite', 400, "QueryError", {"position": 0}),
    ("q=(climat", 400, "QueryError", {}),
    ("state=Belaruss", 400, "UnknownStateError", {"suggestions": ["Bélarus"]}),
    ("sort=title", 400, "QueryError", {}),
    ("limit=ten", 400, "QueryError", {}),
    ("limit=5000", 400, "QueryError", {}),
    ("page=0", 400, "QueryError", {}),
    ("since=2023-13-01", 400, "QueryError", {}),
    ("organ=UNESCO", 400, "QueryError", {}),
    ("facets=colour", 400, "QueryError", {}),
])
def test_bad_requests_are_400_with_the_reason(server, query, status, kind, extra):
    code, data = server.json("/api/search?" + query)
    assert code == status and data["error"]["type"] == kind and data["error"]["status"] == status
    assert data["error"]["message"] and extra.items() <= data["error"].items()


def test_an_unknown_document_or_address_is_404(server):
    code, data = server.json("/api/documents/A/RES/1/1")
    assert code == 404 and data["error"]["type"] == "NotFoundError" and "A/RES/1/1" in data["error"]["message"]
    code, data = server.json("/api/nothing")
    assert code == 404 and data["error"]["status"] == 404
    code, page = server.text("/documents/A/RES/1/1")
    assert code == 404 and "Introuvable" in page and "Traceback" not in page
    assert server.text("/nothing")[0] == 404


def test_503_while_the_index_is_missing_then_answers_once_it_is_built(tmp_path):
    with serve(create_app(tmp_path / "ix")) as server:
        for path in ("/api/search?q=climat", "/api/stats", "/api/documents/A/RES/78/10"):
            code, data = server.json(path)
            assert code == 503 and data["error"]["type"] == "IndexMissingError", (path, data)
        code, page = server.text("/?q=climat")
        assert code == 503 and "onu index" in page
        assert server.text("/stats")[0] == 503
        build_index(tmp_path, {"a.xml": dict(symbol="A/RES/78/10", paragraphs=("Le climat.",))})
        code, data = server.json("/api/search?q=climat")
        assert code == 200 and data["total"] == 1


def test_state_suggestions(server):
    code, data = server.json("/api/states?q=biel")
    assert code == 200 and data[0] == {"code": "BLR", "name_fr": "Bélarus", "name_en": "Belarus"}
    assert server.json("/api/states?q=")[1] == []
    assert server.json("/api/states?q=" + "x" * 5000)[0] == 200


def test_document_text_and_metadata_are_escaped_in_pages(server):
    for path in ("/?q=pi%C3%A9g%C3%A9", "/documents/A/RES/78/99?q=pi%C3%A9g%C3%A9"):
        code, page = server.text(path)
        assert code == 200 and "&lt;script&gt;window.pwned = 1&lt;/script&gt;" in page, path
        assert "&lt;img src=x onerror=" in page and "<script>window" not in page and "<img src=x" not in page
    code, data = server.json("/api/documents/A/RES/78/99")  # JSON is data: the text as it is
    assert code == 200 and data["title"].startswith("<script>window.pwned = 1</script>")


def test_the_query_is_escaped_where_the_page_repeats_it(server):
    hostile = '"><script>window.pwned=1</script>'
    for path in ("/?q=", "/documents/A/RES/78/10?q=", "/?state="):
        code, page = server.text(path + urllib.parse.quote(hostile))
        assert "<script>window" not in page and "&lt;script&gt;" in page, (path, code)


@pytest.mark.parametrize("path", [
    "/documents/../../../etc/passwd", "/documents/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/documents//etc/passwd",
    "/api/documents/..%2f..%2f..%2fetc%2fpasswd", "/api/documents/%2Fetc%2Fpasswd", "/static/../app.py",
    "/static/%2e%2e/app.py", "/static/..%2fapp.py", "/static/%2e%2e%2f%2e%2e%2fsetup.cfg",
    "/documents/" + "%2e%2e/" * 10 + "setup.cfg",
])
def test_symbols_and_asset_paths_do_not_reach_files(server, path):
    code, _, body = server.get(path)
    assert code == 404 and b"root:" not in body and b"create_app" not in body and b"[metadata]" not in body


def test_pages_send_a_content_security_policy(server):
    _, headers, _ = server.get("/")
    assert "default-src 'self'" in headers["content-security-policy"] and headers["x-content-type-options"] == "nosniff"


def test_the_document_page_links_references_marks_words_and_points_to_the_official_texts(server):
    code, page = server.text("/documents/A/RES/78/10?q=traite+enfants")
    assert code == 200
    assert '<a href="/documents/A/RES/78/11">A/RES/78/11</a>' in page
    assert 'href="/documents/A/RES/68/192"' not in page and "A/RES/68/192" in page  # cited, not indexed
    assert page.count("<mark>") == len(re.findall(r"(?i)<mark>(traite|enfants)</mark>", page)) >= 3
    for lang in ("ar", "zh", "en", "fr", "ru", "es"):
        assert f'href="https://undocs.org/{lang}/A/RES/78/10"' in page
    assert "Auteurs" in page and "Bélarus" in page and "Coauteurs" in page and "Mexique" in page
    assert "Point 107" in page


def test_the_search_page_shows_where_a_query_fails_and_suggests_states(server):
    code, page = server.text("/?q=" + urllib.parse.quote('climat "oc'))
    assert code == 400 and 'climat <mark class="at">&#34;</mark>oc' in page
    code, page = server.text("/?state=Belaruss&state=France")
    assert code == 400 and "État inconnu" in page
    assert 'href="/?state=B%C3%A9larus&amp;state=France"' in page


def test_the_index_page_says_what_it_holds(server, index_dir):
    code, page = server.text("/stats")
    assert code == 200 and "16" in page and str(index_dir.parent) in page
    assert 'href="/?session=GA+78"' in page and 'href="/?organ=SC"' in page and "2024" in page


def test_many_threads_share_one_index(server):
    expected = server.json("/api/search?q=climat&limit=3")[1]
    answers = []

    def ask() -> None:
        for _ in range(10):
            answers.append(server.json("/api/search?q=climat&limit=3"))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(answers) == 80 and all(a == (200, expected) for a in answers)


def test_the_schema_page_lists_every_endpoint_and_parameter(server):
    code, schema = server.json("/api/schema")
    assert code == 200
    assert set(schema["paths"]) == {"/api/search", "/api/documents/{symbol}", "/api/stats", "/api/states"}
    names = {p["name"] for p in schema["paths"]["/api/search"]["get"]["parameters"]}
    assert names == {"q", "state", "any_state", "sort", "limit", "page", "facets", *FILTERS}
    code, page = server.text("/api")
    assert code == 200 and all(f"<code>{n}</code>" in page for n in names)


def test_the_readme_describes_the_api_the_schema_declares(server):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### JSON API"):]
    section = section[:section.index("\n## ")]
    documented = set(re.findall(r"`GET (/api/[^`?]*)", section))
    schema = server.json("/api/schema")[1]
    patterns = {path: re.sub(r"\\\{\w+\\\}", ".+", re.escape(path)) for path in schema["paths"]}
    assert {path for path, pattern in patterns.items() if any(re.fullmatch(pattern, d) for d in documented)} \
        == set(schema["paths"]) and len(documented) == len(schema["paths"])
    for name in (p["name"] for p in schema["paths"]["/api/search"]["get"]["parameters"]):
        assert f"`{name}`" in section, name


def test_marks_are_the_offsets_of_the_query_words_in_the_whole_text(index_dir):
    with Index(index_dir) as ix:
        rec = ix.get("A/RES/78/10")
        marks = ix.marks("A/RES/78/10", "traite")
        assert [rec.body[a:b].lower() for a, b in marks] == ["traite", "traite"]
        assert ix.marks("A/RES/78/10", "NOT climat") == () and ix.marks("A/RES/78/10", "") == ()


def test_serve_without_the_web_extra_says_which_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 1 and "pip install 'onu-search[web]'" in result.output
    assert "uvicorn" in result.output and "Traceback" not in result.output


def test_serve_watch_without_folders_to_watch_is_one_line(tmp_path):
    result = CliRunner().invoke(main, ["serve", "--watch", "--index", str(tmp_path / "ix")])
    assert result.exit_code == 1 and "onu index" in result.output and "Traceback" not in result.output


def test_a_page_without_hits_says_why_and_what_to_do(server):
    """No match, a misspelt word and a page past the end each say so (an empty page of results
    is falsy: the template once showed nothing at all)."""
    code, page = server.text("/?q=xqzwv")
    assert code == 200 and "Aucun document ne correspond" in page
    code, page = server.text("/?q=climta")
    assert code == 200 and "Vouliez-vous dire" in page and "climat" in page
    code, page = server.text("/?q=climat&page=999")
    assert code == 200 and "au-delà de la fin" in page and "Première page" in page


@pytest.mark.parametrize("url, facet", [
    ("/?organ=AG", "GA"), ("/?organ=Assembl%C3%A9e+g%C3%A9n%C3%A9rale", "GA"), ("/?organ=GA", "GA"),
    ("/?type=resolution", "résolution"), ("/?session=AG+78", "GA 78"), ("/?session=GA:78", "GA 78"),
])
def test_a_filter_written_another_way_is_still_shown_on(server, url, facet):
    """The organ menu keeps its choice and the facet shows as on, whatever way the URL says it,
    so that sending the form again keeps the filter and a click on the facet removes it."""
    code, page = server.text(url)
    assert code == 200
    if url.startswith("/?organ"):
        assert '<option value="GA" selected>' in page
    name = url[2:url.index("=")]
    link = re.search(rf'<li class="active"><a href="(/\?[^"]*)"[^>]*>[^<]*{re.escape(facet)}', page)
    assert link and f"{name}=" not in link[1], (link and link[1])
