"""Start the child process that runs checks, inside limits, and make sure nothing of it survives.

Limits set before the child starts (and, once it has dropped root, beyond its reach to raise):
RLIMIT_DATA caps memory (RLIMIT_AS would count the gigabytes of address space torch's CUDA build
maps without using), RLIMIT_FSIZE caps any file it writes, RLIMIT_CORE forbids core dumps. The
child gets its own session, so one `killpg` reaches everything it started in that session; the
grader is a child subreaper (Linux), so what escapes into a new session is re-parented to the
grader and killed by `reap_descendants`. The interpreter runs isolated (`-I`: no current folder,
no PYTHON* variables, no user site) with only the grader's own code put in front of sys.path.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

CODE_ROOT = str(Path(__file__).resolve().parent.parent)  # holds kata/ and grader/
BOOT = (
    "import sys; sys.path[:0] = [{root!r}]; import pytest; sys.exit(pytest.main(sys.argv[1:]))"
)
PR_SET_CHILD_SUBREAPER = 36
_SUBREAPER = False  # set by become_subreaper(): only a process that grades and nothing else sweeps


@dataclass(frozen=True)
class Limits:
    """What one submission may use. `time_limits` overrides exercises' own: {"01": 3} or {"*": 3} (tests)."""

    memory_mb: int = 4096
    file_mb: int = 256
    tasks: int = 64  # processes and threads beyond those already running
    time_limits: tuple[tuple[str, float], ...] = ()
    startup_s: float = 180.0  # python + torch import + collection, before the first check
    grace_s: float = 5.0  # beyond an exercise's budget before the process group is killed
    threads: int | None = None  # torch/OpenMP threads (batch jobs share the cores)
    uid: int | None = 65534  # unprivileged uid the child becomes when the grader is root

    def budget(self, number: str, own: float) -> float:
        overrides = dict(self.time_limits)
        return float(overrides.get(number, overrides.get("*", own)))

    def describe(self) -> str:
        return f"memory {self.memory_mb} MB, files {self.file_mb} MB, +{self.tasks} tasks"


def python_command(*args: str) -> list[str]:
    return [sys.executable, "-I", "-B", "-c", BOOT.format(root=CODE_ROOT), *args]


def base_env(home: Path, tmp: Path, threads: int | None) -> dict[str, str]:
    """A clean environment: nothing of the grader's (tokens, CI files, GITHUB_*) leaks in."""
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "TMPDIR": str(tmp),
        "USER": "kata",
        "LOGNAME": "kata",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
        "CUDA_VISIBLE_DEVICES": "",
        "MPLBACKEND": "Agg",
        "NO_COLOR": "1",
    }
    if threads:
        env.update(OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    return env


def become_subreaper() -> bool:
    """Orphans of the child (double forks, setsid) get re-parented here instead of to init.

    Call it only in a process that exists to grade (the CLI does): from then on every process
    below this one is a sandbox leftover, and `reap_descendants` kills them all.
    """
    global _SUBREAPER
    if sys.platform.startswith("linux"):
        try:
            _SUBREAPER = ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
        except (OSError, AttributeError):
            _SUBREAPER = False
    return _SUBREAPER


def _set_limits(limits: Limits) -> None:
    """Runs in the forked child before exec."""
    mb = 1024 * 1024
    for which, value in ((resource.RLIMIT_DATA, limits.memory_mb * mb),
                         (resource.RLIMIT_FSIZE, limits.file_mb * mb),
                         (resource.RLIMIT_CORE, 0)):
        resource.setrlimit(which, (value, value))


class Child:
    """One sandboxed pytest process: its stream file, its log, its process group."""

    def __init__(self, args: list[str], cwd: Path, env: dict[str, str], run_dir: Path, limits: Limits) -> None:
        self.stream_path = run_dir / "stream.jsonl"
        self.log_path = run_dir / "log.txt"
        stream_fd = os.open(self.stream_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_TRUNC, 0o600)
        log_fd = os.open(self.log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            self.proc = subprocess.Popen(
                python_command(*args), cwd=cwd, env={**env, "KATA_GRADER_STREAM_FD": str(stream_fd)},
                stdin=subprocess.DEVNULL, stdout=log_fd, stderr=subprocess.STDOUT, pass_fds=(stream_fd,),
                start_new_session=True, preexec_fn=lambda: _set_limits(limits),
            )
        finally:
            os.close(stream_fd)
            os.close(log_fd)
        self.killed = False

    def kill(self) -> None:
        """SIGKILL the whole session's process group, wait for the child, then sweep orphans."""
        if self.proc.poll() is None:
            self.killed = True
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        reap_descendants()

    def log_tail(self, chars: int = 3000) -> str:
        try:
            data = self.log_path.read_bytes()
        except OSError:
            return ""
        return data[-chars:].decode("utf-8", "replace")


def _parents() -> dict[int, int]:
    found = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as f:
                    stat = f.read()
                found[int(entry.name)] = int(stat[stat.rindex(b")") + 2:].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    return found


def reap_descendants(rounds: int = 50) -> int:
    """SIGKILL every process below this one (re-parented orphans included) until none is left."""
    if not _SUBREAPER:
        return 0
    me, killed = os.getpid(), 0
    for _ in range(rounds):
        parents = _parents()
        below, frontier = set(), {me}
        while frontier:
            frontier = {pid for pid, ppid in parents.items() if ppid in frontier and pid not in below}
            below |= frontier
        for pid in below:
            try:
                os.kill(pid, signal.SIGKILL)
                killed += 1
            except (ProcessLookupError, PermissionError):
                pass
        while True:  # collect the zombies
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
        if not below:
            return killed
        time.sleep(0.02)
    return killed
