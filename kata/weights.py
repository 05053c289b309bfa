"""resnet18's ImageNet checkpoint, offline, without ever writing to the user's real torch cache.

torchvision loads `$TORCH_HOME/hub/checkpoints/<file>` with no network and no hash check when that
file exists. So: if the user's cache holds the real checkpoint (its sha256 matches the prefix in
its file name) we use it; otherwise we point TORCH_HOME at a private folder the kata owns and put
a deterministic stand-in there (a seeded random resnet18), so an unchanged
`resnet18(weights=ResNet18_Weights.DEFAULT)` still loads.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn
from torchvision.models import ResNet18_Weights, resnet18

from kata.files import sha256_of, write_atomically

WEIGHTS = ResNet18_Weights.DEFAULT
STAND_IN_SEED = 0
STAND_IN_VERSION = "2: seed 0, output channels reversed"  # a change here rebuilds every stand-in
STAND_IN_MARKER = "stand-in-version.txt"
FETCH_COMMAND = "kata fetch-weights"  # kata.tools.fetch: the user's torch cache, as torchvision would


@dataclass(frozen=True)
class Provision:
    """Which checkpoint `resnet18(weights=DEFAULT)` will load in this process, and why."""

    is_imagenet: bool
    checkpoint: Path
    reason: str

    def describe(self) -> list[str]:
        """Lines for the pytest header and the environment check."""
        if self.is_imagenet:
            return [f"ImageNet checkpoint, sha256 verified ({self.checkpoint})"]
        return [
            f"offline stand-in, a seeded random resnet18 ({self.reason})",
            "  checks that need real ImageNet behaviour are skipped; to fetch the real weights once, online:",
            f"  {FETCH_COMMAND}",
        ]


def checkpoint_name() -> str:
    """The cache file name torchvision uses, read off the weights' URL (it has changed before)."""
    return os.path.basename(WEIGHTS.url)


def user_torch_home() -> Path:
    """The torch cache the user's own programs use (same rule as torch.hub)."""
    default = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "torch"
    return Path(os.environ.get("TORCH_HOME", default)).expanduser()


def checkpoint_path(torch_home: Path) -> Path:
    return torch_home / "hub" / "checkpoints" / checkpoint_name()


def hash_prefix(name: str) -> str | None:
    """The sha256 prefix torch.hub reads off a checkpoint's file name (`resnet18-f37072fd.pth`)."""
    match = re.search(r"-([0-9a-f]{6,})\.", name)
    return match.group(1) if match else None


def is_verified(path: Path) -> bool:
    """True when `path` hashes to the sha256 prefix torchvision puts in the file name."""
    prefix = hash_prefix(path.name)
    if not prefix or not path.is_file():
        return False
    return sha256_of(path).startswith(prefix)


def _version(path: Path) -> tuple[Path, int, int, int]:
    """A checkpoint file and what changes when it is replaced (an atomic write gives a new inode):
    the key of this module's once-per-process caches."""
    stat = path.stat()
    return path, stat.st_ino, stat.st_mtime_ns, stat.st_size


def stand_in_state_dict() -> dict[str, torch.Tensor]:
    """A deterministic random resnet18, built without disturbing the caller's RNG.

    Every weight's output channels come in reverse order, so no plain `torch.manual_seed(n);
    resnet18()` rebuilds it: a check can tell a model that loaded the weights from one that was
    built without them, whatever the learner seeded. The network is still an ordinary random init.
    """
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(STAND_IN_SEED)
        state = resnet18().state_dict()
    return {name: t.flip(0) if name.endswith(".weight") and t.dim() > 1 else t for name, t in state.items()}


def _stand_in_is_current(checkpoint: Path) -> bool:
    marker = checkpoint.with_name(STAND_IN_MARKER)
    return checkpoint.is_file() and marker.is_file() and marker.read_text() == STAND_IN_VERSION


def choose(private_home: Path) -> Provision:
    """Which checkpoint `provision` would use, decided without writing a file or setting TORCH_HOME."""
    real = checkpoint_path(user_torch_home())
    stand_in = checkpoint_path(private_home / "torch")
    if real != stand_in and is_verified(real):
        return Provision(True, real, "verified")
    if real == stand_in or not real.exists():
        reason = "no verified ImageNet checkpoint in your torch cache"
    else:
        reason = f"{real} does not match the sha256 prefix in its name"
    return Provision(False, stand_in, reason)


def provision(private_home: Path) -> Provision:
    """Decide which checkpoint this process uses and make `resnet18(weights=DEFAULT)` load it.

    Sets TORCH_HOME (for this process and its children) only when falling back to the stand-in.
    """
    chosen = choose(private_home)
    if not chosen.is_imagenet:
        if not _stand_in_is_current(chosen.checkpoint):  # parallel graders may race: write aside, rename
            write_atomically(chosen.checkpoint, b"", save=lambda tmp: torch.save(stand_in_state_dict(), tmp))
            write_atomically(chosen.checkpoint.with_name(STAND_IN_MARKER), STAND_IN_VERSION)
        os.environ["TORCH_HOME"] = str(private_home / "torch")
    return chosen


def load_checkpoint(provision: Provision) -> dict[str, torch.Tensor]:
    """The exact tensors `resnet18(weights=DEFAULT)` should carry in this process (read only).

    Read once per version of the file and process: later pytest runs in the process (the
    self-tests run hundreds) find them loaded.
    """
    return dict(_loaded(*_version(provision.checkpoint)))


@functools.cache
def _loaded(path: Path, *version: int) -> dict[str, torch.Tensor]:
    return torch.load(path, map_location="cpu", weights_only=True)


def pretrained_resnet18(provision: Provision) -> nn.Module:
    """resnet18 carrying the checkpoint, built once per version of the file: never hand it out, copy it."""
    return _built(*_version(provision.checkpoint))


@functools.cache
def _built(path: Path, *version: int) -> nn.Module:
    model = resnet18()
    model.load_state_dict(_loaded(path, *version))
    return model
