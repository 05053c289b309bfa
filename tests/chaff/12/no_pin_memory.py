"""Builds the loader without pinned memory, so every copy to the GPU blocks."""

GOTCHA = r"does not pin memory"

import torch
from torch import nn
from torch.utils.data import DataLoader

from solution_copy import solution_with

def make_loader(dataset, batch_size, device, shuffle=False, seed=0):
    generator = torch.Generator().manual_seed(seed) if shuffle else None
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, generator=generator)

_solution = solution_with("12", make_loader=make_loader)


def __getattr__(name):
    return getattr(_solution, name)
