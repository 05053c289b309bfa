"""Hidden check for exercise 03: a feature extractor from another architecture width."""

from torch import nn
from torchvision.models import resnet50

from kata.checks import count, expect_linear_head, expect_only_head_trainable, expect_type, shapes_only
from kata.learner import fail


def test_any_backbone_becomes_a_feature_extractor(learner):
    extractor = learner.feature_extractor(shapes_only(resnet50), 9)
    expect_type(extractor, nn.Module, "feature_extractor(resnet50, 9)")
    expect_linear_head(extractor, 2048, 9, where="On a resnet50 (2048 features), ")
    expect_only_head_trainable(extractor)
    trainable = count(p for p in extractor.parameters() if p.requires_grad)
    if trainable != 2048 * 9 + 9:
        fail(f"On a resnet50 with 9 classes, {trainable:,} parameters would train; its head alone "
             f"has 2048 x 9 + 9 = {2048 * 9 + 9:,}.")
