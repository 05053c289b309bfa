"""Copies the batch asynchronously, but keeps the images in the standard layout."""

GOTCHA = r"images are not in channels-last layout"

import torch
from torch import nn
from torch.utils.data import DataLoader

from solution_copy import solution_with

def to_device(images, labels, device):
    return images.to(device, non_blocking=True), labels.to(device, non_blocking=True)

_solution = solution_with("12", to_device=to_device)


def __getattr__(name):
    return getattr(_solution, name)
