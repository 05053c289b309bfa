"""Registers the head with add_module, which replaces a child of the same name."""

import torch.nn as nn


def swap_head(model, num_classes):
    model.add_module("fc", nn.Linear(model.get_submodule("fc").in_features, num_classes))
    return model
