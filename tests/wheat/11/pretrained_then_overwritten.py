"""Loads onto a model built with the ImageNet weights (all overwritten by the file), eval via a loop."""

import torch

from solution_copy import solution_with


def load_for_inference(path, num_classes):
    model = _solution.build_model(num_classes)  # the pretrained weights, then the head swapped
    result = model.load_state_dict(torch.load(path, weights_only=True)["model"])
    assert not result.missing_keys and not result.unexpected_keys
    for module in model.modules():
        module.training = False
    return model


_solution = solution_with("11", load_for_inference=load_for_inference)


def __getattr__(name):
    return getattr(_solution, name)
