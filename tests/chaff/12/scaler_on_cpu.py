"""Enables the scaler whenever the machine has CUDA, whatever device it trains on."""

GOTCHA = r"make_scaler\(torch.device\('cpu'\)\) returned an enabled GradScaler"

import torch
from torch import nn
from torch.utils.data import DataLoader

from solution_copy import solution_with

def make_scaler(device):
    return torch.amp.GradScaler("cuda", enabled=torch.cuda.is_available())

_solution = solution_with("12", make_scaler=make_scaler)


def __getattr__(name):
    return getattr(_solution, name)
