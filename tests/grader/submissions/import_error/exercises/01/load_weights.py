from torchvision.modelz import ResNet18_Weights, resnet18


def load_pretrained():
    return resnet18(weights=ResNet18_Weights.DEFAULT)


def imagenet_categories():
    return list(ResNet18_Weights.DEFAULT.meta["categories"])
