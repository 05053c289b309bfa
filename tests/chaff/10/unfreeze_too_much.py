"""Unfreezes layer3 as well as layer4, at the right low rate."""

GOTCHA = r"outside layer4 and the head require grad.*Unfreeze layer4 only"

from solution_copy import solution_with


def unfreeze_layer4(model, optimizer, lr):
    for stage in (model.layer3, model.layer4):
        stage.requires_grad_(True)
    for group in optimizer.param_groups:
        group["lr"] = lr
    optimizer.add_param_group({"params": [*model.layer3.parameters(), *model.layer4.parameters()], "lr": lr / 10})
    return optimizer


_solution = solution_with("10", unfreeze_layer4=unfreeze_layer4)


def __getattr__(name):
    return getattr(_solution, name)
