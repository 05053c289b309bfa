"""The v2 functional API, step by step."""

import torch
from torchvision.transforms.v2 import functional as F

MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


def preprocess(image):
    tensor = F.pil_to_tensor(image.convert("RGB"))
    tensor = F.center_crop(F.resize(tensor, [256], antialias=True), [224])
    tensor = F.to_dtype(tensor, torch.float32, scale=True)
    return F.normalize(tensor, mean=MEAN, std=STD)
