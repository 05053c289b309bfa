"""Trains the new head with a full fine-tuning learning rate (1e-5), whatever lr it is given."""

GOTCHA = r"stepped its optimizer with lr 1e-05.*a rate for fine-tuning"

import torch

from solution_copy import solution_with


def make_optimizer(model, lr=1e-3):
    return torch.optim.Adam(model.fc.parameters(), lr=1e-5)  # "pretrained models want a small rate"


_solution = solution_with("08", make_optimizer=make_optimizer)


def __getattr__(name):
    return getattr(_solution, name)
