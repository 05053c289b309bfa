"""prepare types resnet18's feature width instead of reading it off the old head."""

GOTCHA = r"On a resnet50, model.fc takes 512 inputs, but the backbone produces 2048 features"

import torch
from torch import nn


def make_optimizer(model, lr=1e-3, weight_decay=0.0):
    return torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=lr,
                            weight_decay=weight_decay)


def prepare(model, num_classes, lr=1e-3):
    model.requires_grad_(False)
    model.fc = nn.Linear(512, num_classes)
    return model, make_optimizer(model, lr=lr)
