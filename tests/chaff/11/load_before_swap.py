"""Loads into a fresh resnet18 and swaps the head afterwards: the 1000-class head cannot take the file's."""

GOTCHA = r"(?s)size mismatch for fc.weight.*swap its head first"

import torch
from torch import nn
from torchvision.models import resnet18

from solution_copy import solution_with


def load_for_inference(path, num_classes):
    model = resnet18()
    model.load_state_dict(torch.load(path, weights_only=True)["model"])
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model.eval()


_solution = solution_with("11", load_for_inference=load_for_inference)


def __getattr__(name):
    return getattr(_solution, name)
