"""``python -m loopkit``."""

from loopkit.cli import main

main()
