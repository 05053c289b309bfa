"""Unfreezes layer4 but keeps stage 1's optimizer as it was: requires_grad alone trains nothing new."""

GOTCHA = r"requires_grad = True does not add a parameter to an optimizer"

from solution_copy import solution_with


def unfreeze_layer4(model, optimizer, lr):
    model.layer4.requires_grad_(True)
    for group in optimizer.param_groups:
        group["lr"] = lr
    return optimizer


_solution = solution_with("10", unfreeze_layer4=unfreeze_layer4)


def __getattr__(name):
    return getattr(_solution, name)
