"""Exercise 03: make a pretrained resnet a frozen feature extractor with a trainable head.
Lesson: exercises/03/README.md."""

from torch import nn


def feature_extractor(model: nn.Module, num_classes: int) -> nn.Module:
    """Freeze every pretrained parameter, then give `model` a new trainable head; return the model.

    Afterwards only the head learns: 512 * num_classes weights + num_classes biases for resnet18.
    Change the model you are given and return that same object, not a copy or a new model.
    """
    # TODO: freeze: set requires_grad = False on every parameter the model has now
    # TODO: then swap the head: model.fc = a new nn.Linear sized from the old head and num_classes
    # TODO: return the model
    raise NotImplementedError("exercise 03: see exercises/03/README.md")
