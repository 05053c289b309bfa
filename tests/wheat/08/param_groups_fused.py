"""Correct, another way: Adam over a param-group dict naming the head, fused where torch has a
fused kernel for the device, and a learning rate kept in the group."""

import torch

from solution_copy import solution_with


def make_optimizer(model, lr=1e-3):
    head = list(model.fc.parameters())
    fused = head[0].device.type in ("cpu", "cuda")
    return torch.optim.Adam([{"params": head, "lr": lr, "name": "head"}], fused=fused)


_solution = solution_with("08", make_optimizer=make_optimizer)


def __getattr__(name):
    return getattr(_solution, name)
