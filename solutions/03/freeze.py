"""Exercise 03, reference solution: a frozen feature extractor with a trainable head."""

from torch import nn


def feature_extractor(model: nn.Module, num_classes: int) -> nn.Module:
    """Freeze every pretrained parameter, then give `model` a new trainable head; return the model.

    Afterwards only the head learns: 512 * num_classes weights + num_classes biases for resnet18.
    Change the model you are given and return that same object, not a copy or a new model.
    """
    for param in model.parameters():
        param.requires_grad = False
    model.fc = nn.Linear(model.fc.in_features, num_classes)  # made after the freeze: trainable
    return model
