"""Asks for Apple's MPS before CUDA, so a machine with both trains on the slower one."""

GOTCHA = r"chose 'mps'; it should choose 'cuda'"

import torch

from solution_copy import solution_with


def pick_device(device=None):
    if device is not None:
        return torch.device(device)
    if torch.backends.mps.is_available():
        return torch.device("mps")
    if torch.cuda.is_available():
        return torch.device("cuda")
    return torch.device("cpu")


_solution = solution_with("08", pick_device=pick_device)


def __getattr__(name):
    return getattr(_solution, name)
