"""Validates under torch.no_grad() but never switches to eval mode."""

GOTCHA = r"Validation ran with Linear layers in train mode"

import torch

from solution_copy import solution_with


def evaluate(module, batches, device):
    right, count = 0, 0
    with torch.no_grad():
        for inputs, labels in batches:
            labels = labels.to(device)
            right += (module(inputs.to(device)).argmax(dim=1) == labels).sum().item()
            count += len(labels)
    return right / count


_solution = solution_with("08", evaluate=evaluate)


def __getattr__(name):
    return getattr(_solution, name)
