"""`python -m exportctl.cli`: the `exportctl` command."""

from exportctl.cli import main

main()
