"""Builds the model on the meta device (no memory, no init) and loads with assign=True."""

import torch
from torch import nn
from torchvision.models import resnet18

from solution_copy import solution_with


def load_for_inference(path, num_classes):
    with torch.device("meta"):
        model = resnet18()
        model.fc = nn.Linear(model.fc.in_features, num_classes)
    model.load_state_dict(torch.load(path, weights_only=True)["model"], assign=True)
    return model.eval()


_solution = solution_with("11", load_for_inference=load_for_inference)


def __getattr__(name):
    return getattr(_solution, name)
