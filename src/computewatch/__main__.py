"""`python -m computewatch` is the `computewatch` command."""

from computewatch.cli import main

main()
