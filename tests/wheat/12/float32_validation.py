"""Validates in float32 (no autocast): slower on a GPU, just as correct."""

import contextlib

import torch
from torch import nn
from torch.utils.data import DataLoader

from solution_copy import solution_with

def evaluate(model, loader, device, amp=True):
    model.eval()
    right = total = 0
    with torch.inference_mode():
        for images, labels in loader:
            images, labels = _solution.to_device(images, labels, device)
            right += int((model(images).argmax(1) == labels).sum())
            total += labels.numel()
    return right / total

_solution = solution_with("12", evaluate=evaluate)


def __getattr__(name):
    return getattr(_solution, name)
