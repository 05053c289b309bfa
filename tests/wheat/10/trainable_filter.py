"""The lesson's general pattern: every optimizer built over filter(requires_grad), groups by exclusion."""

import torch

from solution_copy import solution_with


def unfreeze_layer4(model, optimizer, lr):
    head = {id(p) for p in model.fc.parameters()}
    model.layer4.requires_grad_(True)
    rest = [p for p in filter(lambda p: p.requires_grad, model.parameters()) if id(p) not in head]
    return torch.optim.Adam([{"params": model.fc.parameters(), "lr": lr}, {"params": rest, "lr": lr / 10}])


_solution = solution_with("10", unfreeze_layer4=unfreeze_layer4)


def __getattr__(name):
    return getattr(_solution, name)
