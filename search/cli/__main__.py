"""`python -m search.cli`: the `onu` command (as `onu serve --watch` runs `onu index`)."""

from . import main

main(prog_name="onu")
