"""Reuses the training pipeline (random crop and flip) for prediction: a new tensor every call."""

GOTCHA = r"two different tensors for the same image: random augmentation"

from torchvision import transforms

PIPELINE = transforms.Compose([
    transforms.RandomResizedCrop(224),
    transforms.RandomHorizontalFlip(),
    transforms.ToTensor(),
    transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
])


def preprocess(image):
    return PIPELINE(image.convert("RGB"))
