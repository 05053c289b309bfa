"""Casts the model to bfloat16 (master weights included) instead of autocasting."""

GOTCHA = r"parameters are torch.bfloat16.*Don't cast the model"

import torch
from torch import nn
from torch.utils.data import DataLoader

from solution_copy import solution_with

def train_step(model, images, labels, optimizer, scaler, device, amp=True):
    model.to(torch.bfloat16)
    optimizer.zero_grad(set_to_none=True)
    loss = nn.functional.cross_entropy(model(images.to(torch.bfloat16)), labels)
    scaler.scale(loss).backward()
    scaler.step(optimizer)
    scaler.update()
    return loss.item()

_solution = solution_with("12", train_step=train_step)


def __getattr__(name):
    return getattr(_solution, name)
