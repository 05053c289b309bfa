"""Resizes and converts to tensors by hand, and forgets the weights' normalisation."""

GOTCHA = r"never normalised with ImageNet's"

from pathlib import Path

from torch.utils.data import DataLoader
from torchvision import datasets, transforms

from solution_copy import solution_with


def make_loaders(data_dir, image_size=224, batch_size=32):
    transform = transforms.Compose([transforms.Resize((image_size, image_size)), transforms.ToTensor()])
    train_set = datasets.ImageFolder(Path(data_dir) / "train", transform=transform)
    val_set = datasets.ImageFolder(Path(data_dir) / "val", transform=transform)
    return DataLoader(train_set, batch_size=batch_size), DataLoader(val_set, batch_size=batch_size)


_solution = solution_with("08", make_loaders=make_loaders)


def __getattr__(name):
    return getattr(_solution, name)
