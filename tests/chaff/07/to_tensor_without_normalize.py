"""Resizes and crops correctly but stops at ToTensor(): values between 0 and 1, never normalised."""

GOTCHA = r"matches ToTensor\(\) without Normalize"

from torchvision import transforms

PIPELINE = transforms.Compose([transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor()])


def preprocess(image):
    return PIPELINE(image.convert("RGB"))
