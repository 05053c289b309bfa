"""Correct, another way: the weights' recipe written out with torchvision.transforms.v2
(resize to size * 256 // 224, centre crop, float in [0, 1], ImageNet's mean and std)."""

from pathlib import Path

import torch
from torch.utils.data import DataLoader
from torchvision import datasets
from torchvision.transforms import v2

from solution_copy import solution_with


def make_loaders(data_dir, image_size=224, batch_size=32):
    recipe = v2.Compose([
        v2.Resize(image_size * 256 // 224, interpolation=v2.InterpolationMode.BILINEAR, antialias=True),
        v2.CenterCrop(image_size),
        v2.ToImage(),
        v2.ToDtype(torch.float32, scale=True),
        v2.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
    ])
    train_set, val_set = (datasets.ImageFolder(Path(data_dir, split), transform=recipe) for split in ("train", "val"))
    return DataLoader(train_set, batch_size=batch_size), DataLoader(val_set, batch_size=batch_size)


_solution = solution_with("08", make_loaders=make_loaders)


def __getattr__(name):
    return getattr(_solution, name)
