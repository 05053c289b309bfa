"""Builds a deeper ResNet and quietly pours resnet18's weights into it with strict=False."""

GOTCHA = r"not another depth"

from torchvision.models import ResNet18_Weights, resnet34


def load_pretrained():
    model = resnet34()
    model.load_state_dict(ResNet18_Weights.DEFAULT.get_state_dict(), strict=False)
    return model


def imagenet_categories():
    return list(ResNet18_Weights.DEFAULT.meta["categories"])
