"""Uses SGD with momentum, as in many tutorials, where the exercise (and its learning rates) are Adam's."""

GOTCHA = r"built a SGD optimizer; this exercise asks for\s+torch.optim.Adam"

import torch

from solution_copy import solution_with


def make_optimizer(model, lr=1e-3, weight_decay=0.0):
    return torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=lr, momentum=0.9,
                           weight_decay=weight_decay)


_solution = solution_with("04", make_optimizer=make_optimizer)


def __getattr__(name):
    return getattr(_solution, name)  # everything else as in the reference
