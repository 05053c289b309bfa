"""`python -m grader ...`; the `kata-grader` console script calls the same `main`."""

import sys

from grader.cli import main

if __name__ == "__main__":
    sys.exit(main())
