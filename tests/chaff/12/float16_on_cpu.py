"""Autocasts to float16 on every device, the CPU included."""

GOTCHA = r"amp_dtype\(torch.device\('cpu'\)\) returned torch.float16; it should be torch.bfloat16"

import torch
from torch import nn
from torch.utils.data import DataLoader

from solution_copy import solution_with

def amp_dtype(device):
    return torch.float16

_solution = solution_with("12", amp_dtype=amp_dtype)


def __getattr__(name):
    return getattr(_solution, name)
