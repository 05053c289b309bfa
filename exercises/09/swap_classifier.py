"""Exercise 09: swap the final layer of any torchvision classifier. Lesson: exercises/09/README.md."""

from torch import nn


def swap_classifier(model: nn.Module, num_classes: int) -> nn.Module:
    """Replace the final classification layer of `model` with a fresh one giving `num_classes` scores.

    `model` may be any torchvision family (resnet, mobilenet, efficientnet, vgg, densenet, convnext,
    regnet, vit, swin, squeezenet). Everything but that one layer stays as it was, the dropout and
    other layers around it included. Return the model.
    """
    # TODO: find the final layer and its dotted name without assuming the family: model.named_modules()
    #       lists every layer; the last nn.Linear is the head, or the last nn.Conv2d where there is no Linear
    # TODO: build its replacement: the same kind of layer, as wide as the old one (read its in_features
    #       or in_channels, do not type a number), with num_classes outputs
    # TODO: put the new layer exactly where the old one was (model.set_submodule(name, layer)), return the model
    raise NotImplementedError("exercise 09: see exercises/09/README.md")
