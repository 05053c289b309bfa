"""Shuffles with a fresh torch.Generator() and never seeds it: it always starts from torch's default seed."""

GOTCHA = r"the shuffling ignores the seed \(an unseeded torch.Generator\(\)"

import torch
from torch.utils.data import DataLoader, TensorDataset

from solution_copy import solution_with


def head_batches(features, labels, batch_size, seed):
    return DataLoader(TensorDataset(features, labels), batch_size=batch_size, shuffle=True,
                      generator=torch.Generator())


_solution = solution_with("08", head_batches=head_batches)


def __getattr__(name):
    return getattr(_solution, name)
