"""Shuffles the order of the batches with Python's `random`, which torch.manual_seed does not seed."""

GOTCHA = r"Two runs with seed=0 on the CPU differ"

import random

from torch import nn

from solution_copy import solution_with


def train_one_epoch(module, optimizer, batches, device):
    module.train()
    loss_fn = nn.CrossEntropyLoss()
    batches = list(batches)
    random.shuffle(batches)
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


_solution = solution_with("08", train_one_epoch=train_one_epoch)


def __getattr__(name):
    return getattr(_solution, name)
