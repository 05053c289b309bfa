"""Stage 2 on a fresh AdamW (decoupled weight decay), the head listed first."""

import torch

from solution_copy import solution_with


def unfreeze_layer4(model, optimizer, lr):
    model.layer4.requires_grad_(True)
    return torch.optim.AdamW([{"params": list(model.fc.parameters()), "lr": lr},
                              {"params": list(model.layer4.parameters()), "lr": lr / 10}])


_solution = solution_with("10", unfreeze_layer4=unfreeze_layer4)


def __getattr__(name):
    return getattr(_solution, name)
