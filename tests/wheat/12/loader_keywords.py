"""Builds the loader from a dict of keywords, pinning by the device's type."""

import contextlib

import torch
from torch import nn
from torch.utils.data import DataLoader

from solution_copy import solution_with

def make_loader(dataset, batch_size, device, shuffle=False, seed=0):
    options = {"batch_size": batch_size, "pin_memory": torch.device(device).type == "cuda", "num_workers": 0}
    if shuffle:
        options.update(shuffle=True, generator=torch.Generator().manual_seed(seed))
    return DataLoader(dataset, **options)

_solution = solution_with("12", make_loader=make_loader)


def __getattr__(name):
    return getattr(_solution, name)
