"""Puts the RGB conversion into the pipeline itself, found through the model registry."""

from torchvision import transforms
from torchvision.models import get_model_weights

PIPELINE = transforms.Compose([
    transforms.Lambda(lambda image: image.convert("RGB")),
    get_model_weights("resnet18").DEFAULT.transforms(),
])


def preprocess(image):
    return PIPELINE(image)
