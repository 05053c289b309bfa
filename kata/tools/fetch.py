"""`kata fetch-weights`: download resnet18's real ImageNet checkpoint once, the way torchvision does.

torchvision's `resnet18(weights=ResNet18_Weights.DEFAULT)` downloads `WEIGHTS.url` with
`torch.hub.download_url_to_file` into `$TORCH_HOME/hub/checkpoints/` (default `~/.cache/torch`).
This does the same, with the same function, so your own programs find the file too, and it also
checks the sha256 prefix in the file's name (torchvision does not by default) before the file
takes its place. The checks never download anything: they look for this file and use it once it
is there and verified.
"""

from __future__ import annotations

import os
import time
import urllib.error
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Callable
from urllib.parse import urlparse

from kata.tools.checkout import KataError


@dataclass(frozen=True)
class Fetched:
    path: Path
    size: int  # bytes
    seconds: float
    already_there: bool  # a verified copy was in the cache: nothing downloaded


def fetch(url: str, torch_home: Path, *, progress: bool = True) -> Fetched:
    """Put the checkpoint at `url` into `torch_home/hub/checkpoints/`, verified, unless it is there."""
    import torch.hub

    from kata import weights

    target = torch_home / "hub" / "checkpoints" / os.path.basename(urlparse(url).path)
    prefix = weights.hash_prefix(target.name)
    if not prefix:
        raise KataError(f"{url} does not end in a checkpoint name with a sha256 prefix "
                        "(like resnet18-f37072fd.pth), so the download could not be verified.")
    if weights.is_verified(target):
        return Fetched(target, target.stat().st_size, 0.0, True)
    target.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    try:
        torch.hub.download_url_to_file(url, str(target), hash_prefix=prefix, progress=progress)
    except RuntimeError as problem:  # torch.hub's "invalid hash value"; the partial file is gone
        raise KataError(f"The file downloaded from {url} does not match the sha256 prefix {prefix} in "
                        f"its name ({problem}); nothing was saved. Try again later, or from another "
                        "network.") from None
    except (urllib.error.URLError, OSError) as problem:
        reason = getattr(problem, "reason", problem)
        raise KataError(f"Could not download {url}: {reason}. Are you online? Until the weights are "
                        "fetched, the checks keep using the offline stand-in.") from None
    return Fetched(target, target.stat().st_size, time.perf_counter() - started, False)


def fetch_for_user(private_home: Path, url: str | None = None, say: Callable[[str], None] = print) -> Fetched:
    """`kata fetch-weights`: torchvision's checkpoint (or `url`) into the user's own torch cache."""
    from kata import weights

    home = weights.user_torch_home()
    if home.resolve() == (private_home / "torch").resolve():
        raise KataError(f"TORCH_HOME points at the kata's own stand-in folder ({home}). Unset it, or "
                        "point it at your own torch cache, then run kata fetch-weights again.")
    url = url or weights.WEIGHTS.url
    say(f"Fetching resnet18's ImageNet weights from {url}\ninto {home / 'hub' / 'checkpoints'} ...")
    return fetch(url, home)


def describe(fetched: Fetched) -> list[str]:
    size = f"{fetched.size / 1e6:.1f} MB"
    if fetched.already_there:
        return [f"Already there and verified ({size}): {fetched.path}",
                "Nothing downloaded. The checks use these real ImageNet weights."]
    return [f"Saved {size} in {fetched.seconds:.1f} s, sha256 verified: {fetched.path}",
            "The checks use these real ImageNet weights from now on (kata doctor shows it), and so "
            "does resnet18(weights=ResNet18_Weights.DEFAULT) in your own programs."]
