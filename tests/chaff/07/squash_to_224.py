"""Stretches the whole image to 224 x 224 instead of resizing to 256 and cropping the centre."""

GOTCHA = r"matches Resize\(\(224, 224\)\), which squashes"

from torchvision import transforms

PIPELINE = transforms.Compose([
    transforms.Resize((224, 224)),
    transforms.ToTensor(),
    transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
])


def preprocess(image):
    return PIPELINE(image.convert("RGB"))
