"""`onu serve --watch`: files added, changed or removed under the indexed folders reach the
server's answers by themselves, through a sync run in another process."""

from __future__ import annotations

import time

import pytest

pytest.importorskip("watchfiles", reason="the web extra is not installed: pip install -e '.[test]'")

from search.web import create_app  # noqa: E402
from tests.conftest import akn_xml, build_index  # noqa: E402
from tests.webapp import serve  # noqa: E402

DEADLINE = 60.0  # seconds: a burst of changes is waited out (1.6 s), then a new process syncs


def wait_for(server, path: str, total: int) -> None:
    deadline = time.monotonic() + DEADLINE
    while (found := server.json(path)[1]["total"]) != total:
        assert time.monotonic() < deadline, f"{path}: {found} documents, not {total}, after {DEADLINE} s"
        time.sleep(0.2)


def test_changes_to_the_folders_reach_the_server(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    index_dir = build_index(corpus, {"a.xml": dict(symbol="A/RES/78/1", paragraphs=("Le climat.",))})
    assert index_dir.parent == corpus  # the index lies inside the watched folder: its writes are no change

    def no_sync_here(*args, **kwargs):
        raise AssertionError("the server synced in its own process")

    monkeypatch.setattr("indexer.sync.sync", no_sync_here)
    with serve(create_app(index_dir, watch=True)) as server:
        (corpus / "b.xml").write_text(akn_xml("A/RES/78/2", paragraphs=("Le zéphyr.",)), encoding="utf-8")
        wait_for(server, "/api/search?q=z%C3%A9phyr", 1)
        (corpus / "a.xml").write_text(akn_xml("A/RES/78/1", paragraphs=("Le zéphyr encore.",)), encoding="utf-8")
        wait_for(server, "/api/search?q=z%C3%A9phyr", 2)
        (corpus / "b.xml").unlink()
        wait_for(server, "/api/search?q=z%C3%A9phyr", 1)
        assert server.json("/api/stats")[1]["documents"] == 1
