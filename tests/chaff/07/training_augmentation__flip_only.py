"""The weights' pipeline plus a random horizontal flip "for robustness": half the calls mirror the image."""

GOTCHA = r"two different tensors for the same image: random augmentation"

from torchvision import transforms
from torchvision.models import ResNet18_Weights

PIPELINE = transforms.Compose([transforms.RandomHorizontalFlip(), ResNet18_Weights.DEFAULT.transforms()])


def preprocess(image):
    return PIPELINE(image.convert("RGB"))
