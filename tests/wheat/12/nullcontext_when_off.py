"""Enters autocast only when amp is on, a null context otherwise."""

import contextlib

import torch
from torch import nn
from torch.utils.data import DataLoader

from solution_copy import solution_with

def precision(device, amp):
    if not amp:
        return contextlib.nullcontext()
    return torch.autocast(device.type, dtype=_solution.amp_dtype(device))


def train_step(model, images, labels, optimizer, scaler, device, amp=True):
    optimizer.zero_grad()
    with precision(device, amp):
        logits = model(images)
        loss = nn.functional.cross_entropy(logits, labels)
    scaler.scale(loss).backward()
    scaler.step(optimizer)
    scaler.update()
    return loss.item()

_solution = solution_with("12", train_step=train_step)


def __getattr__(name):
    return getattr(_solution, name)
