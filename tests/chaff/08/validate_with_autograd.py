"""Validates in eval mode but with autograd on, building a graph for every validation batch."""

GOTCHA = r"Validation ran with autograd on"

from solution_copy import solution_with


def evaluate(module, batches, device):  # eval(), but no torch.no_grad()
    module.eval()
    pairs = [(module(x.to(device)).argmax(dim=1), y.to(device)) for x, y in batches]
    return sum((p == y).sum().item() for p, y in pairs) / sum(len(y) for _, y in pairs)


_solution = solution_with("08", evaluate=evaluate)


def __getattr__(name):
    return getattr(_solution, name)
