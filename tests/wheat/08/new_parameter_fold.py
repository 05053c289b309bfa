"""Correct, another way: the fold assigns new nn.Parameters to the head instead of editing the
trained ones in place (the optimizer then holds tensors the returned model no longer has)."""

import torch
from torch import nn

from solution_copy import solution_with


def fold_into_head(head, mean, std):
    with torch.no_grad():
        weight = head.weight / std
        bias = head.bias - weight @ mean
    head.weight = nn.Parameter(weight)
    head.bias = nn.Parameter(bias)


_solution = solution_with("08", fold_into_head=fold_into_head)


def __getattr__(name):
    return getattr(_solution, name)
