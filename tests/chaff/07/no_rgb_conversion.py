"""Uses the weights' transforms but never converts to RGB: grey, RGBA and palette images break."""

GOTCHA = r"crashed on a \d+x\d+ mode-\w+ image.*image\.convert\(.RGB.\) first"

from torchvision.models import ResNet18_Weights

TRANSFORM = ResNet18_Weights.DEFAULT.transforms()


def preprocess(image):
    return TRANSFORM(image)
