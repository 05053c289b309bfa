from torchvision.models import ResNet18_Weights, resnet18


def load_pretrained()
    return resnet18(weights=ResNet18_Weights.DEFAULT)
