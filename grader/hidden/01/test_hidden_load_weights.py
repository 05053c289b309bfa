"""Hidden checks for exercise 01: every call hands out its own model and its own list of names."""

from torchvision.models import ResNet, ResNet18_Weights

from kata.checks import expect_type
from kata.learner import fail


def test_each_call_builds_a_model_of_its_own(learner):
    first, second = learner.load_pretrained(), learner.load_pretrained()
    expect_type(first, ResNet, "load_pretrained()")
    if first is second or first.fc.weight.data_ptr() == second.fc.weight.data_ptr():
        fail("Two calls of load_pretrained() returned the same model (or models sharing their tensors). "
             "A caller that swaps the head or fine-tunes one model would change the other: build a "
             "fresh resnet18(weights=ResNet18_Weights.DEFAULT) on every call.")


def test_editing_the_returned_names_leaves_the_weights_metadata_alone(learner):
    shared = ResNet18_Weights.DEFAULT.meta["categories"]
    saved = list(shared)
    try:
        names = learner.imagenet_categories()
        expect_type(names, list, "imagenet_categories()")
        names.clear()
        intact = len(shared) == len(saved)
    finally:
        shared[:] = saved  # leave the metadata as it was, whatever the code did
    if not intact:
        fail("imagenet_categories() returned the weights' own list: a caller that edits it (sorts, "
             "filters, clears it) corrupts ResNet18_Weights.DEFAULT.meta for the whole program. "
             "Return a copy: list(ResNet18_Weights.DEFAULT.meta[\"categories\"]).")
