"""Checks for exercise 09: the final layer of any torchvision family replaced, and nothing else.

Most checks build each family on the meta device (shapes, no values: milliseconds, no memory) and
read the structure; the forward pass runs there too, which is enough to show the output's shape.
Two small families are built with real values to show that every other tensor keeps its values.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import torch
from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from torch import nn
from torchvision.models import get_model, get_model_builder

from kata.checks import (
    expect_final_layer_swapped, expect_same_tensors, run_model, shapes_only, spelled, structure_of,
    swapped_final_layer,
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
WITH_VALUES = ("mobilenet_v3_small", "squeezenet1_1")  # small enough to build with real values
K = 7  # neither 1000 nor any family's width


def as_built(family: str) -> nn.Module:
    """The family as torchvision builds it, on the meta device; read only, never handed to the learner."""
    return structure_of(get_model_builder(family))


def swap(learner, family: str, num_classes: int) -> nn.Module:
    """A copy of the family on the meta device, after the learner's swap_classifier(model, num_classes)."""
    return swapped_final_layer(learner, family, shapes_only(get_model_builder(family)), num_classes,
                               FAMILIES[family])


@pytest.fixture(scope="module")
def swapped(learner) -> Callable[[str], nn.Module]:
    """swap(learner, family, K), once per family for the checks that follow (a failure is re-raised)."""
    done: dict[str, nn.Module | str] = {}

    def swapped_family(family: str) -> nn.Module:
        __tracebackhide__ = True
        if family not in done:
            try:
                done[family] = swap(learner, family, K)
            except pytest.fail.Exception as failure:
                done[family] = str(failure)
        if isinstance(done[family], str):
            fail(done[family])
        return done[family]

    return swapped_family


@pytest.mark.parametrize("family", FAMILIES)
def test_only_the_final_layer_is_replaced(swapped, family):
    expect_final_layer_swapped(swapped(family), as_built(family), FAMILIES[family], K, family)


@pytest.mark.parametrize("family", FAMILIES)
def test_output_has_one_score_per_class(swapped, family):
    model = swapped(family).to("meta").eval()  # a head the learner made on the CPU joins the rest
    images = torch.empty(2, 3, 224, 224, device="meta")  # shapes only: every family's forward runs in ms
    with torch.no_grad():
        scores = run_model(model, images, f"swap_classifier({family}, {K})")
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


def test_real_images_get_one_score_per_class(learner):
    family = "squeezenet1_1"  # its final layer is a conv, followed by ReLU and pooling: the odd one out
    torch.manual_seed(0)
    swapped = swapped_final_layer(learner, family, get_model(family), K, FAMILIES[family])
    with torch.no_grad():
        scores = run_model(swapped.eval(), torch.rand(2, 3, 32, 32), f"swap_classifier({family}, {K})")
    if tuple(scores.shape) != (2, K):
        fail(f"After swap_classifier({family}, {K}), 2 real images gave scores of shape "
             f"{tuple(scores.shape)}; expected (2, {K}).")


def test_any_family_and_class_count(learner):
    # No shrinking: every example builds a model, and the first failure already names family and count.
    @settings(max_examples=8, phases=(Phase.explicit, Phase.generate), report_multiple_bugs=False)
    @given(family=st.sampled_from(sorted(FAMILIES)), num_classes=st.integers(1, 2000))
    def swap_one(family: str, num_classes: int) -> None:
        model = swap(learner, family, num_classes)
        expect_final_layer_swapped(model, as_built(family), FAMILIES[family], num_classes, family)

    swap_one()
