"""Saves deep copies of the state dicts on the CPU (safe while training goes on, on any device)."""

import copy

import torch

from solution_copy import solution_with


def save_checkpoint(path, model, optimizer, epoch, history):
    state = {name: tensor.detach().cpu().clone() for name, tensor in model.state_dict().items()}
    torch.save({"model": state, "optimizer": copy.deepcopy(optimizer.state_dict()), "epoch": int(epoch),
                "history": copy.deepcopy(history)}, path)


_solution = solution_with("11", save_checkpoint=save_checkpoint)


def __getattr__(name):
    return getattr(_solution, name)
