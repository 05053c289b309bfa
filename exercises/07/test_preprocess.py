"""Checks for exercise 07: any picture becomes the tensor resnet18's ImageNet weights were trained on.

When the output is wrong, the checks fit it against the usual wrong pipelines (no Normalize, other
mean/std, a squashing resize, ...) and name the one it matches.
"""

import contextlib
import random
from collections.abc import Callable, Iterator

import torch
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image
from torchvision.models import ResNet18_Weights
from torchvision.transforms import functional as F

from kata.checks import expect_type
from kata.learner import fail

WEIGHTS_TRANSFORM = ResNet18_Weights.DEFAULT.transforms()
MEAN, STD = tuple(WEIGHTS_TRANSFORM.mean), tuple(WEIGHTS_TRANSFORM.std)
SHAPE = (3, 224, 224)
ATOL = 0.025  # about one grey level after normalising: tensor and PIL resizing may round differently
MODES = ["L", "RGBA", "P", "LA", "CMYK"]
FIX = "Use the weights' own pipeline: ResNet18_Weights.DEFAULT.transforms()(image.convert(\"RGB\"))."

# How the image is resized and cut to 224 x 224, right one first: (description, PIL -> PIL).
GEOMETRIES: list[tuple[str, Callable[[Image.Image], Image.Image]]] = [
    ("Resize(256) + CenterCrop(224)", lambda im: F.center_crop(F.resize(im, 256), 224)),
    ("Resize((224, 224)), which squashes the whole image into a square and distorts its shapes, "
     "instead of Resize(256) + CenterCrop(224)", lambda im: F.resize(im, [224, 224])),
    ("Resize(224) + CenterCrop(224), which keeps more of the border than the weights saw, instead "
     "of Resize(256) + CenterCrop(224)", lambda im: F.center_crop(F.resize(im, 224), 224)),
    ("CenterCrop(224) without resizing first, instead of Resize(256) + CenterCrop(224)",
     lambda im: F.center_crop(im, 224)),
]


def picture(width: int, height: int, mode: str = "RGB") -> Image.Image:
    """Seeded noise of the given size and mode: the same picture on every run."""
    rng = random.Random(width * 100_003 + height)
    if mode == "P":
        image = Image.frombytes("P", (width, height), rng.randbytes(width * height))
        image.putpalette(rng.randbytes(768))
        return image
    rgb = Image.frombytes("RGB", (width, height), rng.randbytes(3 * width * height))
    return rgb if mode == "RGB" else rgb.convert("L" if mode == "LA" else mode).convert(mode)


def expected(image: Image.Image) -> torch.Tensor:
    return WEIGHTS_TRANSFORM(image.convert("RGB"))


def described(image: Image.Image) -> str:
    return f"a {image.width}x{image.height} mode-{image.mode} image"


@contextlib.contextmanager
def seeded(seed: int) -> Iterator[None]:
    """torch's and Python's global RNGs seeded for one call, and restored afterwards: random
    augmentation then gives the same tensor on every run, and another one under another seed."""
    python_state = random.getstate()
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        random.seed(seed)
        try:
            yield
        finally:
            random.setstate(python_state)


def preprocessed(learner, image: Image.Image, seed: int = 0) -> torch.Tensor:
    """preprocess(image), after checking it is a float32 (3, 224, 224) tensor."""
    with seeded(seed):
        out, error = learner.attempt("preprocess", image)
    if error is not None:
        advice = ("Normalize expects exactly 3 channels, and this mode has "
                  f"{len(image.getbands())}: convert with image.convert(\"RGB\") first."
                  if image.mode != "RGB" else FIX)
        fail(f"preprocess crashed on {described(image)}: {type(error).__name__}: {error}. {advice}")
    expect_type(out, torch.Tensor, "preprocess(image)")
    shape = tuple(out.shape)
    if shape == (1, *SHAPE):
        fail(f"preprocess returned shape {shape}: one image, no batch dimension, please. Return "
             f"shape {SHAPE}; the DataLoader stacks images into batches.")
    if image.mode != "RGB" and shape[:1] != (3,) and shape[1:] == SHAPE[1:]:
        fail(f"preprocess turned {described(image)} into {shape[0]} channels; the weights expect 3 "
             f"(RGB). Convert with image.convert(\"RGB\") before the transforms.")
    if shape != SHAPE:
        fail(f"preprocess returned shape {shape} for {described(image)}; the weights expect {SHAPE}: "
             f"resize the shorter side to 256, then cut the central 224 x 224. {FIX}")
    if out.dtype != torch.float32:
        fail(f"preprocess returned a {out.dtype} tensor; the model computes in float32 on values "
             f"normalised with ImageNet's mean and std. {FIX}")
    return out


def fitted_normalisation(out: torch.Tensor, pixels: torch.Tensor) -> tuple[list[float], list[float]] | None:
    """The per-channel (mean, std) with `out ~ (pixels - mean) / std`, if such a fit is near exact."""
    out, pixels = out.double().flatten(1), pixels.double().flatten(1)
    means, stds = [], []
    for y, x in zip(out, pixels):
        spread = (x - x.mean()).square().mean()
        if spread < 1e-6:
            return None
        scale = ((x - x.mean()) * (y - y.mean())).mean() / spread
        shift = y.mean() - scale * x.mean()
        if scale.abs() < 1e-6 or (scale * x + shift - y).abs().max() > 2 / 255 * scale.abs() + 1e-4:
            return None
        stds.append((1 / scale).item())
        means.append((-shift / scale).item())
    return means, stds


def close(values: list[float], target: tuple[float, ...], tol: float = 0.01) -> bool:
    return all(abs(v - t) <= tol for v, t in zip(values, target))


def rounded(values: list[float]) -> str:
    return "[" + ", ".join(f"{v:.3g}" for v in values) + "]"


def diagnosis(learner, out: torch.Tensor, image: Image.Image) -> str:
    """What `out` is, in terms of the usual wrong pipelines, and what to change."""
    if not torch.equal(out, preprocessed(learner, image, seed=1)):
        return (f"It changes from call to call (another random state, another tensor): random "
                f"augmentation (RandomResizedCrop, RandomHorizontalFlip, ...) belongs in training, not "
                f"in the preprocessing for prediction. {FIX}")
    rgb = image.convert("RGB")
    for where, geometry in GEOMETRIES:
        fit = fitted_normalisation(out, F.to_tensor(geometry(rgb)))
        if fit is None:
            continue
        mean, std = fit
        steps = [] if where.startswith("Resize(256) + CenterCrop(224)") else [where]
        if close(mean, (0, 0, 0)) and close(std, (1, 1, 1)):
            steps.append("ToTensor() without Normalize: values from 0 to 1, never normalised with "
                         f"ImageNet's mean {list(MEAN)} and std {list(STD)}")
        elif close(mean, tuple(m / 255 for m in MEAN), 1e-4) and close(std, tuple(s / 255 for s in STD), 1e-4):
            steps.append("Normalize applied to pixel values 0..255: scale them to 0..1 first "
                         "(ToTensor, or ToDtype(torch.float32, scale=True))")
        elif not (close(mean, MEAN) and close(std, STD)):
            steps.append(f"Normalize(mean={rounded(mean)}, std={rounded(std)}) instead of ImageNet's "
                         f"mean {list(MEAN)} and std {list(STD)}")
        if steps:
            return f"Your output matches {'; and '.join(steps)}. {FIX}"
    gap = (out - expected(image)).abs().max().item()
    return (f"It differs from what the weights' transforms make of it by up to {gap:.3g} and matches "
            f"none of the usual mistakes (no Normalize, another mean/std, squashing, another crop). {FIX}")


def expect_weights_pipeline(learner, image: Image.Image) -> None:
    out = preprocessed(learner, image)
    if not torch.allclose(out, expected(image), rtol=0, atol=ATOL):
        fail(f"preprocess gave the wrong tensor for {described(image)}. {diagnosis(learner, out, image)}")


def test_returns_a_3x224x224_float_tensor(learner):
    preprocessed(learner, picture(320, 240))


def test_same_image_gives_the_same_tensor(learner):
    image = picture(300, 260)
    first, second = preprocessed(learner, image, seed=0), preprocessed(learner, image, seed=1)
    if not torch.equal(first, second):
        fail("preprocess gave two different tensors for the same image: random augmentation "
             "(RandomResizedCrop, RandomHorizontalFlip, ...) belongs in training, not in the "
             f"preprocessing for prediction. {FIX}")


def test_matches_the_weights_own_transforms(learner):
    expect_weights_pipeline(learner, picture(320, 240))


@given(mode=st.sampled_from(MODES))
def test_every_image_mode_becomes_rgb(learner, mode):
    expect_weights_pipeline(learner, picture(60, 45, mode))


WIDE_OR_TALL = st.builds(
    lambda short, ratio, wide: (short * ratio, short) if wide else (short, short * ratio),
    st.integers(1, 24), st.integers(4, 16), st.booleans(),
)


@given(size=st.one_of(st.tuples(st.integers(1, 64), st.integers(1, 64)), WIDE_OR_TALL,
                      st.tuples(st.integers(200, 400), st.integers(200, 400))),
       mode=st.sampled_from(["RGB", *MODES]))
def test_any_size_and_mode_matches_the_weights_transforms(learner, size, mode):
    expect_weights_pipeline(learner, picture(*size, mode))
