"""The web application served for tests: a real uvicorn server on 127.0.0.1 and a free port,
in a thread, over a small index of documents made to order."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import build_index

# Twelve resolutions on the climate (two pages of ten), cross-references, states in several
# roles, three organs and years, and a document whose text and title hold markup.
DOCS: dict[str, dict] = {
    **{f"climat{n:02}.xml": dict(symbol=f"A/RES/78/{100 + n}", title=f"Climat et océans {n}",
                                 date=f"2023-{n % 12 + 1:02}-10", paragraphs=(f"Le climat change ({n}).",),
                                 sponsors="France" if n % 2 else "Belarus") for n in range(12)},
    "traite.xml": dict(symbol="A/RES/78/10", title="Traite des êtres humains",
                       agenda=(("107", "Prévention du crime et justice pénale"),),
                       paragraphs=("La traite des enfants est un crime.", "Les victimes de la traite."),
                       sponsors="Belarus and France", cosponsors="Mexico", links=("A/RES/78/11", "A/RES/68/192")),
    "cite.xml": dict(symbol="A/RES/78/11", title="Coopération internationale", date="2024-01-10",
                     paragraphs=("La coopération contre la traite.",), sponsors="Mexico"),
    "cs.xml": dict(symbol="S/RES/2677 (2023)", title="Résolution 2677 (2023)", organ="Conseil de sécurité",
                   session=None, date="2022-06-01", paragraphs=("Le Conseil de sécurité décide de proroger le mandat.",)),
    "xss.xml": dict(symbol="A/RES/78/99", title="<script>window.pwned = 1</script> Titre piégé",
                    paragraphs=('<img src=x onerror="window.pwned = 2"> texte piégé & sûr',)),
}


def make_index(root: Path, engine: str | None = None) -> Path:
    """The documents of DOCS indexed under root; returns the index folder."""
    return build_index(root, DOCS, engine=engine)


@dataclass
class Server:
    """A running server: its base URL."""

    url: str

    def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        """Status, headers and body of a GET (an error status is returned, not raised)."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=30) as answer:
                return answer.status, dict(answer.headers), answer.read()
        except urllib.error.HTTPError as answer:
            return answer.code, dict(answer.headers), answer.read()

    def json(self, path: str) -> tuple[int, object]:
        """Status and decoded JSON of a GET."""
        status, headers, body = self.get(path)
        assert headers["content-type"].startswith("application/json"), headers
        return status, json.loads(body)

    def text(self, path: str) -> tuple[int, str]:
        """Status and HTML of a GET."""
        status, _, body = self.get(path)
        return status, body.decode("utf-8")


@contextlib.contextmanager
def serve(app) -> Iterator[Server]:
    """Serve the app on 127.0.0.1 at a free port until the block ends."""
    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    try:
        yield Server(f"http://127.0.0.1:{port}")
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        sock.close()
