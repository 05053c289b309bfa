"""prepare types resnet18's feature width instead of reading it off the old head."""

GOTCHA = r"On a resnet50, model.fc takes 512 inputs, but the backbone produces 2048 features"

from torch import nn

from solution_copy import solution_with


def prepare(model, num_classes, lr=1e-3):
    model.requires_grad_(False)
    model.fc = nn.Linear(512, num_classes)
    return model, _solution.make_optimizer(model, lr=lr)


_solution = solution_with("04", prepare=prepare)


def __getattr__(name):
    return getattr(_solution, name)  # everything else as in the reference
