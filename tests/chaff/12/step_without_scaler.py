"""Scales the loss, then steps the optimizer directly: the gradients are never unscaled."""

GOTCHA = r"moved the weights [0-9,]+ times too far"

import torch
from torch import nn
from torch.utils.data import DataLoader

from solution_copy import solution_with

def train_step(model, images, labels, optimizer, scaler, device, amp=True):
    optimizer.zero_grad(set_to_none=True)
    with torch.autocast(device.type, dtype=_solution.amp_dtype(device), enabled=amp):
        loss = nn.functional.cross_entropy(model(images), labels)
    scaler.scale(loss).backward()
    optimizer.step()
    return loss.item()

_solution = solution_with("12", train_step=train_step)


def __getattr__(name):
    return getattr(_solution, name)
