"""Validates under torch.no_grad() but never switches to eval mode."""

GOTCHA = r"Validation ran with Linear layers in train mode"

import torch

from solution_copy import solution_with


@torch.no_grad()
def evaluate(module, batches, device):  # no module.eval(): still in train mode from training
    pairs = [(module(x.to(device)).argmax(dim=1), y.to(device)) for x, y in batches]
    return sum((p == y).sum().item() for p, y in pairs) / sum(len(y) for _, y in pairs)


_solution = solution_with("08", evaluate=evaluate)


def __getattr__(name):
    return getattr(_solution, name)
