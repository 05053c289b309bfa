"""Goes through torchvision's model registry: get_model and get_model_weights."""

from torch import nn
from torchvision.models import get_model, get_model_weights


def load_pretrained() -> nn.Module:
    return get_model("resnet18", weights="DEFAULT")


def imagenet_categories() -> list[str]:
    weights = get_model_weights("resnet18").DEFAULT
    return list(weights.meta["categories"])
