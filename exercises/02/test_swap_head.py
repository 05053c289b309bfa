"""Checks for exercise 02: the head is a new nn.Linear sized from the old head and the class count."""

import torch
from hypothesis import given
from hypothesis import strategies as st
from torch import nn
from torchvision.models import resnet50

from kata.checks import (
    expect_linear_head, expect_same_tensors, expect_the_model_given, expect_type, reset, run_model,
    shapes_only, without_head,
)
from kata.learner import fail

FEATURES = 512  # what resnet18's backbone hands its head
K = 7  # neither 1000 nor 512, so a head left at ImageNet's size or sized from the features shows


def swapped(learner, model: nn.Module, num_classes: int, call: str = "") -> nn.Module:
    """swap_head's answer, after checking it is the model it was given."""
    call = call or f"swap_head(model, {num_classes})"
    returned = learner.swap_head(model, num_classes)
    expect_type(returned, nn.Module, call)
    expect_the_model_given(returned, model, call)
    return returned


def test_head_is_a_new_linear_sized_for_the_classes(learner):
    expect_linear_head(swapped(learner, shapes_only(), K), FEATURES, K)


def test_old_head_is_replaced_not_edited(learner, pretrained):
    imagenet_head = pretrained.fc
    imagenet_weight = imagenet_head.weight.detach().clone()
    head = swapped(learner, pretrained, 1000).fc
    if head is imagenet_head or (
        isinstance(head, nn.Linear) and torch.equal(head.weight.detach(), imagenet_weight)
    ):
        fail("swap_head(model, 1000) kept ImageNet's trained head. Even with 1000 classes of your own, "
             "those weights score ImageNet's classes, not yours, and editing the old layer "
             "(its out_features, its rows) keeps them. Assign a new layer: "
             "model.fc = nn.Linear(model.fc.in_features, num_classes).")


def test_backbone_is_left_untouched(learner, pretrained, checkpoint):
    model = swapped(learner, pretrained, K)
    expect_same_tensors(
        model.state_dict(), without_head(checkpoint), "tensors of the pretrained backbone",
        "The backbone is the part worth reusing, so swap_head must leave it exactly as it was: "
        "replace only model.fc.",
    )


def test_every_class_count_gets_a_head_of_that_size(learner):
    resnet = shapes_only()
    imagenet_head = resnet.fc

    @given(num_classes=st.integers(1, 2000))
    def swap(num_classes: int) -> None:
        expect_linear_head(swapped(learner, reset(resnet, imagenet_head), num_classes), FEATURES, num_classes)

    swapped(learner, reset(resnet, imagenet_head), K)  # a wrong object fails once, not on every example
    swap()


def test_head_width_is_read_off_the_old_head(learner):
    wide = shapes_only(resnet50)  # its backbone gives 2048 features, not 512
    width = wide.fc.in_features
    model = swapped(learner, wide, K, f"swap_head(resnet50, {K})")
    expect_linear_head(model, width, K, where="On a resnet50, ")


def test_forward_pass_gives_one_score_per_class_per_image(learner, pretrained):
    model = swapped(learner, pretrained, K)
    images = torch.rand(2, 3, 32, 32)  # tiny images: the global average pool accepts any size
    with torch.no_grad():
        scores = run_model(model.eval(), images, f"swap_head(model, {K})")
    if tuple(scores.shape) != (2, K):
        fail(f"After swap_head(model, {K}), the model's output for 2 images has shape "
             f"{tuple(scores.shape)}; expected (2, {K}): one score per class for each image. "
             "Make model.fc an nn.Linear(model.fc.in_features, num_classes).")
