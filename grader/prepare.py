"""The pytest plugin of the grader's trusted set-up run (`-p grader.prepare --collect-only`).

It runs once per version of the checks, with no learner code in sight, and settles the two
things every graded child must agree on: which resnet18 checkpoint the checks use (a verified
ImageNet checkpoint from the grader's torch cache, copied into the grader's cache, or the kata's
seeded stand-in, made there once), and the full list of checks, each marked when it needs the
real ImageNet weights. The result is one COLLECTED event on its channel (grader.channel); `grader.assignment`
turns it into the manifest.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from kata.outcomes import COLLECTED
from kata.files import write_atomically

from grader import channel

CACHE_ENV = "KATA_GRADER_CACHE"


def share_real_checkpoint(torch_home: Path) -> tuple[str, list[int] | None]:
    """Copy the grader's own verified ImageNet checkpoint (if any) where the sandbox may read it.

    Returns the candidate path and its (size, mtime) so the manifest goes stale when it changes.
    """
    from kata import weights  # imports torch: only ever in this child

    candidate = weights.checkpoint_path(weights.user_torch_home())
    target = weights.checkpoint_path(torch_home)
    signature = None
    if candidate.is_file():
        stat = candidate.stat()
        signature = [stat.st_size, int(stat.st_mtime)]
        if candidate != target and weights.is_verified(candidate) and not target.is_file():
            write_atomically(target, b"", save=lambda tmp: shutil.copyfile(candidate, tmp))
    return str(candidate), signature


class Prepare:
    def __init__(self) -> None:
        self.send = channel.sender(int(os.environ.pop(channel.FD_ENV)))
        self.cache = Path(os.environ[CACHE_ENV])
        self.errors: list[str] = []
        self.candidate: tuple[str, list[int] | None] = ("", None)


STATE: Prepare | None = None


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Before kata.plugin provisions weights: point TORCH_HOME at the grader's cache."""
    global STATE
    STATE = Prepare()
    torch_home = STATE.cache / "torch"
    STATE.candidate = share_real_checkpoint(torch_home)
    os.environ["TORCH_HOME"] = str(torch_home)


def pytest_collectreport(report: pytest.CollectReport) -> None:
    if report.failed and STATE:
        STATE.errors.append(f"{report.nodeid}: {report.longreprtext[-2000:]}")


def pytest_sessionfinish(session: pytest.Session) -> None:
    from kata.plugin import PROVISION

    assert STATE
    provision = session.config.stash[PROVISION]
    checks = [{"id": item.nodeid, "imagenet": item.get_closest_marker("imagenet") is not None}
              for item in session.items]
    STATE.send(COLLECTED, checks=checks, errors=STATE.errors, imagenet=provision.is_imagenet,
               weights=" ".join(provision.describe()), candidate=STATE.candidate[0], signature=STATE.candidate[1])
