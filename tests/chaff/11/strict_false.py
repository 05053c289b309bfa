"""Hands load_state_dict the whole checkpoint with strict=False: nothing matches, nothing complains."""

GOTCHA = r"never loaded, and load_state_dict\(..., strict=False\)"

import torch

from solution_copy import solution_with


def load_for_inference(path, num_classes):
    model = _solution.build_model(num_classes, weights=None)
    model.load_state_dict(torch.load(path, weights_only=True), strict=False)
    return model.eval()


_solution = solution_with("11", load_for_inference=load_for_inference)


def __getattr__(name):
    return getattr(_solution, name)
