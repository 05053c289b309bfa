"""The v2 transforms on the PIL image, then to a float image scaled to 0..1 and normalised."""

import torch
from torchvision.transforms import v2

PIPELINE = v2.Compose([
    v2.Resize(256),
    v2.CenterCrop(224),
    v2.ToImage(),
    v2.ToDtype(torch.float32, scale=True),
    v2.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
])


def preprocess(image):
    return PIPELINE(image.convert("RGB")).as_subclass(torch.Tensor)
