"""Self-test settings for every test folder.

Under `pytest -n N` the workers share the cores: each gets cores // N torch threads, and so does
every process it starts (the grader, `kata progress`), through OMP_NUM_THREADS. Left at torch's
default, N workers run N x cores OpenMP threads, which spin while they wait for a core and made
the suite about 3x slower on 2 cores.
"""

from __future__ import annotations

import os

import torch


def pytest_configure() -> None:
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    if workers > 1:
        threads = max(1, (os.cpu_count() or 1) // workers)
        os.environ["OMP_NUM_THREADS"] = os.environ["MKL_NUM_THREADS"] = str(threads)
        torch.set_num_threads(threads)
