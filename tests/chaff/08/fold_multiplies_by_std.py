"""Folds the standardisation the wrong way round: multiplies the weight by std instead of dividing."""

GOTCHA = r"The weight was multiplied by std"

import torch

from solution_copy import solution_with


@torch.no_grad()
def fold_into_head(head, mean, std):
    head.weight *= std
    head.bias -= head.weight @ mean


_solution = solution_with("08", fold_into_head=fold_into_head)


def __getattr__(name):
    return getattr(_solution, name)
