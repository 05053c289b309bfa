#!/usr/bin/env python3
"""Classroom 50's entry point for the transfer-learning kata (written by `python -m grader classroom50`).

The Classroom 50 runner starts this file in the learner's checkout. Everything it grades with sits
beside it: the kata's pristine and hidden checks, its runtime and its grader (grader/classroom50.py
does the work; settings.json says how to install and how long grading may take).
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from grader.classroom50 import main  # noqa: E402  (the bundle's own grader, not an installed one)

sys.exit(main(HERE, Path.cwd()))
