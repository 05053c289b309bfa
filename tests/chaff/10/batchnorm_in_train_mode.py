"""The classic loop's module.train(): layer4's BatchNorm layers renormalise with each batch and drift."""

GOTCHA = r"BatchNorm buffers changed during training"

from torch import nn

from solution_copy import solution_with


def train_one_epoch(module, optimizer, batches, device):
    module.train()
    loss_fn = nn.CrossEntropyLoss()
    total, count = 0.0, 0
    for inputs, labels in batches:
        inputs, labels = inputs.to(device), labels.to(device)
        optimizer.zero_grad()
        loss = loss_fn(module(inputs), labels)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(labels)
        count += len(labels)
    return total / count


_solution = solution_with("10", train_one_epoch=train_one_epoch)


def __getattr__(name):
    return getattr(_solution, name)
