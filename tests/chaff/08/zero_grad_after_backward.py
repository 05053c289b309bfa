"""Clears the gradients between backward() and step(), so every step has nothing to apply."""

GOTCHA = r"had no gradient at any of them"

from torch import nn

from solution_copy import solution_with


def train_one_epoch(module, optimizer, batches, device):
    module.train()
    loss_fn = nn.CrossEntropyLoss()
    total, count = 0.0, 0
    for inputs, labels in batches:
        inputs, labels = inputs.to(device), labels.to(device)
        loss = loss_fn(module(inputs), labels)
        loss.backward()
        optimizer.zero_grad()
        optimizer.step()
        total += loss.item() * len(labels)
        count += len(labels)
    return total / count


_solution = solution_with("08", train_one_epoch=train_one_epoch)


def __getattr__(name):
    return getattr(_solution, name)
