"""Exercise 07, reference solution: prepare images exactly as resnet18's ImageNet weights expect."""

import torch
from PIL import Image
from torchvision.models import ResNet18_Weights

# Resize 256, centre-crop 224, to float, normalise with ImageNet's mean and std: the weights' own recipe.
TRANSFORM = ResNet18_Weights.DEFAULT.transforms()


def preprocess(image: Image.Image) -> torch.Tensor:
    """Return `image` (any size, any PIL mode) as a float32 tensor of shape (3, 224, 224).

    Resized, centre-cropped and normalised the way the weights were trained, so the backbone's
    features mean what they meant on ImageNet.
    """
    return TRANSFORM(image.convert("RGB"))  # grey, RGBA, palette, CMYK: the normaliser wants 3 channels
