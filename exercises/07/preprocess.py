"""Exercise 07: prepare images exactly as resnet18's ImageNet weights expect. Lesson: exercises/07/README.md."""

import torch
from PIL import Image


def preprocess(image: Image.Image) -> torch.Tensor:
    """Return `image` (any size, any PIL mode) as a float32 tensor of shape (3, 224, 224).

    Resized, centre-cropped and normalised the way the weights were trained, so the backbone's
    features mean what they meant on ImageNet.
    """
    # TODO: make the image three-channel RGB, whatever its mode
    # TODO: apply the pipeline that ships with ResNet18_Weights.DEFAULT
    raise NotImplementedError("exercise 07: see exercises/07/README.md")
