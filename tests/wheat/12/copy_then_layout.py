"""Copies asynchronously first, then converts the layout on the device."""

import contextlib

import torch
from torch import nn
from torch.utils.data import DataLoader

from solution_copy import solution_with

def to_device(images, labels, device):
    images = images.to(device, non_blocking=True).to(memory_format=torch.channels_last)
    labels = labels.to(device, non_blocking=True)
    return images, labels

_solution = solution_with("12", to_device=to_device)


def __getattr__(name):
    return getattr(_solution, name)
