"""Stage 2 builds a new optimizer with one group per part instead of add_param_group."""

import torch

from solution_copy import solution_with


def unfreeze_layer4(model, optimizer, lr):
    model.layer4.requires_grad_(True)
    return torch.optim.Adam([
        {"params": model.layer4.parameters(), "lr": lr / 10},
        {"params": model.fc.parameters()},
    ], lr=lr)


_solution = solution_with("10", unfreeze_layer4=unfreeze_layer4)


def __getattr__(name):
    return getattr(_solution, name)
