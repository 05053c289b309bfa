from torchvision.models import ResNet18_Weights


def load_pretrained():
    table = {"resnet34": ResNet18_Weights.DEFAULT}
    return table["resnet18"]


def imagenet_categories():
    return list(ResNet18_Weights.DEFAULT.meta["categories"])
