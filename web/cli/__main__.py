"""`python -m web.cli`: the same as the `claimtrack` command."""

from web.cli import main

main()
