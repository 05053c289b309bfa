"""`python -m kata ...` works like the `kata` command, for when the script is not on PATH (Colab)."""

import sys

from kata.tools.cli import main

sys.exit(main())
