"""Adds every trainable parameter as the new group, the head's included: torch refuses."""

GOTCHA = r"more than one parameter group.*add only layer4's params"

from solution_copy import solution_with


def unfreeze_layer4(model, optimizer, lr):
    model.layer4.requires_grad_(True)
    optimizer.add_param_group({"params": [p for p in model.parameters() if p.requires_grad], "lr": lr / 10})
    return optimizer


_solution = solution_with("10", unfreeze_layer4=unfreeze_layer4)


def __getattr__(name):
    return getattr(_solution, name)
