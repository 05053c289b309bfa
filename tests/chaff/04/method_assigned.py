"""prepare assigns `requires_grad_ = False` on every parameter instead of calling the method."""

GOTCHA = r"`requires_grad_ = False` on conv1.weight, .* replaced a method with a plain value"

from torch import nn

from solution_copy import solution_with


def prepare(model, num_classes, lr=1e-3):
    for param in model.parameters():
        param.requires_grad_ = False
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model, _solution.make_optimizer(model, lr=lr)


_solution = solution_with("04", prepare=prepare)


def __getattr__(name):
    return getattr(_solution, name)  # everything else as in the reference
