"""`python -m grader` (also the `kata-grader` command): grade, batch, export-template, gradescope-package.

Exit status: 0 when grading ran, whatever the score; 1 when the grader could not grade (the
requested outputs are still written, saying so); 2 for a usage error.
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from grader import results, sandbox
from kata.files import write_atomically
from grader.formats import FORMATS, render

USAGE_ERROR = 2


def _limits(args: argparse.Namespace) -> sandbox.Limits:
    uid = None if args.sandbox_uid == "none" else int(args.sandbox_uid)
    return sandbox.Limits(memory_mb=args.memory_mb, time_limits=tuple(args.time_limit), threads=args.threads,
                          uid=uid, grace_s=args.grace, tasks=args.tasks, isolation=args.isolation)


def _limit_options(parser: argparse.ArgumentParser) -> None:
    """The limit options; their defaults are sandbox.Limits' own (one source)."""
    default = sandbox.Limits()
    group = parser.add_argument_group("limits")
    group.add_argument("--memory-mb", type=int, default=default.memory_mb,
                       help="memory cap of each exercise's process (RLIMIT_DATA)")
    group.add_argument("--tasks", type=int, default=default.tasks,
                       help="processes and threads an exercise may add (RLIMIT_NPROC)")
    group.add_argument("--time-limit", type=_time_limit, action="append", default=[], metavar="[NN=]SECONDS",
                       help="seconds for exercise NN (or every exercise), overriding exercise.toml (tests)")
    group.add_argument("--grace", type=float, default=default.grace_s, help="seconds past a limit before the kill")
    group.add_argument("--threads", type=int, default=default.threads, help="torch threads in the child")
    group.add_argument("--sandbox-uid", default=str(default.uid),
                       help="uid the child switches to when the grader runs as root ('none': stay root)")
    group.add_argument("--isolation", choices=sandbox.ISOLATIONS, default=default.isolation,
                       help="bubblewrap (namespaces), process (limits and uid only), or auto: bubblewrap "
                            "where it works")
    group.add_argument("--cache", type=Path, default=None,
                       help="grader cache: weights and the checks' manifest (default .kata/grader)")


def write_output(text: str, path: Path | None) -> None:
    if path is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_atomically(path, text)


def _time_limit(value: str) -> tuple[str, float]:
    number, _, seconds = value.rpartition("=")
    try:
        return number or "*", float(seconds)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected SECONDS or NN=SECONDS, got {value!r}") from None


def _also(value: str) -> tuple[str, Path]:
    name, sep, path = value.partition("=")
    if not sep or name not in FORMATS:
        raise argparse.ArgumentTypeError(f"expected FORMAT=FILE with FORMAT one of {', '.join(FORMATS)}")
    return name, Path(path)


def cmd_grade(args: argparse.Namespace) -> int:
    from grader import assignment, runner

    sandbox.become_subreaper()
    name = args.name or args.path.resolve().name
    status = 0
    if not args.path.is_dir():
        result = runner.error_result(name, f"{args.path} is not a folder")
        status = 1
    else:
        try:
            limits = _limits(args)
            result = runner.grade(args.path, assignment.load(limits, args.cache), limits, name, args.keep)
        except (assignment.GraderError, OSError) as exc:
            result, status = runner.error_result(name, str(exc)), 1
    write_output(render(args.format, result), args.out)
    for fmt, path in args.also:
        write_output(render(fmt, result), path)
    if status:
        print(f"grader: could not grade {name}: {results.ERROR}", file=sys.stderr)
    return status


def cmd_batch(args: argparse.Namespace) -> int:
    from grader import batch

    uid_base = None if args.sandbox_uid == "none" else int(args.sandbox_uid)
    return batch.run(args.folder, args.out, args.jobs, args.regrade, _passthrough(args), uid_base)


def _passthrough(args: argparse.Namespace) -> list[str]:
    """The limit options, handed on to each `grade` the batch starts."""
    out = ["--memory-mb", str(args.memory_mb), "--tasks", str(args.tasks), "--grace", str(args.grace),
           "--isolation", args.isolation]
    for number, seconds in args.time_limit:
        out += ["--time-limit", f"{number}={seconds}"]
    if args.cache is not None:
        out += ["--cache", str(args.cache)]
    return out + (["--threads", str(args.threads)] if args.threads else [])


def cmd_export(args: argparse.Namespace) -> int:
    from grader import export

    export.export_template(args.out, force=args.force)
    print(f"wrote the learners' starter repository to {args.out}")
    return 0


def cmd_package(args: argparse.Namespace) -> int:
    from grader import package

    package.build(args.out)
    print(f"wrote the Gradescope autograder to {args.out}")
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m grader", description=__doc__,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = top.add_subparsers(dest="command", required=True)

    grade = sub.add_parser("grade", help="grade one submission (a folder laid out like the learner's repository)")
    grade.add_argument("path", type=Path)
    grade.add_argument("--format", choices=sorted(FORMATS), default="table")
    grade.add_argument("--out", type=Path, help="write the report here instead of stdout")
    grade.add_argument("--also", type=_also, action="append", default=[], metavar="FORMAT=FILE",
                       help="also write another format (repeatable)")
    grade.add_argument("--name", help="the submission's name in reports (default: the folder's)")
    grade.add_argument("--keep", action="store_true", help="keep the workspace (debugging)")
    _limit_options(grade)
    grade.set_defaults(run=cmd_grade)

    batch = sub.add_parser("batch", help="grade every submission folder under FOLDER into a gradebook")
    batch.add_argument("folder", type=Path)
    batch.add_argument("--out", type=Path, default=None, help="results folder (default FOLDER-results)")
    batch.add_argument("--jobs", type=int, default=1)
    batch.add_argument("--regrade", action="store_true", help="grade again what is already graded")
    _limit_options(batch)
    batch.set_defaults(run=cmd_batch)

    export = sub.add_parser("export-template", help="write the learners' starter repository")
    export.add_argument("out", type=Path)
    export.add_argument("--force", action="store_true", help="replace OUT if it exists")
    export.set_defaults(run=cmd_export)

    package = sub.add_parser("gradescope-package", help="build a Gradescope autograder zip")
    package.add_argument("out", type=Path)
    package.set_defaults(run=cmd_package)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the clean-ups (kill the child)
    return args.run(args)
