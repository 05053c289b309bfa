"""Adds layer4 to the optimizer at the head's own stage-2 rate: no discriminative learning rates."""

GOTCHA = r"Discriminative learning rates"

from solution_copy import solution_with


def unfreeze_layer4(model, optimizer, lr):
    model.layer4.requires_grad_(True)
    for group in optimizer.param_groups:
        group["lr"] = lr
    optimizer.add_param_group({"params": list(model.layer4.parameters()), "lr": lr})
    return optimizer


_solution = solution_with("10", unfreeze_layer4=unfreeze_layer4)


def __getattr__(name):
    return getattr(_solution, name)
