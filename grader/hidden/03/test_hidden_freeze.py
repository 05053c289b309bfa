"""Hidden check for exercise 03: a feature extractor from another architecture and width."""

from torch import nn
from torchvision.models import shufflenet_v2_x0_5

from kata.checks import count, expect_linear_head, expect_only_head_trainable, expect_type, shapes_only
from kata.learner import fail


def test_any_backbone_becomes_a_feature_extractor(learner):
    extractor = learner.feature_extractor(shapes_only(shufflenet_v2_x0_5), 9)
    expect_type(extractor, nn.Module, "feature_extractor(shufflenet_v2_x0_5, 9)")
    expect_linear_head(extractor, 1024, 9, where="On a shufflenet_v2_x0_5 (1024 features), ")
    expect_only_head_trainable(extractor)
    trainable = count(p for p in extractor.parameters() if p.requires_grad)
    if trainable != 1024 * 9 + 9:
        fail(f"On a shufflenet_v2_x0_5 with 9 classes, {trainable:,} parameters would train; its head "
             f"alone has 1024 x 9 + 9 = {1024 * 9 + 9:,}.")
