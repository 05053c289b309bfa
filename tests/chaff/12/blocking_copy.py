"""Moves the batch in channels-last layout, but with blocking copies."""

GOTCHA = r"copied 2 tensors .* with non_blocking=False"

import torch
from torch import nn
from torch.utils.data import DataLoader

from solution_copy import solution_with

def to_device(images, labels, device):
    return images.to(device, memory_format=torch.channels_last), labels.to(device)

_solution = solution_with("12", to_device=to_device)


def __getattr__(name):
    return getattr(_solution, name)
