"""Hidden check for exercise 07: image modes the visible checks never show."""

import random

import torch
from PIL import Image
from torchvision.models import ResNet18_Weights

from kata.checks import expect_type
from kata.learner import fail

TRANSFORM = ResNet18_Weights.DEFAULT.transforms()


def test_rarer_image_modes_become_the_same_rgb_tensor(learner):
    rng = random.Random(7)
    base = Image.frombytes("RGB", (90, 70), rng.randbytes(3 * 90 * 70))
    for mode in ("1", "I", "F", "YCbCr", "HSV", "PA"):
        image = base.convert("P").convert(mode) if mode == "PA" else base.convert(mode)
        out, error = learner.attempt("preprocess", image)
        if error is not None:
            fail(f"preprocess crashed on a mode-{mode} image: {type(error).__name__}: {error}. Convert "
                 f"every image with image.convert(\"RGB\"), whatever its mode, before the transforms.")
        expect_type(out, torch.Tensor, "preprocess(image)")
        want = TRANSFORM(image.convert("RGB"))
        if tuple(out.shape) != tuple(want.shape) or not torch.allclose(out, want, rtol=0, atol=0.025):
            fail(f"preprocess gave the wrong tensor for a mode-{mode} image. Convert any mode with "
                 f"image.convert(\"RGB\"), then apply ResNet18_Weights.DEFAULT.transforms().")
