"""A table from each family's class name to where it keeps its head, the way timm hard-wires it."""

from torch import nn

HEADS = {
    "ResNet": "fc",
    "RegNet": "fc",
    "MobileNetV2": "classifier.1",
    "MobileNetV3": "classifier.3",
    "EfficientNet": "classifier.1",
    "VGG": "classifier.6",
    "DenseNet": "classifier",
    "ConvNeXt": "classifier.2",
    "VisionTransformer": "heads.head",
    "SwinTransformer": "head",
    "SqueezeNet": "classifier.1",
}


def swap_classifier(model, num_classes):
    path = HEADS[type(model).__name__]
    old = model.get_submodule(path)
    if isinstance(old, nn.Conv2d):
        model.set_submodule(path, nn.Conv2d(old.in_channels, num_classes, kernel_size=1))
    else:
        model.set_submodule(path, nn.Linear(old.in_features, num_classes))
    return model
