"""The public API as library users see it: typed for their type checker and editor, behind the
lazy imports; its errors in one family; its knobs in one place, which the CLI follows."""

import ast
import importlib
import inspect
import pkgutil
import re
import subprocess
import sys

import pytest

import corpus
import indexer
import search
from corpus.errors import OnuError
from search import Index
from search import settings as knobs
from tests.conftest import ROOT, build_index

README = (ROOT / "README.md").read_text(encoding="utf-8")
EXAMPLE = re.search(r"### As a library\s+```python\n(.*?)```", README, re.S).group(1)
# Appended to the README's example: `# T: type` is what mypy must reveal on that line,
# `# E: code` the error it must report there; any other error fails the test.
CHECKS = '''
import datetime as dt
from search import Hit, IndexProblemError, NotFoundError, OnuError, Results, Statement, SyncReport

def first_hit(ix: Index) -> Hit | None:
    for hit in ix.search("climat", sort="date", page=2, since=dt.date(2024, 1, 1)):
        return hit
    return None

reveal_type(report)  # T: indexer.sync.SyncReport
reveal_type(res)  # T: search.results.Results
reveal_type(Index().search)  # T: def (query: str =, *, states: typing.Sequence[str] =, any_state: bool =, agenda: str | None =, session: int | str | None =, organ: str | None =, doc_type: str | None =, since: datetime.date | str | None =, until: datetime.date | str | None =, symbol: str | None =, sort: str | None =, limit: int =, page: int =, facets: typing.Sequence[str] =) -> search.results.Results
reveal_type(res.hits)  # T: tuple[search.results.Hit, ...]
reveal_type(res.facets)  # T: dict[str, dict[str, int]]
reveal_type(hit.symbol)  # T: str | None
reveal_type(hit.date)  # T: datetime.date | None
reveal_type(hit.snippets[0].marked())  # T: str
reveal_type(record)  # T: corpus.record.Statement
reveal_type(Index(workers=2, snippets=1, snippet_width=80).stats().documents)  # T: int
reveal_type(first_hit)  # T: def (ix: search.index.Index) -> search.results.Hit | None
issubclass(NotFoundError, OnuError) and issubclass(IndexProblemError, OnuError)

ix.search(limit="ten")  # E: arg-type
ix.search("climat", colour="red")  # E: call-arg
ix.sync("../shared/corpus", rebuild="yes")  # E: arg-type
hit.no_such_field  # E: attr-defined
res.total.upper()  # E: attr-defined
Index(snippets="3")  # E: arg-type
ix.get(78)  # E: arg-type
from search import NoSuchName  # E: attr-defined
'''


def test_the_readme_example_type_checks_and_wrong_calls_are_caught(tmp_path):
    """A user's program checked by mypy: the README's example is clean, every public result has
    its real type (not Any), and each wrong call is reported; so a public signature or lazy
    export that loses its types fails here."""
    pytest.importorskip("mypy", reason="mypy is in the test extra: pip install -e '.[test]'")
    program = tmp_path / "user_program.py"
    program.write_text(EXAMPLE + CHECKS, encoding="utf-8")
    lines = program.read_text(encoding="utf-8").splitlines()
    want_types = {n: m.group(1) for n, line in enumerate(lines, 1) if (m := re.search(r"# T: (.+)$", line))}
    want_errors = {(n, m.group(1)) for n, line in enumerate(lines, 1) if (m := re.search(r"# E: ([\w-]+)$", line))}
    run = subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(ROOT / "setup.cfg"),
                          "--cache-dir", str(tmp_path / "cache"), "--no-error-summary", "--hide-error-context",
                          str(program)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert not run.stderr, run.stderr
    found = [re.match(r".*?user_program\.py:(\d+): (\w+): (.*)", line) for line in run.stdout.splitlines()]
    assert all(found), run.stdout  # nothing reported about the library itself
    revealed = {int(m.group(1)): m.group(3) for m in found if m.group(2) == "note"
                and m.group(3).startswith("Revealed type")}
    errors = {(int(m.group(1)), re.search(r"\[([\w-]+)\]$", m.group(3)).group(1)) for m in found
              if m.group(2) == "error"}
    assert errors == want_errors, run.stdout
    assert {n: t.removeprefix('Revealed type is "').removesuffix('"') for n, t in revealed.items()} == want_types


def _type_checking_imports(package) -> dict[str, str]:
    """Name -> module of the imports under `if TYPE_CHECKING:` in a package's __init__."""
    tree = ast.parse(inspect.getsource(package))
    block = next(n for n in tree.body if isinstance(n, ast.If) and getattr(n.test, "id", "") == "TYPE_CHECKING")
    names = {}
    for node in block.body:
        module = importlib.util.resolve_name("." * node.level + (node.module or ""), package.__name__)
        names.update((alias.asname or alias.name, module) for alias in node.names)
    return names


@pytest.mark.parametrize("package", [corpus, indexer, search], ids=lambda p: p.__name__)
def test_what_type_checkers_see_is_what_the_lazy_imports_give(package):
    """The names imported for type checkers, __all__ and the lazy table agree, name for name and
    module for module, and each name is the object of that module."""
    seen = _type_checking_imports(package)
    lazy = {name: importlib.util.resolve_name(module if "." in module else f".{module}", package.__name__)
            for name, module in package._EXPORTS.items()}
    assert seen == lazy
    assert sorted(package.__all__) == sorted(seen)
    for name, module in seen.items():
        assert getattr(package, name) is getattr(importlib.import_module(module), name)
    with pytest.raises(AttributeError):
        package.no_such_name  # noqa: B018


def _library_modules():
    for package in (corpus, indexer, search):
        yield package
        for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if not info.name.endswith(".__main__"):  # that one runs a command when imported
                yield importlib.import_module(info.name)


def test_errors_are_one_family_named_and_placed_alike():
    """Every exception class of the library that can reach users is an OnuError named ...Error,
    defined in its package's errors module; but for SyncInterrupted, a KeyboardInterrupt so that
    Ctrl-C still stops callers. Private classes (raised and caught within their module) are left out."""
    found = {}
    for module in _library_modules():
        for name, value in vars(module).items():
            if (inspect.isclass(value) and issubclass(value, BaseException) and value.__module__ == module.__name__
                    and not name.startswith("_") and name == value.__name__):  # not an old name kept as an alias
                found[name] = value
    assert {"OnuError", "NotFoundError", "IndexDamagedError", "QueryError", "SyncInterrupted"} <= set(found)
    for name, cls in found.items():
        assert cls.__module__.endswith(".errors"), f"{name} is defined in {cls.__module__}"
        if issubclass(cls, KeyboardInterrupt):
            continue
        assert issubclass(cls, OnuError), name
        assert name.endswith("Error"), name
    assert issubclass(search.IndexDamagedError, search.IndexProblemError)


DOCS = {f"{n}.xml": dict(symbol=f"A/RES/78/{n}", title=f"Climat {n}",
                         paragraphs=tuple(f"Le climat change, paragraphe {p}, " + "et ainsi de suite " * 30
                                          for p in range(4)))
        for n in range(1, 4)}


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    return build_index(tmp_path_factory.mktemp("typed"), DOCS)


def test_snippet_count_and_width_are_knobs_of_the_index(index_dir):
    with Index(index_dir) as ix:
        default = ix.search("climat").hits[0].snippets
    with Index(index_dir, snippets=1, snippet_width=60) as ix:
        narrow = ix.search("climat").hits[0].snippets
    with Index(index_dir, snippets=0) as ix:
        none = ix.search("climat").hits[0].snippets
    assert len(default) == knobs.SNIPPETS and all(len(s.text) > 150 for s in default)
    assert len(narrow) == 1 and len(narrow[0].text) <= 60 + 20  # widened to whole words, by 20 at most
    assert none == ()
    for bad in (dict(snippets=-1), dict(snippet_width=0)):
        with pytest.raises(ValueError):
            Index(index_dir, **bad)


def test_the_number_of_workers_reaches_the_sync(tmp_path, monkeypatch):
    import indexer.sync

    asked = []
    real = indexer.sync.prepare_all

    def prepare_all(items, workers, within, engine):
        asked.append(workers)
        return real(items, workers, within, engine)

    monkeypatch.setattr(indexer.sync, "prepare_all", prepare_all)
    build_index(tmp_path, {"a.xml": dict(symbol="A/RES/78/1")})
    with Index(tmp_path / "ix2", workers=1) as ix:
        ix.sync([tmp_path / "a.xml"])
    assert asked == [knobs.WORKERS, 1]


def test_the_cli_takes_its_defaults_and_choices_from_the_library():
    from search.cli.indexing import index
    from search.cli.searching import search as search_command

    options = {p.name: p for p in search_command.params}
    assert tuple(options["sort"].type.choices) == knobs.SORTS
    assert (options["limit"].default, options["limit"].type.min, options["limit"].type.max) == (
        knobs.LIMIT, 0, knobs.MAX_LIMIT)
    assert ",".join(knobs.FACETS) in options["facets"].help
    assert {p.name: p for p in index.params}["lock_timeout"].default == knobs.LOCK_TIMEOUT
    assert inspect.signature(Index).parameters["lock_timeout"].default == knobs.LOCK_TIMEOUT
    assert inspect.signature(Index.search).parameters["limit"].default == knobs.LIMIT
