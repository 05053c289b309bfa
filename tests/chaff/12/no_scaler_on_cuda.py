"""Never enables the scaler: float16 gradients on CUDA underflow to zero."""

GOTCHA = r"make_scaler\(torch.device\('cuda'\)\) returned a disabled GradScaler"

import torch
from torch import nn
from torch.utils.data import DataLoader

from solution_copy import solution_with

def make_scaler(device):
    return torch.amp.GradScaler(device.type, enabled=False)

_solution = solution_with("12", make_scaler=make_scaler)


def __getattr__(name):
    return getattr(_solution, name)
