"""Unscales before clipping the gradient norm, the pattern the scaler documents for clipping."""

import contextlib

import torch
from torch import nn
from torch.utils.data import DataLoader

from solution_copy import solution_with

def train_step(model, images, labels, optimizer, scaler, device, amp=True):
    optimizer.zero_grad(set_to_none=True)
    with torch.autocast(device.type, dtype=_solution.amp_dtype(device), enabled=amp):
        loss = nn.functional.cross_entropy(model(images), labels)
    scaler.scale(loss).backward()
    scaler.unscale_(optimizer)
    nn.utils.clip_grad_norm_(model.parameters(), max_norm=1e3)
    scaler.step(optimizer)
    scaler.update()
    return loss.item()

_solution = solution_with("12", train_step=train_step)


def __getattr__(name):
    return getattr(_solution, name)
