"""Grading a class on many machines: `batch --shard K/N` grades a deterministic 1/N of the class,
`merge PARTS... OUT` joins the parts into the gradebook one machine would have written.

A shard takes every N-th submission of the sorted class, starting at the K-th, and writes its
results beside a manifest (`shard.json`): which shard of how many, the whole class in order with
each submission's result file, the version of the checks, and whether it finished. A shard that
dies is simply run again: the batch resumes, skipping what it already graded, and marks itself
done at the end. `merge` refuses parts that disagree (another class, other checks, another N), a
shard missing, twice or unfinished, and a result file missing, so no row is lost or doubled;
then it copies the results and writes the gradebook in the class's order.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import TypeVar

from kata.files import write_atomically
from kata.meta import all_exercises

from grader import gradebook

MANIFEST = "shard.json"
T = TypeVar("T")


def parse(value: str) -> tuple[int, int]:
    """'K/N' -> (K, N), 1 <= K <= N."""
    k, sep, n = value.partition("/")
    try:
        shard, count = int(k), int(n)
    except ValueError:
        shard = count = 0
    if not sep or not 1 <= shard <= count:
        raise ValueError(f"expected K/N with 1 <= K <= N, got {value!r}")
    return shard, count


def select(items: list[T], shard: int, count: int) -> list[T]:
    """Shard K of N: items K, K+N, K+2N, ... (1-based) of the sorted class: balanced and the same on every machine."""
    return items[shard - 1::count]


def write_manifest(out: Path, shard: int, count: int, entries: list[tuple[str, str]], key: str, done: bool) -> None:
    """`entries`: (submission folder, result file name) for the WHOLE class, in order."""
    mine = [name for name, _ in select(entries, shard, count)]
    document = {"shard": shard, "of": count, "assignment": key, "class": [list(e) for e in entries],
                "mine": mine, "done": done}
    write_atomically(out / MANIFEST, json.dumps(document, indent=2, ensure_ascii=False) + "\n")


class MergeError(Exception):
    """The parts do not add up to one whole class."""


def _load(part: Path) -> dict:
    try:
        return json.loads((part / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise MergeError(f"{part} is not a shard's results folder (no readable {MANIFEST}: {exc})") from None


def check(parts: list[Path]) -> tuple[list[tuple[str, Path]], dict]:
    """(submission, its result file) for the whole class in order, from parts that add up; else MergeError."""
    manifests = {part: _load(part) for part in parts}
    first = next(iter(manifests.values()), None)
    if first is None:
        raise MergeError("no parts given")
    for part, m in manifests.items():
        for key in ("of", "assignment", "class"):
            if m[key] != first[key]:
                raise MergeError(f"{part} belongs to another run than {parts[0]} (its {key!r} differs)")
        if not m["done"]:
            raise MergeError(f"{part}: shard {m['shard']}/{m['of']} did not finish; run it again (it resumes)")
    shards = sorted(m["shard"] for m in manifests.values())
    if shards != list(range(1, first["of"] + 1)):
        raise MergeError(f"expected shards 1..{first['of']} once each, got {shards}")
    owner = {name: part for part, m in manifests.items() for name in m["mine"]}
    rows = []
    for name, file in first["class"]:
        path = owner[name] / "results" / file
        if not path.is_file():
            raise MergeError(f"{owner[name]}: no result for {name} ({path.name}); run that shard again")
        rows.append((name, path))
    return rows, first


def merge(parts: list[Path], out: Path) -> int:
    try:
        rows, manifest = check(parts)
    except MergeError as exc:
        print(f"grader: cannot merge: {exc}", file=sys.stderr)
        return 1
    (out / "results").mkdir(parents=True, exist_ok=True)
    copied = []
    for name, path in rows:
        shutil.copyfile(path, out / "results" / path.name)
        copied.append((name, out / "results" / path.name))
    gradebook.write(out / "gradebook.csv", copied, all_exercises())
    print(f"gradebook: {out / 'gradebook.csv'} ({len(rows)} submissions from {manifest['of']} shards)")
    return 0
