"""Stays silent while training and prints the whole history once at the end."""

GOTCHA = r"printed 1 line naming an epoch"

import contextlib
import io

from solution_copy import solution_with

_reference = solution_with("08")


def fit(module, optimizer, train_batches, val_batches, epochs, device):
    with contextlib.redirect_stdout(io.StringIO()):  # no output while it trains...
        history = _reference.fit(module, optimizer, train_batches, val_batches, epochs, device)
    print(history)  # ...then everything at once
    return history


_solution = solution_with("08", fit=fit)


def __getattr__(name):
    return getattr(_solution, name)
