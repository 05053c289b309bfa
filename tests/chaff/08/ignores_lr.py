"""Builds the head's optimizer without the learning rate it was given: Adam's default 1e-3 always."""

GOTCHA = r"stepped its optimizer with lr 0\.001, not 0\.003: the lr argument was ignored"

import torch

from solution_copy import solution_with


def make_optimizer(model, lr=1e-3):
    return torch.optim.Adam(model.fc.parameters())  # lr forgotten


_solution = solution_with("08", make_optimizer=make_optimizer)


def __getattr__(name):
    return getattr(_solution, name)
