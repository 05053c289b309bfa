"""Hidden checks for exercise 09: families the visible checks never show, and a head swapped before."""

import copy

import pytest
from torchvision.models import get_model_builder

from kata.checks import expect_final_layer_swapped, shapes_only, structure_of, swapped_final_layer

OTHER_FAMILIES = {  # family: where torchvision 0.29 keeps its final layer
    "alexnet": "classifier.6",
    "mobilenet_v3_large": "classifier.3",
    "mnasnet0_5": "classifier.1",
    "shufflenet_v2_x0_5": "fc",
    "efficientnet_v2_s": "classifier.1",
    "maxvit_t": "classifier.5",  # after a pool, Flatten, LayerNorm, Linear and Tanh
    "squeezenet1_0": "classifier.1",
}


@pytest.mark.parametrize("family", OTHER_FAMILIES)
def test_families_not_shown_in_the_checks(learner, family):
    build = get_model_builder(family)
    model = swapped_final_layer(learner, family, shapes_only(build), 11, OTHER_FAMILIES[family])
    expect_final_layer_swapped(model, structure_of(build), OTHER_FAMILIES[family], 11, family)


@pytest.mark.parametrize("family", ["convnext_tiny", "squeezenet1_1"])
def test_a_second_swap_replaces_the_first(learner, family):
    head = "classifier.2" if family == "convnext_tiny" else "classifier.1"
    once = swapped_final_layer(learner, family, shapes_only(get_model_builder(family)), 3, head)
    before = shapes_only(get_model_builder(family))
    before.set_submodule(head, copy.deepcopy(once.get_submodule(head)))  # the family as it stood after the first swap
    twice = swapped_final_layer(learner, f"{family} (swapped once, to 3 classes)", once, 5, head)
    expect_final_layer_swapped(twice, before, head, 5, f"{family} after a second swap (3 classes, then 5)")
