"""The trusted zygote: imports torch, torchvision, pytest and the kata and builds the pretrained
resnet18 once, then forks one process per exercise, one after another, inside the sandbox the
grader started it in.

No learner code ever runs in the zygote itself. Each forked exercise process gets its own session
and its own channel to the grader (the others' descriptors are closed before anything else), its
own HOME and TMPDIR, and dies with the zygote; it runs pytest on that exercise's checks alone
with `grader.child.Reporter`, which drops privileges and installs the audit hooks once the checks
are collected. So process-wide state (a global torch setting, a thread, a leftover process) and a
timeout stay with the exercise that caused them: after each exercise the zygote, a subreaper,
kills everything that exercise left behind before forking the next.

The grader talks to the zygote over two pipes: the zygote's own channel (ready, spawned, ended)
and a control pipe: a byte on it kills the running exercise (its time ran out); its end (the
grader died) kills everything.
"""

from __future__ import annotations

import gc
import json
import os
import select
import signal
import sys
import traceback
from pathlib import Path

PLAN_ENV = "KATA_GRADER_PLAN"
READY, SPAWNED, ENDED, DONE = "ready", "spawned", "ended", "done"
PR_SET_PDEATHSIG = 1


def _warm_up() -> int:
    """Everything the checks import, imported once here instead of once per exercise, and the
    pretrained resnet18 the checks compare against, read and built once (`kata.weights` caches it
    per file version, so an exercise process whose plugin provisions another file builds its own).

    The model is built with torch limited to one thread, so no OpenMP thread pool exists at the fork:
    a pool does not survive one, and the exercise processes would hang at their first parallel
    operation. Returns the thread count each exercise process gets back.
    """
    import pytest  # noqa: F401
    import torch
    import torchvision  # noqa: F401
    import _hypothesis_pytestplugin  # noqa: F401
    import pytest_timeout  # noqa: F401
    import kata.checks  # noqa: F401
    import kata.learner  # noqa: F401
    import kata.plugin  # noqa: F401
    import kata.training  # noqa: F401
    from kata import weights
    from grader import tamper
    tamper.preload()
    threads = torch.get_num_threads()  # OMP_NUM_THREADS, read without starting a pool
    torch.set_num_threads(1)  # parallel_for runs inline: no pool starts
    try:
        weights.pretrained_resnet18(weights.choose(Path(os.environ["KATA_HOME"])))
    except Exception:  # noqa: BLE001 - only a head start: each exercise's checks load it and report what fails
        pass
    gc.freeze()  # what torch's import made stays shared with the forks instead of being copied by their gc
    return threads


def _exercise(task: dict, plan: dict, threads: int) -> None:
    """In the forked process: never returns."""
    code = 70
    try:
        os.setsid()
        from grader import privileges
        privileges.die_with_parent()
        for fd in [plan["fd"], plan["control"], *(t["fd"] for t in plan["exercises"] if t is not task)]:
            try:
                os.close(fd)
            except OSError:
                pass  # an earlier exercise's: the zygote closed it already
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.environ.update(HOME=task["home"], TMPDIR=task["tmp"])
        import torch
        torch.set_num_threads(threads)
        from grader import channel, child
        send = channel.sender(task["fd"])
        reporter = child.Reporter(send, task["budget"], plan["uid"], plan["tasks"], plan["trusted"],
                                  plan["allowed"], plan["denied"])
        import pytest
        code = int(pytest.main(task["args"], plugins=[reporter]))
    except BaseException:  # noqa: BLE001 - the grader sees an exercise that ended without results
        traceback.print_exc()  # into the log the grader keeps
    finally:
        sys.stdout.flush()
        os._exit(code)


def _wait(pid: int, control: int) -> tuple[int, bool]:
    """Wait for the exercise process; a byte on the control pipe kills it. (status, killed)"""
    killed = False
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status, killed
        ready, _, _ = select.select([control], [], [], 0.05)
        if ready:
            data = os.read(control, 64)
            if not killed:
                try:
                    os.killpg(pid, signal.SIGKILL)
                except ProcessLookupError:  # not yet its own session
                    os.kill(pid, signal.SIGKILL)
                killed = True
            if not data:  # the grader is gone: so is everything here
                os._exit(0)


def main() -> None:
    plan = json.loads(os.environ.pop(PLAN_ENV))
    from grader import channel, sandbox
    send = channel.sender(plan["fd"])
    try:
        threads = _warm_up()
    except Exception as exc:  # noqa: BLE001 - the grader cannot grade without its imports
        send(channel.FATAL, message=f"the grader's zygote could not import the checks' libraries: "
                                    f"{type(exc).__name__}: {exc}")
        return
    sandbox.become_subreaper()
    send(READY)
    for task in plan["exercises"]:
        pid = os.fork()
        if pid == 0:
            _exercise(task, plan, threads)
        os.close(task["fd"])
        send(SPAWNED, number=task["number"])
        status, killed = _wait(pid, plan["control"])
        sandbox.reap_descendants()  # threads died with the process; processes it left die now
        code = os.waitstatus_to_exitcode(status)
        send(ENDED, number=task["number"], returncode=code, killed=killed)
    send(DONE)
