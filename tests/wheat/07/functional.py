"""Each step as a functional call, with the numbers read off the weights' own transforms."""

import torch
from PIL import Image
from torchvision.models import ResNet18_Weights
from torchvision.transforms import functional as F

RECIPE = ResNet18_Weights.DEFAULT.transforms()


def preprocess(image: Image.Image) -> torch.Tensor:
    image = image.convert("RGB")
    image = F.resize(image, RECIPE.resize_size, interpolation=RECIPE.interpolation)
    image = F.center_crop(image, RECIPE.crop_size)
    return F.normalize(F.to_tensor(image), mean=RECIPE.mean, std=RECIPE.std)
