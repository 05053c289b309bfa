"""Makes the images channels-last first, then copies both tensors asynchronously by keyword."""

import contextlib

import torch
from torch import nn
from torch.utils.data import DataLoader

from solution_copy import solution_with

def to_device(images, labels, device):
    images = images.contiguous(memory_format=torch.channels_last)
    return images.to(device=device, non_blocking=True), labels.to(device=device, non_blocking=True)

_solution = solution_with("12", to_device=to_device)


def __getattr__(name):
    return getattr(_solution, name)
