"""Batches the cached features without the batch size: DataLoader's default, one row per step."""

GOTCHA = r"trained the head on batches of 1 row, not 4: the batch_size argument was ignored"

import torch
from torch.utils.data import DataLoader, TensorDataset

from solution_copy import solution_with


def head_batches(features, labels, batch_size, seed):
    return DataLoader(TensorDataset(features, labels), shuffle=True,  # batch_size forgotten
                      generator=torch.Generator().manual_seed(seed))


_solution = solution_with("08", head_batches=head_batches)


def __getattr__(name):
    return getattr(_solution, name)
