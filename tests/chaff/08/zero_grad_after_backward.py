"""Clears the gradients between backward() and step(), so every step has nothing to apply."""

GOTCHA = r"had no gradient at any of them"

from torch import nn

from solution_copy import solution_with


def train_one_epoch(module, optimizer, batches, device):
    module.train()
    losses = []
    for inputs, labels in batches:
        loss = nn.functional.cross_entropy(module(inputs.to(device)), labels.to(device))
        loss.backward()
        optimizer.zero_grad()  # the gradients backward() just computed are gone
        optimizer.step()
        losses.append(loss.item())
    return sum(losses) / len(losses)


_solution = solution_with("08", train_one_epoch=train_one_epoch)


def __getattr__(name):
    return getattr(_solution, name)
