"""The `onu` command at its edges: empty indexes, missing folders, failing output, colour, columns, plurals."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from search.cli import main


def onu(*args: str, **kwargs):
    """Run `onu` with these arguments; the result of CliRunner.invoke."""
    return CliRunner().invoke(main, [str(a) for a in args], **kwargs)


def no_traceback(result) -> None:
    """CliRunner catches exceptions: one that is not SystemExit escaped the command."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


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
