"""Exercise 02, reference solution: give a pretrained resnet a new head for your classes."""

from torch import nn


def swap_head(model: nn.Module, num_classes: int) -> nn.Module:
    """Replace `model.fc` with a fresh linear layer giving `num_classes` scores; return the model.

    The backbone (every layer except `fc`) must stay exactly as it was: it is the part worth reusing.
    Change the model you are given and return that same object, not a copy or a new model.
    """
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model
