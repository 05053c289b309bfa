"""Loads everything right but returns the model in train mode, as resnet18() builds it."""

GOTCHA = r"returned a model in train mode"

import torch

from solution_copy import solution_with


def load_for_inference(path, num_classes):
    model = _solution.build_model(num_classes, weights=None)
    model.load_state_dict(torch.load(path, weights_only=True)["model"])
    return model


_solution = solution_with("11", load_for_inference=load_for_inference)


def __getattr__(name):
    return getattr(_solution, name)
