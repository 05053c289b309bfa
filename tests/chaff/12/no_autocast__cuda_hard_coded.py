"""Autocasts for 'cuda' whatever the device: on a CPU nothing is autocast."""

GOTCHA = r"logits came out torch.float32 inside train_step.*autocast for 'cuda' leaves CPU operations alone"

import torch
from torch import nn
from torch.utils.data import DataLoader

from solution_copy import solution_with

def train_step(model, images, labels, optimizer, scaler, device, amp=True):
    optimizer.zero_grad(set_to_none=True)
    with torch.autocast("cuda", dtype=torch.float16, enabled=amp):
        loss = nn.functional.cross_entropy(model(images), labels)
    scaler.scale(loss).backward()
    scaler.step(optimizer)
    scaler.update()
    return loss.item()

_solution = solution_with("12", train_step=train_step)


def __getattr__(name):
    return getattr(_solution, name)
