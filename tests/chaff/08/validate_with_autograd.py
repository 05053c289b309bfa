"""Validates in eval mode but with autograd on, building a graph for every validation batch."""

GOTCHA = r"Validation ran with autograd on"

from solution_copy import solution_with


def evaluate(module, batches, device):
    module.eval()
    right, count = 0, 0
    for inputs, labels in batches:
        labels = labels.to(device)
        right += (module(inputs.to(device)).argmax(dim=1) == labels).sum().item()
        count += len(labels)
    return right / count


_solution = solution_with("08", evaluate=evaluate)


def __getattr__(name):
    return getattr(_solution, name)
