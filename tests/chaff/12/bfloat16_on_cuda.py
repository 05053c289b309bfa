"""Autocasts to bfloat16 everywhere, CUDA included."""

GOTCHA = r"amp_dtype\(torch.device\('cuda'\)\) returned torch.bfloat16; it should be torch.float16"

import torch
from torch import nn
from torch.utils.data import DataLoader

from solution_copy import solution_with

def amp_dtype(device):
    return torch.bfloat16

_solution = solution_with("12", amp_dtype=amp_dtype)


def __getattr__(name):
    return getattr(_solution, name)
