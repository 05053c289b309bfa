"""Uses SGD with momentum, as in many tutorials, where the exercise (and its learning rates) are Adam's."""

GOTCHA = r"built a SGD optimizer; this exercise asks for\s+torch.optim.Adam"

import torch
from torch import nn


def make_optimizer(model, lr=1e-3, weight_decay=0.0):
    return torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=lr, momentum=0.9,
                           weight_decay=weight_decay)


def prepare(model, num_classes, lr=1e-3):
    model.requires_grad_(False)
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model, make_optimizer(model, lr=lr)
