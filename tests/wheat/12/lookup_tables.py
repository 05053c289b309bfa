"""Looks the dtype and the scaler's switch up in tables keyed by device type."""

import contextlib

import torch
from torch import nn
from torch.utils.data import DataLoader

from solution_copy import solution_with

DTYPES = {"cuda": torch.float16}
SCALED = {"cuda"}


def amp_dtype(device):
    return DTYPES.get(device.type, torch.bfloat16)


def make_scaler(device):
    return torch.amp.GradScaler(device.type, enabled=device.type in SCALED)

_solution = solution_with("12", amp_dtype=amp_dtype, make_scaler=make_scaler)


def __getattr__(name):
    return getattr(_solution, name)
