"""`kata doctor`: what a confused learner (or their helper) needs to know about this setup.

Python and package versions against what the project declares, the device torch sees, which
resnet18 weights the checks will use and how to get the real ones, and whether the shipped dataset
is intact. It only reads: no weights are written and TORCH_HOME is left alone.
"""

from __future__ import annotations

import importlib.metadata as metadata
import platform
import sys
from dataclasses import dataclass, field
from pathlib import Path

from kata.files import sha256_of
from kata.tools.checkout import exercises, private_home, relative

DISTRIBUTION = "transfer-learning-kata"
SUMS_FILE = "SHA256SUMS"
OK, NOTE, PROBLEM = "ok", "--", "!!"


@dataclass
class Finding:
    status: str  # OK, NOTE (worth knowing) or PROBLEM (fix it)
    topic: str
    lines: list[str]


# ---- versions -------------------------------------------------------------------------------

def requirements() -> tuple[list, dict[str, list]]:
    """The project's own declared requirements (core, and per extra), read from its installed metadata."""
    from packaging.requirements import Requirement

    core: list[Requirement] = []
    extras: dict[str, list[Requirement]] = {}
    for text in metadata.requires(DISTRIBUTION) or []:
        requirement = Requirement(text)
        marker = str(requirement.marker or "")
        if "extra ==" in marker:
            extras.setdefault(marker.split("==")[1].strip(" '\""), []).append(requirement)
        else:
            core.append(requirement)
    return core, extras


def installed(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def python_finding() -> Finding:
    version = platform.python_version()
    try:
        needed = metadata.metadata(DISTRIBUTION)["Requires-Python"] or ""
    except metadata.PackageNotFoundError:
        needed = ""
    from packaging.specifiers import SpecifierSet

    fine = not needed or version in SpecifierSet(needed)
    line = f"{version} at {sys.executable}"
    if fine:
        return Finding(OK, "Python", [line])
    return Finding(PROBLEM, "Python", [line, f"this kata needs Python {needed}: make a new virtual "
                                            "environment with a newer python3"])


def package_findings() -> list[Finding]:
    """One line per declared dependency: installed version, or what is missing or too old."""
    try:
        core, extras = requirements()
    except metadata.PackageNotFoundError:
        return [Finding(PROBLEM, "install", [
            f"the {DISTRIBUTION} project is not installed in this Python ({sys.executable}).",
            "In your copy of the repository, with your virtual environment active: pip install -e .",
        ])]
    found = []
    for requirement in core:
        version = installed(requirement.name)
        if version is None:
            found.append(Finding(PROBLEM, requirement.name, [f"not installed; run: pip install -e ."]))
        elif requirement.specifier and version not in requirement.specifier:
            found.append(Finding(PROBLEM, requirement.name, [
                f"{version}, but the kata needs {requirement.name}{requirement.specifier}; run: pip install -e ."]))
        else:
            found.append(Finding(OK, requirement.name, [version]))
    for extra, why in (("plot", "kata pictures"), ("watch", "kata watch")):
        for requirement in extras.get(extra, []):
            version = installed(requirement.name)
            text = (f"{version}, for {why}" if version
                    else f"not installed (optional, for {why}): pip install -e '.[{extra}]'")
            found.append(Finding(OK if version else NOTE, requirement.name, [text]))
    return found


def torch_findings() -> list[Finding]:
    """torch and torchvision must import together, and say which device they can use."""
    try:
        import torch
        import torchvision  # noqa: F401  (a torch/torchvision mismatch fails here)
    except Exception as exc:  # noqa: BLE001 - any import failure is the finding
        return [Finding(PROBLEM, "torch", [
            f"import torch, torchvision failed: {type(exc).__name__}: {exc}",
            "torch and torchvision must come from matching builds: pip install --force-reinstall torch torchvision",
        ])]
    if torch.cuda.is_available():
        device = f"CUDA: {torch.cuda.get_device_name(0)} (torch {torch.version.cuda})"
    elif getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
        device = "Apple MPS"
    else:
        device = "CPU only (no CUDA or MPS): that is fine, every check runs on a CPU"
    return [Finding(OK, "device", [device])]


# ---- weights --------------------------------------------------------------------------------

def weights_finding(root: Path) -> Finding:
    from kata import weights

    chosen = weights.choose(private_home(root))
    if chosen.is_imagenet:
        return Finding(OK, "weights", [f"real ImageNet checkpoint, sha256 verified: {chosen.checkpoint}"])
    made = "" if chosen.checkpoint.is_file() else " (made on the first check run)"
    return Finding(NOTE, "weights", [
        f"offline stand-in, a seeded random resnet18: {chosen.reason}.",
        f"stand-in file{made}: {chosen.checkpoint}",
        "Every exercise works with it; the few checks that need real ImageNet behaviour are skipped.",
        "To use the real ImageNet weights, fetch them once (45 MB, needs the internet), run:",
        f"    {weights.FETCH_COMMAND}",
        f"It saves them to {weights.checkpoint_path(weights.user_torch_home())}, where torchvision and "
        "the checks look first.",
    ])


# ---- dataset --------------------------------------------------------------------------------

@dataclass
class DataCheck:
    """How a data folder compares with its SHA256SUMS file."""

    folder: Path
    listed: int = 0
    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)  # images ImageFolder would read, not listed
    unreadable: list[str] = field(default_factory=list)  # lines of SHA256SUMS that make no sense

    @property
    def intact(self) -> bool:
        return not (self.changed or self.missing or self.unreadable)


def verify_sums(folder: Path) -> DataCheck:
    """Check every file listed in `folder/SHA256SUMS` (sha256sum's format, paths relative to `folder`)."""
    check = DataCheck(folder)
    listed = set()
    for number, line in enumerate((folder / SUMS_FILE).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        digest, _, name = line.partition(" ")
        name = name[1:] if name[:1] in (" ", "*") else name  # "<hash>  name" or "<hash> *name"
        if len(digest) != 64 or not name:
            check.unreadable.append(f"line {number}")
            continue
        listed.add(Path(name).as_posix())
        path = folder / name
        if not path.is_file():
            check.missing.append(name)
        elif sha256_of(path) != digest.lower():
            check.changed.append(name)
    check.listed = len(listed)
    from torchvision.datasets.folder import IMG_EXTENSIONS

    images = {p.relative_to(folder).as_posix() for p in folder.rglob("*")
              if p.is_file() and p.name.lower().endswith(IMG_EXTENSIONS)}
    check.extra = sorted(images - listed)
    return check


def dataset_findings(root: Path) -> list[Finding]:
    found = []
    for exercise in exercises(root):
        data = exercise.folder / "data"
        if not (data / SUMS_FILE).is_file():
            continue
        check = verify_sums(data)
        shown = relative(data, root)
        if check.intact and not check.extra:
            found.append(Finding(OK, "dataset", [f"{shown}: all {check.listed} files match {SUMS_FILE}"]))
            continue
        lines = [f"{shown}: {check.listed} files listed in {SUMS_FILE}"]
        for what, items in (("changed", check.changed), ("missing", check.missing),
                            (f"unreadable {SUMS_FILE} entries", check.unreadable),
                            ("images not listed (ImageFolder would train on them too)", check.extra)):
            if items:
                more = f", ... ({len(items) - 5} more)" if len(items) > 5 else ""
                lines.append(f"{len(items)} {what}: {', '.join(items[:5])}{more}")
        if not check.intact:
            lines.append(f"Restore the shipped files: git checkout -- {shown}  "
                         "(or copy that folder again from the starter repository)")
        found.append(Finding(OK if check.intact else PROBLEM, "dataset", lines))
    if not found:
        found.append(Finding(NOTE, "dataset", [f"no exercise ships a data/{SUMS_FILE} here"]))
    return found


# ---- where things come from ----------------------------------------------------------------

def layout_findings(root: Path) -> list[Finding]:
    import kata

    package = Path(kata.__file__).resolve().parent
    lines = [f"{len(exercises(root))} exercises in {root}"]
    if package.parent != root.resolve():
        return [Finding(NOTE, "kata", lines + [
            f"the kata package is imported from {package}, not from this copy; the checks still use "
            "this copy's exercises. If that is not what you want: pip install -e . here."])]
    return [Finding(OK, "kata", lines)]


def diagnose(root: Path) -> list[Finding]:
    findings = [python_finding(), *package_findings(), *torch_findings(), *layout_findings(root)]
    if not any(f.status == PROBLEM and f.topic == "torch" for f in findings):
        findings.append(weights_finding(root))
    return findings + dataset_findings(root)


def render(findings: list[Finding]) -> str:
    width = max(len(f.topic) for f in findings)
    out = ["kata doctor: your setup, as the checks will see it", ""]
    for finding in findings:
        first, *rest = finding.lines
        out.append(f"  {finding.status} {finding.topic:<{width}}  {first}")
        out += [f"     {'':<{width}}  {line}" for line in rest]
    problems = [f.topic for f in findings if f.status == PROBLEM]
    out.append("")
    if problems:
        out.append(f"Fix the lines marked !! ({', '.join(problems)}), then run kata doctor again.")
    else:
        out.append("Everything the kata needs is in place. Lines marked -- are worth knowing, not errors.")
    return "\n".join(out)
