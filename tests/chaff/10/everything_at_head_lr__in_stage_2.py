"""After stage 1, unfreezes the whole backbone and trains it all at the head's 1e-3."""

GOTCHA = r"scribble over the pretrained features"

import torch

from solution_copy import solution_with


def unfreeze_layer4(model, optimizer, lr):
    model.requires_grad_(True)
    return torch.optim.Adam(model.parameters(), lr=1e-3)


_solution = solution_with("10", unfreeze_layer4=unfreeze_layer4)


def __getattr__(name):
    return getattr(_solution, name)
