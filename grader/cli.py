"""`python -m grader` (also the `kata-grader` command): grade, batch, merge, gradebook, export-template,
gradescope-package, classroom50, shard-templates.

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
    group.add_argument("--threads", type=int, default=default.threads,
                       help="torch threads in the child (default: OMP_NUM_THREADS if set, else every core)")
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
    return batch.run(args.folder, args.out, args.jobs, args.regrade, _passthrough(args), uid_base, args.shard)


def _shard(value: str) -> tuple[int, int]:
    from grader import shard

    try:
        return shard.parse(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def cmd_merge(args: argparse.Namespace) -> int:
    from grader import shard

    return shard.merge(args.parts, args.out)


def cmd_lms(args: argparse.Namespace) -> int:
    from kata.meta import all_exercises

    from grader import lms

    graded = args.results or args.folder.with_name(args.folder.name + "-results")
    return lms.run(args.folder, graded, args.roster, args.lms, args.out, args.assignment, args.per_exercise,
                   args.missing, args.due, args.late_penalty, all_exercises())


def cmd_shard_templates(args: argparse.Namespace) -> int:
    from grader import export

    for path in export.shard_templates(args.out, args.shards):
        print(f"wrote {path}")
    return 0


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

    export.export_template(args.out, force=args.force, classroom50=args.classroom50)
    print(f"wrote the learners' starter repository to {args.out}")
    return 0


def cmd_package(args: argparse.Namespace) -> int:
    from grader import package

    package.build(args.out)
    print(f"wrote the Gradescope autograder to {args.out}")
    return 0


def cmd_classroom50(args: argparse.Namespace) -> int:
    from grader import classroom50

    classroom50.build(args.out, force=args.force)
    print(f"wrote the Classroom 50 autograder to {args.out}: copy it to CLASSROOM/autograders/ASSIGNMENT/")
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
    batch.add_argument("--shard", type=_shard, default=None, metavar="K/N",
                       help="grade only shard K of N (a deterministic 1/N of the class) into a partial result set")
    _limit_options(batch)
    batch.set_defaults(run=cmd_batch)

    lms = sub.add_parser("lms", help="the graded class as a Canvas or Moodle gradebook import CSV, from a roster")
    lms.add_argument("folder", type=Path, help="the class folder `batch` graded")
    lms.add_argument("out", type=Path, help="the CSV to write")
    lms.add_argument("--roster", type=Path, required=True, help="CSV: submission, id, name, email, section")
    lms.add_argument("--lms", choices=("canvas", "moodle"), required=True)
    lms.add_argument("--results", type=Path, default=None, help="the batch's results folder (default FOLDER-results)")
    lms.add_argument("--assignment", default="Transfer-learning kata", help="the grade column's name")
    lms.add_argument("--per-exercise", action="store_true", help="also a column per exercise")
    lms.add_argument("--missing", choices=("zero", "blank"), default="zero",
                     help="what a roster learner without a submission gets")
    lms.add_argument("--due", default=None, help="due time, ISO 8601 (no offset: UTC)")
    lms.add_argument("--late-penalty", type=float, default=0.0, metavar="PERCENT",
                     help="per started day late, from the commit (or file) time")
    lms.set_defaults(run=cmd_lms)

    merge = sub.add_parser("merge", help="join the partial result sets of `batch --shard` into one gradebook")
    merge.add_argument("parts", type=Path, nargs="+", help="each shard's --out folder")
    merge.add_argument("out", type=Path, help="results folder: results/ and gradebook.csv, as one batch writes")
    merge.set_defaults(run=cmd_merge)

    shards = sub.add_parser("shard-templates", help="write a GitHub Actions matrix workflow and a Kubernetes "
                                                    "Indexed Job that grade a class in N shards, then merge")
    shards.add_argument("out", type=Path)
    shards.add_argument("--shards", type=int, default=4)
    shards.set_defaults(run=cmd_shard_templates)

    export = sub.add_parser("export-template", help="write the learners' starter repository")
    export.add_argument("out", type=Path)
    export.add_argument("--force", action="store_true", help="replace OUT if it exists")
    export.add_argument("--classroom50", action="store_true",
                        help="leave the plain Actions workflow out (Classroom 50 adds its own)")
    export.set_defaults(run=cmd_export)

    package = sub.add_parser("gradescope-package", help="build a Gradescope autograder zip")
    package.add_argument("out", type=Path)
    package.set_defaults(run=cmd_package)

    classroom = sub.add_parser("classroom50", help="write a Classroom 50 autograder bundle (autograders/ASSIGNMENT/)")
    classroom.add_argument("out", type=Path)
    classroom.add_argument("--force", action="store_true", help="replace OUT if it is not empty")
    classroom.set_defaults(run=cmd_classroom50)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the clean-ups (kill the child)
    return args.run(args)
