"""Clears the gradients after the step, with a loss module and torch.amp.autocast."""

import contextlib

import torch
from torch import nn
from torch.utils.data import DataLoader

from solution_copy import solution_with

LOSS = nn.CrossEntropyLoss()


def train_step(model, images, labels, optimizer, scaler, device, amp=True):
    with torch.amp.autocast(device_type=device.type, dtype=_solution.amp_dtype(device), enabled=amp):
        outputs = model(images)
        loss = LOSS(outputs, labels)
    scaler.scale(loss).backward()
    scaler.step(optimizer)
    scaler.update()
    optimizer.zero_grad()
    return float(loss.detach())

_solution = solution_with("12", train_step=train_step)


def __getattr__(name):
    return getattr(_solution, name)
