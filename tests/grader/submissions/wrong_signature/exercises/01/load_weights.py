from torchvision.models import ResNet18_Weights, resnet18


def load_pretrained(weights):
    return resnet18(weights=weights)


def imagenet_categories(weights, limit):
    return list(weights.meta["categories"])[:limit]
