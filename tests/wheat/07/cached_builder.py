"""Builds the transform lazily, once, behind a cached helper; returns a float32 tensor on the CPU."""

import functools

import torch
from torchvision.models import ResNet18_Weights


@functools.cache
def weights_transform():
    return ResNet18_Weights.DEFAULT.transforms(antialias=True)


def preprocess(image):
    tensor = weights_transform()(image.convert("RGB"))
    return tensor.to(device="cpu", dtype=torch.float32)
