"""Hands the optimizer every parameter of the model, frozen backbone included."""

GOTCHA = r"The optimizer holds 60 params that should stay frozen"

import torch

from solution_copy import solution_with


def make_optimizer(model, lr=1e-3):
    return torch.optim.Adam(model.parameters(), lr=lr)


_solution = solution_with("08", make_optimizer=make_optimizer)


def __getattr__(name):
    return getattr(_solution, name)
