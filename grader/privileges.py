"""Inside the child, just before the first line of learner code: become someone who can do little.

Measured on Linux (see grader/SECURITY.md): RLIMIT_NPROC is never enforced for root, so a fork
bomb run as root is only stopped by the wall clock. When the grader runs as root, the child
therefore switches to an unprivileged uid once torch, pytest and the checks are imported, so that
  * RLIMIT_NPROC (processes and threads of that uid) stops fork bombs,
  * the memory and file-size limits can no longer be raised,
  * the learner's code can neither signal the grader nor write its files, caches or results,
  * and (unshare(CLONE_NEWNET), root only) it has no network at all.
Where the interpreter lives in a folder only root may read (a pyenv under /root, say), the child
keeps one capability, CAP_DAC_READ_SEARCH (read any file, write none), so that later imports
still work; `no_new_privs` stops set-uid programs from giving anything back. Run as an ordinary
user, the child stays that user and RLIMIT_NPROC is set relative to what the user already runs.
"""

from __future__ import annotations

import ctypes
import os
import resource
import sysconfig

CLONE_NEWNET = 0x40000000
PR_SET_KEEPCAPS = 8
PR_SET_NO_NEW_PRIVS = 38
PR_SET_PDEATHSIG = 1
SIGKILL = 9
CAP_DAC_READ_SEARCH = 2
_CAPABILITY_V3 = 0x20080522


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _capset(mask: int) -> None:
    header = _CapHeader(_CAPABILITY_V3, 0)
    data = (_CapData * 2)(_CapData(mask, mask, 0), _CapData(0, 0, 0))
    if _libc().capset(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset failed")


def die_with_parent() -> None:
    """The kernel kills this process when its parent (the zygote) dies: nothing outlives a grading."""
    _libc().prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0)


def tasks_of(uid: int) -> int:
    """Processes and threads that `uid` runs now: what RLIMIT_NPROC counts."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/status", encoding="ascii", errors="replace") as f:
                fields = dict(line.split(":", 1) for line in f if ":" in line)
            if int(fields["Uid"].split()[0]) == uid:
                total += int(fields["Threads"])
        except (OSError, KeyError, ValueError):
            continue
    return total


def limit_tasks(uid: int, allowance: int) -> int:
    limit = tasks_of(uid) + allowance
    resource.setrlimit(resource.RLIMIT_NPROC, (limit, limit))
    return limit


def drop(uid: int | None, allowance: int) -> str:
    """Switch to `uid` (when root) and cap its tasks; returns a line describing the sandbox."""
    if os.geteuid() != 0:
        limit = limit_tasks(os.getuid(), allowance)
        return f"same user (uid {os.getuid()}), at most {limit} processes and threads for that user"
    if uid is None:
        return "root, no process cap (RLIMIT_NPROC does not apply to root): wall clock only"
    libc = _libc()
    # A network namespace of its own, with nothing in it: no downloads, no exfiltration.
    offline = libc.unshare(CLONE_NEWNET) == 0
    try:
        if libc.prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_KEEPCAPS) failed")
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)
    except OSError as exc:
        return f"root, could not switch to uid {uid} ({exc}): wall clock only"
    keep = 0
    try:
        os.listdir(sysconfig.get_paths()["stdlib"])
    except OSError:
        keep = 1 << CAP_DAC_READ_SEARCH
    _capset(keep)
    libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    limit = limit_tasks(uid, allowance)
    kept = " keeping only CAP_DAC_READ_SEARCH (python is in a root-only folder)" if keep else ""
    network = "no network" if offline else "network reachable"
    return f"uid {uid}{kept}, at most {limit} processes and threads, {network}"
