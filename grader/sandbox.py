"""Start a sandboxed process, inside limits, and make sure nothing of it survives.

Two isolation levels, chosen per run and named in every result:
  * bubblewrap (`bwrap`, Debian's `bubblewrap`): new mount, PID, network, IPC and UTS namespaces
    (and a user namespace when the grader is not root). The process sees the Python installation,
    the kata runtime and the grader's code read-only, the workspace read-only except its HOME and
    TMPDIR folders, and nothing else of the host: no solutions/, no other workspace, no home, no
    network. When bwrap is gone or cannot create namespaces here, the grader falls back to
  * process isolation: limits, its own session, a dropped uid (when root) and an empty network
    namespace (grader/privileges.py), the audit hooks; the host's files stay visible to read.
Limits set before the process starts (and, once it has dropped root, beyond its reach to raise):
RLIMIT_DATA caps memory (RLIMIT_AS would count the gigabytes of address space torch's CUDA build
maps without using), RLIMIT_FSIZE caps any file it writes, RLIMIT_CORE forbids core dumps. The
process gets its own session, so one `killpg` reaches everything it started in that session; the
grader is a child subreaper (Linux), so what escapes into a new session is re-parented to the
grader and killed by `reap_descendants`. The interpreter runs isolated (`-I`: no current folder,
no PYTHON* variables, no user site) with only the grader's own code put in front of sys.path.
"""

from __future__ import annotations

import ctypes
import functools
import os
import resource
import shutil
import signal
import site
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from grader import privileges

CODE_ROOT = str(Path(__file__).resolve().parent.parent)  # holds kata/ and grader/
PYTEST_BOOT = "import pytest; sys.exit(pytest.main(sys.argv[1:]))"
ZYGOTE_BOOT = "from grader.zygote import main; main()"
BUBBLEWRAP, PROCESS = "bubblewrap", "process"
ISOLATIONS = ("auto", BUBBLEWRAP, PROCESS)
# Namespaces bwrap creates; a user namespace too when not root (as root the process drops to a
# real unprivileged uid instead, which a user namespace would not allow).
NAMESPACES = ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]
PR_SET_CHILD_SUBREAPER = 36
_SUBREAPER = False  # set by become_subreaper(): only a process that grades and nothing else sweeps


def thread_budget() -> int | None:
    """The torch/OpenMP threads the grader itself was given (OMP_NUM_THREADS), or None: all cores.

    Children get no more than this, so a grader run beside other work (pytest -n, a shared
    runner) does not oversubscribe the cores: OpenMP threads spin while they wait for a core.
    """
    value = os.environ.get("OMP_NUM_THREADS", "")
    return int(value) if value.isdigit() and int(value) > 0 else None


@dataclass(frozen=True)
class Limits:
    """What one submission may use. `time_limits` overrides exercises' own: {"01": 3} or {"*": 3} (tests)."""

    memory_mb: int = 4096
    file_mb: int = 256
    tasks: int = 64  # processes and threads beyond those already running
    time_limits: tuple[tuple[str, float], ...] = ()
    startup_s: float = 180.0  # python + torch import + collection, before the first check
    grace_s: float = 5.0  # beyond an exercise's budget before the process group is killed
    threads: int | None = field(default_factory=thread_budget)  # torch/OpenMP threads (batch jobs share the cores)
    uid: int | None = 65534  # unprivileged uid the child becomes when the grader is root
    isolation: str = "auto"  # bubblewrap where it works, else process; or one of them by name

    def budget(self, number: str, own: float) -> float:
        overrides = dict(self.time_limits)
        return float(overrides.get(number, overrides.get("*", own)))

    def describe(self) -> str:
        return f"memory {self.memory_mb} MB, files {self.file_mb} MB, +{self.tasks} tasks"


def python_command(boot: str, *args: str) -> list[str]:
    return [sys.executable, "-I", "-B", "-c", f"import sys; sys.path[:0] = [{CODE_ROOT!r}]; {boot}", *args]


def _namespaces() -> list[str]:
    return NAMESPACES + ([] if os.geteuid() == 0 else ["--unshare-user"])


@functools.cache
def bubblewrap_problem() -> str:
    """Why bubblewrap cannot be used here ("" when it can): not installed, or no namespaces."""
    if not sys.platform.startswith("linux"):
        return "not Linux"
    if shutil.which("bwrap") is None:
        return "bwrap is not installed (Debian/Ubuntu: apt-get install bubblewrap)"
    try:
        done = subprocess.run(["bwrap", *_namespaces(), "--ro-bind", "/", "/", "--proc", "/proc", "true"],
                              capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bwrap failed to start: {exc}"
    return "" if done.returncode == 0 else f"bwrap cannot create namespaces here: {done.stderr.strip()[-300:]}"


def choose_isolation(wanted: str) -> tuple[str, str]:
    """(the isolation to use, a line saying which and why) for `--isolation auto|bubblewrap|process`."""
    problem = bubblewrap_problem() if wanted != PROCESS else "process isolation was asked for"
    if not problem:
        return BUBBLEWRAP, "isolation: bubblewrap (mount, PID and network namespaces, only the workspace visible)"
    if wanted == BUBBLEWRAP:
        raise OSError(f"--isolation bubblewrap: {problem}")
    return PROCESS, f"isolation: process only ({problem}); other files on this machine stay readable"


def python_paths() -> list[str]:
    """What the interpreter needs to run: its installation and its packages, wherever they live."""
    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, *site.getsitepackages(),
             os.path.dirname(os.path.realpath(sys.executable))}
    return sorted({os.path.realpath(p) for p in paths if os.path.isdir(p)} | {p for p in paths if os.path.isdir(p)})


def bubblewrap(command: list[str], workspace: Path, readable: Iterable[str], writable: Iterable[Path],
               hidden: Iterable[str] = ()) -> list[str]:
    """`command` inside bwrap: the system's /usr, `readable` and `workspace` read-only, `writable`
    writable, `hidden` (folders inside the readable ones) replaced by empty ones."""
    args = ["bwrap", *_namespaces(), "--die-with-parent", "--new-session", "--proc", "/proc", "--dev", "/dev",
            "--tmpfs", "/tmp", "--tmpfs", "/dev/shm", "--ro-bind", "/usr", "/usr"]
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    for path in ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/localtime"):
        args += ["--ro-bind-try", path, path]
    for path in sorted(set(readable)):
        args += ["--ro-bind-try", path, path]
    for path in hidden:
        args += ["--tmpfs", path]
    args += ["--ro-bind", str(workspace), str(workspace)]
    for path in writable:
        args += ["--bind", str(path), str(path)]
    return args + ["--chdir", str(workspace), *command]


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
    """Runs in the forked child before exec: limits, and death with the grader (PR_SET_PDEATHSIG)."""
    privileges.die_with_parent()
    mb = 1024 * 1024
    for which, value in ((resource.RLIMIT_DATA, limits.memory_mb * mb),
                         (resource.RLIMIT_FSIZE, limits.file_mb * mb),
                         (resource.RLIMIT_CORE, 0)):
        resource.setrlimit(which, (value, value))


class Process:
    """One sandboxed process: its log, its process group. `pass_fds` are its channel's ends."""

    def __init__(self, command: list[str], cwd: Path, env: dict[str, str], log_path: Path, limits: Limits,
                 pass_fds: Iterable[int] = ()) -> None:
        self.log_path = log_path
        log_fd = os.open(self.log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            self.proc = subprocess.Popen(
                command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=log_fd, stderr=subprocess.STDOUT,
                pass_fds=tuple(pass_fds), start_new_session=True, preexec_fn=lambda: _set_limits(limits),
            )
        finally:
            os.close(log_fd)

    def wait(self, seconds: float) -> None:
        try:
            self.proc.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            pass

    def kill(self) -> None:
        """SIGKILL the whole session's process group, wait for it, then sweep orphans."""
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


def descendants(pid: int) -> set[int]:
    """Every process below `pid` now."""
    parents, below, frontier = _parents(), set(), {pid}
    while frontier:
        frontier = {p for p, ppid in parents.items() if ppid in frontier and p not in below}
        below |= frontier
    return below


def kill_tree(pid: int) -> None:
    """SIGKILL `pid`'s process group and every process below it (their orphans reach the subreaper)."""
    for target in [pid, *descendants(pid)]:
        try:
            os.kill(target, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def reap_descendants(rounds: int = 50) -> int:
    """SIGKILL every process below this one (re-parented orphans included) until none is left."""
    if not _SUBREAPER:
        return 0
    killed = 0
    for _ in range(rounds):
        below = descendants(os.getpid())
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
