"""prepare swaps the head first and freezes afterwards: the new head is frozen too, the optimizer gets nothing."""

GOTCHA = r"(?s)empty parameter list.*the freeze came after the head\s+swap and caught the new head too"

from torch import nn

from solution_copy import solution_with


def prepare(model, num_classes, lr=1e-3):
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    for param in model.parameters():
        param.requires_grad = False
    return model, _solution.make_optimizer(model, lr=lr)


_solution = solution_with("04", prepare=prepare)


def __getattr__(name):
    return getattr(_solution, name)  # everything else as in the reference
