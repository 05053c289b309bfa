"""Checks for exercise 01: the model is resnet18 and carries exactly the DEFAULT ImageNet weights."""

import warnings

import pytest
from torchvision.models import ResNet, ResNet18_Weights

from kata.checks import expect_same_tensors, expect_type, legacy_weights_request, names
from kata.learner import fail

RESNET18_BLOCKS = [2, 2, 2, 2]
ENUM = ("Since torchvision 0.13 the weights are named with an enum: "
        "resnet18(weights=ResNet18_Weights.DEFAULT).")
# torchvision's warnings for the old ways to ask for weights all say "deprecated since 0.13".
LEGACY_IS_AN_ERROR = pytest.mark.filterwarnings("error:.*deprecated since 0.13:UserWarning")


def test_uses_the_weights_enum_not_deprecated_pretrained(learner):
    on_import = legacy_weights_request(learner.import_warnings)
    if on_import:
        fail(f"Importing your file already loads weights with {on_import}. That code runs at module "
             f"level, before load_pretrained() is called: build the model inside load_pretrained(), "
             f"with the enum. {ENUM}")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        learner.load_pretrained()
    asked = legacy_weights_request(caught)
    if asked:
        fail(f"load_pretrained() asked for {asked}. {ENUM}")


@LEGACY_IS_AN_ERROR
def test_model_is_a_resnet18(learner):
    model = learner.load_pretrained()
    expect_type(model, ResNet, "load_pretrained()")
    blocks = [len(getattr(model, f"layer{i}")) for i in range(1, 5)]
    if blocks != RESNET18_BLOCKS:
        fail(f"The model is a ResNet with {blocks} blocks per stage, but resnet18 has "
             f"{RESNET18_BLOCKS}. Build it with resnet18(...), not another depth.")


@LEGACY_IS_AN_ERROR
def test_every_tensor_matches_the_default_weights(learner, checkpoint):
    model = learner.load_pretrained()
    expect_type(model, ResNet, "load_pretrained()")
    expect_same_tensors(
        model.state_dict(), checkpoint, "tensors of the ResNet18_Weights.DEFAULT checkpoint",
        "The model is not carrying the pretrained weights (random init?): "
        "build it with resnet18(weights=ResNet18_Weights.DEFAULT).",
    )


def test_categories_come_from_the_weights_metadata(learner):
    categories = learner.imagenet_categories()
    expect_type(categories, list, "imagenet_categories()")
    expected = ResNet18_Weights.DEFAULT.meta["categories"]
    if categories != expected:
        wrong = [str(c) for c, e in zip(categories, expected) if c != e]
        fail(f"imagenet_categories() returned {len(categories)} names; the weights' metadata "
             f"lists {len(expected)} (first: {expected[0]!r})"
             + (f", and these differ: {names(wrong)}" if wrong else "")
             + ". Return the list stored in ResNet18_Weights.DEFAULT.meta[\"categories\"].")
