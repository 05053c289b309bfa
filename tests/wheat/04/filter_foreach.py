"""The classic filter(lambda ...) spelling, with the foreach implementation asked for explicitly."""

import torch
import torch.nn as nn


def make_optimizer(model, lr=1e-3, weight_decay=0.0):
    return torch.optim.Adam(filter(lambda p: p.requires_grad, model.parameters()),
                            lr=lr, weight_decay=weight_decay, foreach=True)


def prepare(model, num_classes, lr=1e-3):
    for p in model.parameters():
        p.requires_grad = False
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    optimizer = make_optimizer(model, lr=lr)
    return model, optimizer
