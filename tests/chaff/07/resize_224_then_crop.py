"""Resizes the shorter side to 224 (not 256) before the centre crop, so the crop keeps the borders."""

GOTCHA = r"matches Resize\(224\) \+ CenterCrop\(224\), which keeps more of the border"

from torchvision import transforms

PIPELINE = transforms.Compose([
    transforms.Resize(224),
    transforms.CenterCrop(224),
    transforms.ToTensor(),
    transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
])


def preprocess(image):
    return PIPELINE(image.convert("RGB"))
