"""Converts the uint8 pixels to float without dividing by 255, then normalises values of 0..255."""

GOTCHA = r"Normalize applied to pixel values 0\.\.255"

import torch
from torchvision.transforms import functional as F


def preprocess(image):
    image = F.center_crop(F.resize(image.convert("RGB"), 256), 224)
    pixels = F.pil_to_tensor(image).to(torch.float32)
    return F.normalize(pixels, mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])
