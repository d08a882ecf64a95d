"""The `onu` command at its edges: empty indexes, missing folders, failing output, colour, columns, plurals."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from corpus.wording import plural
from search.cli import main
from search.cli.render import use_color
from tests.conftest import akn_xml, build_index


def onu(*args: object, **kwargs):
    """Run `onu` with these arguments; the result of CliRunner.invoke."""
    return CliRunner().invoke(main, [str(a) for a in args], **kwargs)


def no_traceback(result) -> None:
    """CliRunner catches exceptions: one that is not SystemExit escaped the command."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


@pytest.fixture(scope="module")
def small_index(tmp_path_factory):
    """An index of two resolutions, one of them about "traite"."""
    return build_index(tmp_path_factory.mktemp("small"), {
        "a.xml": dict(symbol="A/RES/78/10", title="Traite des êtres humains", paragraphs=("La traite des enfants.",)),
        "b.xml": dict(symbol="A/RES/78/11", title="Océans", date="", paragraphs=("Le droit de la mer.",)),
    })


@pytest.fixture
def empty_index(tmp_path):
    """An index built from an empty folder."""
    (tmp_path / "empty").mkdir()
    index_dir = tmp_path / "ix"
    assert onu("index", tmp_path / "empty", "--index", index_dir).exit_code == 0
    return index_dir


def test_search_and_stats_of_an_empty_index(empty_index):
    searched = onu("search", "x", "--index", empty_index)
    no_traceback(searched)
    assert searched.exit_code == 0 and "No document matches." in searched.output
    listed = onu("search", "--facets", "state", "--index", empty_index)
    no_traceback(listed)
    assert listed.exit_code == 0
    stats = onu("stats", "--index", empty_index)
    no_traceback(stats)
    assert stats.exit_code == 0 and "documents: 0" in stats.output


def test_indexing_a_folder_that_does_not_exist_fails_in_one_line(tmp_path):
    (tmp_path / "corpus").mkdir()
    index_dir = tmp_path / "ix"
    onu("index", tmp_path / "corpus", "--index", index_dir)
    result = onu("index", tmp_path / "nulle-part", "--index", index_dir)
    no_traceback(result)
    assert result.exit_code == 1
    assert result.output == f"Error: no such file or folder: {tmp_path / 'nulle-part'}\n"
    stats = onu("stats", "--index", index_dir)
    assert f"folders: {tmp_path / 'corpus'}\n" in stats.output


def onu_process(*args, stdout) -> subprocess.CompletedProcess:
    """Run `onu` as a new process writing to `stdout` (a file object or descriptor)."""
    command = [sys.executable, "-c", "from search.cli import main; main()", *map(str, args)]
    return subprocess.run(command, stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=60)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("args", [("search", "x"), ("stats", "--json"), ("--help",)])
def test_output_to_a_full_disk_is_one_line(empty_index, args):
    index = () if args == ("--help",) else ("--index", empty_index)
    with open("/dev/full", "w") as full:
        done = onu_process(*args, *index, stdout=full)
    assert done.returncode == 1
    assert done.stderr == "Error: could not write the output (No space left on device)\n"


def test_output_to_a_closed_pipe_is_quiet(empty_index):
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = onu_process("search", "x", "--index", empty_index, stdout=write_end)
    finally:
        os.close(write_end)
    assert done.returncode == 0 and done.stderr == ""


class _Stream:
    """A stand-in for standard output that is, or is not, a terminal."""

    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize("tty,env,expected", [
    (True, {}, True), (False, {}, False), (True, {"NO_COLOR": "1"}, False), (True, {"NO_COLOR": "0"}, False),
    (True, {"NO_COLOR": ""}, True), (True, {"TERM": "dumb"}, False), (True, {"TERM": "xterm-256color"}, True),
])
def test_colour_only_on_a_terminal_without_no_color_or_dumb(monkeypatch, tty, env, expected):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TERM", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert use_color(_Stream(tty)) is expected


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.parametrize("env,coloured", [({}, True), ({"NO_COLOR": "1"}, False), ({"TERM": "dumb"}, False)])
def test_search_on_a_terminal_honours_no_color_and_dumb(small_index, monkeypatch, env, coloured):
    import pty

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    leader, follower = pty.openpty()
    try:
        done = onu_process("search", "traite", "--index", small_index, stdout=follower)
        os.close(follower)
        output = b""
        while chunk := _read_pty(leader):
            output += chunk
    finally:
        os.close(leader)
    assert done.returncode == 0 and b"A/RES/78/10" in output
    assert (b"\x1b[" in output) is coloured
    assert (b"[traite]" in output) is not coloured


def _read_pty(fd: int) -> bytes:
    """What is left to read from a pseudo-terminal; b"" at its end (EIO once the other side closed)."""
    try:
        return os.read(fd, 65536)
    except OSError:
        return b""


def test_inspect_columns_with_and_without_a_date(small_index):
    result = onu("inspect", small_index.parent / "a.xml", small_index.parent / "b.xml")
    no_traceback(result)
    lines = result.output.splitlines()
    assert lines[0] == "A/RES/78/10            2023-12-04 GA     s78   pt -        Traite des êtres humains"
    assert lines[1] == "A/RES/78/11            -          GA     s78   pt -        Océans"


def test_plural():
    assert [plural(n, "document") for n in (0, 1, 2)] == ["0 documents", "1 document", "2 documents"]


def test_counts_of_one_are_singular(small_index):
    one = onu("search", "traite", "--index", small_index)
    assert one.output.startswith("1 document; 1-1 shown (page 1 of 1)\n")
    past = onu("search", "traite", "--page", "2", "--index", small_index)
    assert past.output.startswith("1 document; page 2 is past the end (1 page)\n")
    inspected = onu("inspect", small_index.parent / "a.xml")
    assert inspected.output.endswith("\n1 document read, 0 files skipped or warned about\n")


def test_index_summary_of_one_document(tmp_path):
    (tmp_path / "a.xml").write_text(akn_xml(), encoding="utf-8")
    result = onu("index", tmp_path / "a.xml", "--index", tmp_path / "ix")
    assert result.output.startswith("1 added, 0 updated, 0 removed, 0 unchanged, 0 skipped; 1 document in the whoosh index (")


def test_the_words_of_an_unquoted_query_are_one_query(small_index):
    quoted = onu("search", "traite enfants", "--index", small_index, "--json")
    unquoted = onu("search", "traite", "enfants", "--index", small_index, "--json")
    assert unquoted.exit_code == 0 and unquoted.output == quoted.output
    minus = onu("search", "--index", small_index, "--", "-océans", "traite")
    assert minus.exit_code == 0 and "A/RES/78/10" in minus.output


def test_serve_on_a_port_in_use_is_one_line(small_index):
    import socket

    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        result = onu("serve", "--index", small_index, "--port", port)
    no_traceback(result)
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: cannot listen on 127.0.0.1:{port} (Address already in use); " \
                                    "choose another with --port"
