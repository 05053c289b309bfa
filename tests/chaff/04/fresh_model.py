"""prepare ignores the model it is given and loads its own pretrained resnet18."""

GOTCHA = r"prepare\(model, 3, lr=0.001\) returned a different ResNet object from the model it was given"

import torch
from torch import nn
from torchvision.models import ResNet18_Weights, resnet18


def make_optimizer(model, lr=1e-3, weight_decay=0.0):
    return torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=lr,
                            weight_decay=weight_decay)


def prepare(model, num_classes, lr=1e-3):
    model = resnet18(weights=ResNet18_Weights.DEFAULT)
    model.requires_grad_(False)
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model, make_optimizer(model, lr=lr)
