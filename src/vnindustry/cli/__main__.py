"""``python -m vnindustry.cli``: the same as the ``vnindustry`` command."""

from vnindustry.cli import main

main()
