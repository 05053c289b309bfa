"""Builds the bare architecture, then loads the checkpoint the weights enum points to, strictly."""

from torchvision.models import ResNet18_Weights, resnet18


def load_pretrained():
    model = resnet18()
    model.load_state_dict(ResNet18_Weights.DEFAULT.get_state_dict(progress=False))
    return model


def imagenet_categories():
    return list(ResNet18_Weights.DEFAULT.meta["categories"])
