"""Shuffles the cached features with Python's `random`, which torch.manual_seed does not seed."""

GOTCHA = r"Two runs with seed=0 on the CPU differ.*Python's random"

import random

import torch
from torch.utils.data import DataLoader, TensorDataset

from solution_copy import solution_with


def head_batches(features, labels, batch_size, seed):
    order = torch.tensor(random.sample(range(len(labels)), len(labels)))  # a random order, from Python's generator
    return DataLoader(TensorDataset(features[order], labels[order]), batch_size=batch_size)


_solution = solution_with("08", head_batches=head_batches)


def __getattr__(name):
    return getattr(_solution, name)
