"""Hidden checks for exercise 02: other head widths, and a head that was swapped before."""

from torch import nn
from torchvision.models import shufflenet_v2_x0_5

from kata.checks import expect_linear_head, expect_type, shapes_only


def test_head_width_comes_from_any_backbone(learner):
    model = shapes_only(shufflenet_v2_x0_5)
    width = model.fc.in_features  # 1024: neither resnet18's 512 nor resnet50's 2048
    swapped = learner.swap_head(model, 11)
    expect_type(swapped, nn.Module, "swap_head(shufflenet_v2_x0_5, 11)")
    expect_linear_head(swapped, width, 11, where=f"On a shufflenet_v2_x0_5 ({width} features), ")


def test_a_second_swap_sizes_the_head_for_the_new_classes(learner, pretrained):
    once = learner.swap_head(pretrained, 3)
    expect_type(once, nn.Module, "swap_head(model, 3)")
    twice = learner.swap_head(once, 5)
    expect_type(twice, nn.Module, "swap_head(swap_head(model, 3), 5)")
    expect_linear_head(twice, 512, 5, where="After a second swap (3 classes, then 5), ")
