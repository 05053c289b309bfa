"""The kata's pytest plugin: one way to run a check, for learners, self-tests and the grader alike.

It picks the code under test (the learner's `exercises/NN`, `--solutions`, or one `--impl` file),
provisions resnet18's weights offline, makes hypothesis deterministic, applies each exercise's time
limit and skips checks that need real ImageNet weights when only the stand-in is available.
"""

from __future__ import annotations

import copy
import gc
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings
from torch import nn

from kata import weights
from kata.learner import Learner, load_module
from kata.meta import Exercise, exercise_of

PROVISION = pytest.StashKey[weights.Provision]()
MODULES = pytest.StashKey[dict]()
FIRST_STAND_IN = pytest.StashKey[bool]()  # this run built the stand-in: say how to get the real weights

settings.register_profile(
    "kata",
    derandomize=True,  # the same code gets the same grade on every run
    database=None,  # nothing written into the learner's (or grader's) tree
    deadline=None,  # an example that runs a resnet takes longer than hypothesis' 200 ms
    max_examples=12,
    # A failing property reports its first counterexample: no shrinking, no hunt for a second bug.
    # Each example builds models, so shrinking made a failing run cost 2-5x a passing one.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    report_multiple_bugs=False,
    print_blob=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("kata")
    group.addoption("--solutions", action="store_true",
                    help="check the reference solutions in solutions/NN instead of exercises/NN")
    group.addoption("--impl", metavar="FILE", type=Path,
                    help="check this one file instead of the exercise's module (self-tests, chaff)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "imagenet: needs the real ImageNet weights (skipped with the stand-in)")
    private_home = Path(os.environ.get("KATA_HOME") or config.rootpath / ".kata")
    new = not weights.checkpoint_path(private_home / "torch").is_file()
    config.stash[PROVISION] = weights.provision(private_home)
    config.stash[FIRST_STAND_IN] = new and not config.stash[PROVISION].is_imagenet
    config.stash[MODULES] = {}
    settings.load_profile("kata")
    _freeze_what_lives()


def _freeze_what_lives() -> None:
    """torch's import leaves ~10^6 long-lived objects; freezing them keeps every gc pass (hypothesis
    runs some, pytest several more at its very end) from walking them all again.

    Once per process, by the first run: they stay frozen to its end. A later run in the same process
    (the self-tests run hundreds) freezes nothing more, so what an earlier run left is collected as
    usual and no run pays for a full collection. (The grader's zygote froze its objects before
    forking, so its exercise processes freeze nothing either: those stay shared, untouched.)
    """
    if not gc.get_freeze_count():
        gc.freeze()


def pytest_report_header(config: pytest.Config) -> list[str]:
    first, *rest = config.stash[PROVISION].describe()
    return [f"kata weights: {first}", *rest]


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    """Once, on the run that first needed the stand-in: the one command that fetches the real weights."""
    if config.stash[FIRST_STAND_IN] and not config.getoption("no_header"):  # the grader runs --no-header
        terminalreporter.write_sep("=", "kata: no verified ImageNet weights, so these checks used an offline "
                                        f"stand-in. Online? Run once: {weights.FETCH_COMMAND}", yellow=True, bold=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Each check gets its exercise's time limit, so a runaway loop fails instead of hanging."""
    for item in items:
        exercise = exercise_of(item.path)
        if exercise and not item.get_closest_marker("timeout"):
            item.add_marker(pytest.mark.timeout(exercise.time_limit))


def pytest_runtest_setup(item: pytest.Item) -> None:
    provision = item.config.stash[PROVISION]
    if item.get_closest_marker("imagenet") and not provision.is_imagenet:
        pytest.skip(f"needs the real ImageNet weights; {provision.reason}")


def module_under_test(config: pytest.Config, exercise: Exercise) -> Path:
    if config.getoption("impl"):
        return Path(config.getoption("impl")).resolve()
    if config.getoption("solutions"):
        return exercise.module_path(config.rootpath / "solutions")
    return exercise.folder / exercise.module


@pytest.fixture(scope="module")  # module-wide, so a check file can train once and check the result many ways
def learner(request: pytest.FixtureRequest) -> Learner:
    """The code under test for this check's exercise, loaded once per session."""
    __tracebackhide__ = True
    exercise = exercise_of(request.path)
    assert exercise, f"{request.path} is not inside an exercise folder"
    path = module_under_test(request.config, exercise)
    cache = request.config.stash[MODULES]
    if path not in cache:
        cache[path] = load_module(path, exercise)
    module, import_warnings = cache[path]
    return Learner(module, path, exercise, import_warnings)


@pytest.fixture(scope="session")
def provision(request: pytest.FixtureRequest) -> weights.Provision:
    return request.config.stash[PROVISION]


@pytest.fixture(scope="session")
def checkpoint(provision: weights.Provision) -> dict:
    """The tensors `resnet18(weights=ResNet18_Weights.DEFAULT)` must carry in this run."""
    return weights.load_checkpoint(provision)


@pytest.fixture
def pretrained(provision: weights.Provision) -> nn.Module:
    """A fresh pretrained resnet18 (train mode, everything trainable), built by the harness."""
    return copy.deepcopy(weights.pretrained_resnet18(provision))
