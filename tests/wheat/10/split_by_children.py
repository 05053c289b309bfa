"""split() from the model's children, and inference_mode for validation."""

import torch
from torch import nn

from solution_copy import solution_with


def split(model):
    children = list(model.children())  # conv1, bn1, relu, maxpool, layer1-4, avgpool, fc
    return nn.Sequential(*children[:7]), nn.Sequential(children[7], children[8], nn.Flatten(1), children[9])


@torch.inference_mode()
def evaluate(module, batches, device):
    module.eval()
    results = [(module(x.to(device)).argmax(1) == y.to(device)).float() for x, y in batches]
    return torch.cat(results).mean().item()


_solution = solution_with("10", split=split, evaluate=evaluate)


def __getattr__(name):
    return getattr(_solution, name)
