"""Normalises with the 0.5/0.5 statistics common in other tutorials instead of ImageNet's."""

GOTCHA = r"Normalize\(mean=\[0\.5, 0\.5, 0\.5\], std=\[0\.5, 0\.5, 0\.5\]\) instead of ImageNet's"

from torchvision import transforms

PIPELINE = transforms.Compose([
    transforms.Resize(256),
    transforms.CenterCrop(224),
    transforms.ToTensor(),
    transforms.Normalize(mean=[0.5, 0.5, 0.5], std=[0.5, 0.5, 0.5]),
])


def preprocess(image):
    return PIPELINE(image.convert("RGB"))
