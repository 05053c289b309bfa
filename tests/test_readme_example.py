"""README's quick start shows a failure message; it must be one the checks really print."""

import re

from checkrun import EXERCISES, run_checks
from kata.meta import REPO_ROOT

README = REPO_ROOT / "README.md"
# The example is the code block right after a comment naming the chaff that prints it.
EXAMPLE = re.compile(r"<!-- printed by (tests/chaff/(\d\d)/\S+\.py);[^>]*-->\n```\n(.*?)\n```", re.S)


def test_readme_example_failure_is_printed_by_a_check():
    match = EXAMPLE.search(README.read_text(encoding="utf-8"))
    assert match, "README.md's quick start lost its example failure or the comment naming its chaff"
    chaff, number, shown = match.groups()
    exercise = next(e for e in EXERCISES if e.number == number)
    printed = run_checks(exercise, "--impl", str(REPO_ROOT / chaff)).first_failure()
    assert " ".join(shown.split()) == " ".join(printed.split()), (
        f"README.md's example failure is not what {chaff} gets first; it gets:\n{printed}")
