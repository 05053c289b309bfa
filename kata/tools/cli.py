"""The `kata` command (also `python -m kata`): a thin front over pytest and the exercise metadata.

Checking an exercise is always `pytest exercises/NN`; these subcommands only help around it.
Each job lives in its own module; this file only parses arguments and prints.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from kata.meta import pictured
from kata.tools.checkout import KataError, exercises, find_root, pick, private_home

DESCRIPTION = "Helpers for the transfer-learning kata. Checking an exercise is always: pytest exercises/NN"
EXAMPLES = """\
examples:
  kata progress      every exercise's state, from running all the checks, and what to do next
  kata hint 03       the next hint for exercise 03 (a nudge first, the near-answer last)
  kata watch         re-run your current exercise's checks each time you save
  kata doctor        Python, torch, device, weights and dataset: is everything in place?
  kata fetch-weights download resnet18's real ImageNet weights once (45 MB) into your torch cache
  kata pictures      train with your training exercise; save history.png and predictions.png in .kata/pictures
"""


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="kata", description=DESCRIPTION, epilog=EXAMPLES,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = top.add_subparsers(dest="command", metavar="COMMAND")
    progress = commands.add_parser("progress", aliases=["list"], help="show every exercise's state and the next one to do")
    progress.add_argument("--fresh", action="store_true",
                          help="run every check again, even for exercises that did not change since their last run")
    hint = commands.add_parser("hint", help="reveal the next hint for an exercise")
    hint.add_argument("exercise", nargs="?", metavar="NN",
                      help="exercise number, e.g. 03 (default: your current exercise)")
    hint.add_argument("--reset", action="store_true", help="hide this exercise's hints again")
    watch = commands.add_parser("watch", help="re-run an exercise's checks on every save")
    watch.add_argument("exercise", nargs="?", metavar="NN",
                       help="exercise number (default: your first unfinished exercise, then the next ones)")
    commands.add_parser("doctor", help="check Python, torch, device, weights and the dataset")
    fetch = commands.add_parser("fetch-weights", help="download resnet18's ImageNet weights into your torch cache")
    fetch.add_argument("--url", help="where to download from (default: torchvision's own address)")
    pictures = commands.add_parser("pictures", help="train with your training exercise and save PNG pictures of it")
    pictures.add_argument("--out", metavar="DIR", help="folder for the PNG files (default: .kata/pictures)")
    return top


def current_exercise(root, say=print):
    from kata.tools.progress import check_all

    say("(No exercise given: your current one is the first that kata progress does not find passing.)")
    return check_all(root).next_exercise()


def progress(root, fresh: bool = False) -> int:
    from kata.tools.progress import check_all, header, row, summary, title_width

    todo = exercises(root)
    width = title_width(todo)
    print(header(todo), flush=True)
    report = check_all(root, on_done=lambda exercise, tally: print(row(exercise, tally, width), flush=True),
                       fresh=fresh)
    print(summary(report, root))
    return 0


def hint(root, number: str | None, reset: bool) -> int:
    from kata.tools.hints import reveal

    exercise = pick(number, exercises(root)) if number else current_exercise(root)
    if exercise is None:
        print("Every exercise passes, so there is nothing to hint at. Ask for one by number: kata hint NN")
        return 0
    print(reveal(exercise, private_home(root), reset=reset))
    return 0


def watch(root, number: str | None) -> int:
    from kata.tools.watch import watch as run_watch

    return run_watch(root, pick(number, exercises(root)) if number else None)


def doctor(root) -> int:
    from kata.tools.doctor import PROBLEM, diagnose, render

    findings = diagnose(root)
    print(render(findings))
    return 1 if any(f.status == PROBLEM for f in findings) else 0


def fetch_weights(root, url: str | None) -> int:
    from kata.tools.fetch import describe, fetch_for_user

    for line in describe(fetch_for_user(private_home(root), url, say=lambda line: print(line, flush=True))):
        print(line)
    return 0


def pictures(root, out: str | None) -> int:
    from pathlib import Path

    from kata.tools.pictures import save_pictures
    from kata.tools.plots import PlottingUnavailable

    exercise = pictured(exercises(root))
    if exercise is None:
        raise KataError("No exercise of this kata trains a model (`trains = true` in its exercise.toml).")
    folder = Path(out) if out else private_home(root) / "pictures"
    try:
        saved = save_pictures(exercise, folder, private_home(root), say=lambda line: print(line, flush=True))
    except (PlottingUnavailable, ValueError, TypeError) as problem:
        raise KataError(str(problem)) from None
    except NotImplementedError:
        raise KataError(f"Exercise {exercise.number} is not done yet: make `pytest exercises/{exercise.number}` "
                        "pass first, then draw its training.") from None
    for path in saved:
        print(f"saved {path}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    if arguments.command is None:
        parser().print_help()
        return 0
    try:
        root = find_root()
        if arguments.command in ("progress", "list"):
            return progress(root, arguments.fresh)
        if arguments.command == "hint":
            return hint(root, arguments.exercise, arguments.reset)
        if arguments.command == "watch":
            return watch(root, arguments.exercise)
        if arguments.command == "fetch-weights":
            return fetch_weights(root, arguments.url)
        if arguments.command == "pictures":
            return pictures(root, arguments.out)
        return doctor(root)
    except KataError as problem:
        print(f"kata: {problem}", file=sys.stderr)
        return 2
