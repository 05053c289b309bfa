"""Folds the standardisation into the head in the wrong order: the bias is corrected with the
weight from before the division, so the returned model no longer scores what validation saw."""

GOTCHA = r"not the weight from\s+before the division"

import torch

from solution_copy import solution_with


@torch.no_grad()
def fold_into_head(head, mean, std):
    head.bias -= head.weight @ mean
    head.weight /= std


_solution = solution_with("08", fold_into_head=fold_into_head)


def __getattr__(name):
    return getattr(_solution, name)
