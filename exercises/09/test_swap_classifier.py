"""Checks for exercise 09: the final layer of any torchvision family replaced, and nothing else.

Most checks build each family on the meta device (shapes, no values: milliseconds, no memory) and
read the structure; the forward pass runs there too, which is enough to show the output's shape.
Two small families are built with real values to show that every other tensor keeps its values.
"""

from __future__ import annotations

import functools

import pytest
import torch
from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from torch import nn
from torchvision.models import get_model, get_model_builder

from kata.checks import (
    expect_final_layer_swapped, expect_same_tensors, run_model, shapes_only, spelled, swapped_final_layer,
)
from kata.learner import fail

FAMILIES = {  # family: where torchvision 0.29 keeps its final layer
    "resnet18": "fc",
    "resnet50": "fc",
    "mobilenet_v2": "classifier.1",
    "mobilenet_v3_small": "classifier.3",
    "efficientnet_b0": "classifier.1",
    "vgg11": "classifier.6",
    "densenet121": "classifier",
    "convnext_tiny": "classifier.2",
    "regnet_y_400mf": "fc",
    "vit_b_16": "heads.head",
    "swin_t": "head",
    "squeezenet1_1": "classifier.1",
}
WITH_VALUES = ("mobilenet_v3_small", "squeezenet1_1")  # small enough to build with real values and run
K = 7  # neither 1000 nor any family's width


@functools.cache
def as_built(family: str) -> nn.Module:
    """The family as torchvision builds it, on the meta device; read only, never handed to the learner."""
    return shapes_only(get_model_builder(family))


def swap(learner, family: str, num_classes: int = K) -> tuple[nn.Module, nn.Module]:
    """(the family as built, a copy of it after the learner's swap_classifier), on the meta device."""
    model = swapped_final_layer(learner, family, shapes_only(get_model_builder(family)), num_classes,
                                FAMILIES[family])
    return as_built(family), model


@pytest.mark.parametrize("family", FAMILIES)
def test_only_the_final_layer_is_replaced(learner, family):
    original, model = swap(learner, family)
    expect_final_layer_swapped(model, original, FAMILIES[family], K, family)


@pytest.mark.parametrize("family", FAMILIES)
def test_output_has_one_score_per_class(learner, family):
    _, model = swap(learner, family)
    images = torch.empty(2, 3, 224, 224, device="meta")  # shapes only: every family's forward runs in ms
    with torch.no_grad():
        scores = run_model(model.to("meta").eval(), images, f"swap_classifier({family}, {K})")
    if tuple(scores.shape) != (2, K):
        fail(f"After swap_classifier({family}, {K}), the model's output for 2 images has shape "
             f"{tuple(scores.shape)}; expected (2, {K}): one score per class for each image. Replace "
             f"{family}'s final layer, {spelled(FAMILIES[family])}, with one giving num_classes scores.")


@pytest.mark.parametrize("family", WITH_VALUES)
def test_every_other_tensor_keeps_its_values(learner, family):
    torch.manual_seed(0)
    model = get_model(family)  # weights=None: random values, which must come through unchanged
    head = FAMILIES[family]
    before = {n: t.clone() for n, t in model.state_dict().items() if not n.startswith(head + ".")}
    swapped = swapped_final_layer(learner, family, model, K, head)
    expect_same_tensors(swapped.state_dict(), before, f"tensors of {family} outside its final layer",
                        f"Replace only {spelled(head)} on the model you were given, and return that model.")
    with torch.no_grad():
        scores = run_model(swapped.eval(), torch.rand(2, 3, 32, 32), f"swap_classifier({family}, {K})")
    if tuple(scores.shape) != (2, K):
        fail(f"After swap_classifier({family}, {K}), 2 real images gave scores of shape "
             f"{tuple(scores.shape)}; expected (2, {K}).")


def test_any_family_and_class_count(learner):
    # No shrinking: every example builds a model, and the first failure already names family and count.
    @settings(phases=(Phase.explicit, Phase.generate), report_multiple_bugs=False)
    @given(family=st.sampled_from(sorted(FAMILIES)), num_classes=st.integers(1, 2000))
    def swap_one(family: str, num_classes: int) -> None:
        original, model = swap(learner, family, num_classes)
        expect_final_layer_swapped(model, original, FAMILIES[family], num_classes, family)

    swap_one()
