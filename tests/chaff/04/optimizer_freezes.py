"""make_optimizer freezes the backbone itself "to be safe", overriding whatever the caller left trainable."""

GOTCHA = r"changed requires_grad on \d+ params .*It should read\s+the flags the caller set, not set them"

import torch

from solution_copy import solution_with


def make_optimizer(model, lr=1e-3, weight_decay=0.0):
    for name, param in model.named_parameters():
        param.requires_grad = name.startswith("fc.")
    return torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=lr,
                            weight_decay=weight_decay)


_solution = solution_with("04", make_optimizer=make_optimizer)


def __getattr__(name):
    return getattr(_solution, name)  # everything else as in the reference
