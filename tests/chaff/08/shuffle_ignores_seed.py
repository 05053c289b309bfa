"""Shuffles the cached features with a generator seeded by a fixed number, not by `seed`."""

GOTCHA = r"With seed=1 the head met the same training batches in the same order as with seed=0"

import torch
from torch.utils.data import DataLoader, TensorDataset

from solution_copy import solution_with


def head_batches(features, labels, batch_size, seed):
    return DataLoader(TensorDataset(features, labels), batch_size=batch_size, shuffle=True,
                      generator=torch.Generator().manual_seed(0))


_solution = solution_with("08", head_batches=head_batches)


def __getattr__(name):
    return getattr(_solution, name)
