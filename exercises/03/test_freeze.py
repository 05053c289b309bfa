"""Checks for exercise 03: the backbone is frozen, the new head alone trains."""

import torch
from hypothesis import given
from hypothesis import strategies as st
from torch import nn
from torchvision.models import resnet50

from kata.checks import (
    backbone_params, count, expect_backbone_frozen, expect_head_trainable, expect_linear_head,
    expect_same_tensors, expect_the_model_given, expect_type, head_params, names, plural, reset, run_model,
    shapes_only, without_head,
)
from kata.learner import fail

FEATURES = 512  # what resnet18's backbone hands its head
K = 7


def make(learner, model: nn.Module, num_classes: int = K) -> nn.Module:
    """feature_extractor's answer, after checking it is the model it was given."""
    call = f"feature_extractor(model, {num_classes})"
    returned = learner.feature_extractor(model, num_classes)
    expect_type(returned, nn.Module, call)
    expect_the_model_given(returned, model, call)
    return returned


def test_head_is_a_new_linear_sized_for_the_classes(learner):
    expect_linear_head(make(learner, shapes_only()), FEATURES, K)


def test_head_width_is_read_off_the_old_head(learner):
    wide = shapes_only(resnet50)
    width = wide.fc.in_features  # 2048, not 512: read before the call replaces the head
    expect_linear_head(make(learner, wide), width, K, where="On a resnet50, ")


def test_pretrained_weights_are_kept(learner, pretrained, checkpoint):
    expect_same_tensors(
        make(learner, pretrained).state_dict(), without_head(checkpoint),
        "tensors of the pretrained backbone",
        "Freezing changes a flag on each parameter, never its values: keep the model you were "
        "given, set requires_grad, replace only model.fc.",
    )


def test_new_head_is_trainable(learner):
    expect_head_trainable(make(learner, shapes_only()))


def test_every_backbone_param_is_frozen(learner):
    expect_backbone_frozen(make(learner, shapes_only()))


def test_trainable_params_are_exactly_the_head(learner):
    resnet = shapes_only()
    imagenet_head = resnet.fc

    @given(num_classes=st.integers(1, 2000))
    def trainable(num_classes: int) -> None:
        model = make(learner, reset(resnet, imagenet_head), num_classes)
        expected = FEATURES * num_classes + num_classes
        got = count(p for p in model.parameters() if p.requires_grad)
        if got != expected:
            fail(f"With {num_classes} classes, {got:,} parameters would train; a feature extractor "
                 f"trains its head only: {FEATURES} x {num_classes} weights + {plural(num_classes, 'bias', 'biases')} "
                 f"= {expected:,}. Freeze every parameter, then swap in the head.")

    make(learner, reset(resnet, imagenet_head))  # a wrong object fails once, not on every example
    trainable()


def test_backward_reaches_the_head_only(learner, pretrained):
    model = make(learner, pretrained)
    scores = run_model(model, torch.rand(2, 3, 32, 32), f"feature_extractor(model, {K})")
    if not scores.requires_grad:
        fail("The model's scores do not require grad: nothing in it can learn, so backward() has "
             "nothing to do. Freeze the backbone first, then swap in the new head.")
    scores.square().mean().backward()
    no_grad = [n for n, p in head_params(model).items() if p.grad is None]
    with_grad = [n for n, p in backbone_params(model).items() if p.grad is not None]
    if no_grad:
        fail(f"After backward(), {names(no_grad)} have no gradient, so the head cannot learn. "
             f"Make the head after the freeze: a new layer starts trainable.")
    if with_grad:
        fail(f"backward() computed gradients for {len(with_grad)} backbone params ({names(with_grad)}): "
             f"time and memory spent on weights that should stay put. Freeze every backbone "
             f"parameter (requires_grad = False).")
