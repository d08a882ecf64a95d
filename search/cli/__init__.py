"""The `onu` command: a thin shell over the library, one library call per command."""

from __future__ import annotations

import click

from .documents import show, stats
from .indexing import index, inspect
from .options import OnuGroup
from .searching import search
from .serving import serve


@click.group(cls=OnuGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="onu-search")
def main() -> None:
    """Full-text search over United Nations documents in French.

    Example:

        onu index ../shared/corpus

        onu search "traite des enfants" --state Bélarus
    """


for command in (index, inspect, search, serve, show, stats):
    main.add_command(command)
