"""The reference make_optimizer, with a prepare that freezes block by block and swaps via setattr."""

from torch import nn

from solution_copy import solution_with


def prepare(model, num_classes, lr=1e-3):
    for block in model.children():
        block.requires_grad_(False)
    setattr(model, "fc", nn.Linear(model.fc.in_features, num_classes))
    return model, _solution.make_optimizer(model, lr=lr)


_solution = solution_with("04", prepare=prepare)


def __getattr__(name):
    return getattr(_solution, name)  # everything else as in the reference
