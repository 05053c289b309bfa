"""Names the weights with the string torchvision accepts in place of the enum member."""

from torchvision.models import ResNet18_Weights, resnet18


def load_pretrained():
    return resnet18(weights="DEFAULT")


def imagenet_categories():
    return [name for name in ResNet18_Weights.DEFAULT.meta["categories"]]
