from torchvision.models import ResNet18_Weights


def load_pretrained():
    n = 0
    while True:
        n += 1


def imagenet_categories():
    return list(ResNet18_Weights.DEFAULT.meta["categories"])
