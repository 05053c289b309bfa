"""Resizes and crops with torchvision, then turns the pixels into numbers with numpy by hand."""

import numpy as np
import torch
from torchvision.transforms import functional as F

MEAN = torch.tensor([0.485, 0.456, 0.406]).view(3, 1, 1)
STD = torch.tensor([0.229, 0.224, 0.225]).view(3, 1, 1)


def preprocess(image):
    image = F.center_crop(F.resize(image.convert("RGB"), 256), 224)
    pixels = torch.from_numpy(np.asarray(image, dtype=np.float32) / 255.0).permute(2, 0, 1)
    return ((pixels - MEAN) / STD).contiguous()
