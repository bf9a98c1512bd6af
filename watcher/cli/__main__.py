"""`python -m watcher.cli`: the same as the `watcher` console script."""

from watcher.cli import main

main()
