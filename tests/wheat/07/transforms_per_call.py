"""Asks the weights for their transforms on every call: a little slower, the same tensor."""

from torchvision.models import ResNet18_Weights


def preprocess(image):
    transform = ResNet18_Weights.DEFAULT.transforms()
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    return transform(rgb)
