"""Checks for exercise 06: prediction runs in eval mode with autograd off, so each image stands alone."""

import copy

import torch
from hypothesis import given
from hypothesis import strategies as st

from kata.checks import buffer_state, expect_same_tensors, expect_type, names
from kata.learner import fail

IMAGE_SIZE = 40  # small, yet train-mode BatchNorm still works on a single image (layer4 is 2x2)
NUM_SCORES = 1000  # the pretrained head: one score per ImageNet class
TOLERANCE = dict(rtol=1e-4, atol=1e-4)  # batch size changes only float rounding in eval mode


def images(count: int, seed: int = 0) -> torch.Tensor:
    return torch.randn(count, 3, IMAGE_SIZE, IMAGE_SIZE, generator=torch.Generator().manual_seed(seed))


def scores(learner, model, batch: torch.Tensor) -> torch.Tensor:
    """predict's answer, after checking it is one row of raw scores per image."""
    out = learner.predict(model, batch)
    expect_type(out, torch.Tensor, "predict(model, images)")
    if tuple(out.shape) != (len(batch), NUM_SCORES):
        fail(f"predict(model, images) returned shape {tuple(out.shape)} for {len(batch)} images. Return "
             f"the model's raw scores, one row per image: shape ({len(batch)}, {NUM_SCORES}).")
    return out


def test_returns_one_row_of_scores_per_image(learner, pretrained):
    scores(learner, pretrained, images(3))


def test_forward_runs_without_autograd(learner, pretrained):
    seen = []  # per forward: (autograd on?, did conv1.weight require grad?)
    hook = pretrained.conv1.register_forward_pre_hook(
        lambda conv, _: seen.append((torch.is_grad_enabled(), conv.weight.requires_grad)))
    try:
        out = scores(learner, pretrained, images(2))
    finally:
        hook.remove()
    frozen = [n for n, p in pretrained.named_parameters() if not p.requires_grad]
    if not seen:
        fail("predict never ran the model's layers on the images. Return model(images).")
    if out.requires_grad:
        fail("The scores carry an autograd graph (requires_grad=True): every activation of the forward "
             "pass is kept for a backward pass that never comes. Run the forward pass inside "
             "`with torch.no_grad():` (eval() does not turn autograd off).")
    if any(grad and not flag for grad, flag in seen) or frozen:
        left = (f" and left {len(frozen)} of them frozen ({names(frozen)}), so the model no longer "
                f"trains afterwards" if frozen else "")
        fail(f"predict switched off requires_grad on the model's parameters{left}. Autograd stayed on "
             f"during the forward pass; the flags say what training may change, not whether a "
             f"graph is recorded. Leave them alone and run the forward pass inside "
             f"`with torch.no_grad():`.")
    if any(grad for grad, _ in seen):
        fail("The scores were detached, but the forward pass ran with autograd on, so the graph was "
             "built anyway and then thrown away. Run the forward pass inside `with torch.no_grad():` "
             "instead of detaching afterwards.")


@given(batch_size=st.integers(min_value=2, max_value=5))
def test_an_image_scores_the_same_in_any_batch(learner, pretrained, batch_size):
    batch = images(batch_size, seed=batch_size)
    in_batch = scores(learner, pretrained, batch)[:1]
    alone = scores(learner, pretrained, batch[:1])
    if not torch.allclose(in_batch, alone, **TOLERANCE):
        gap = (in_batch - alone).abs().max().item()
        fail(f"The first image's scores change with the batch it comes in: in a batch of {batch_size} "
             f"and alone they differ by up to {gap:.3g}. In train mode BatchNorm normalises with the "
             f"batch's own statistics. Call model.eval() before predicting: torch.no_grad() does not "
             f"switch BatchNorm.")


def test_batchnorm_statistics_stay_unchanged(learner, pretrained):
    before = buffer_state(pretrained)
    scores(learner, pretrained, images(4))
    expect_same_tensors(
        buffer_state(pretrained), before, "BatchNorm buffers (running_mean, running_var, num_batches_tracked)",
        "Predicting in train mode folded these images into BatchNorm's running averages, so the model "
        "changes every time it predicts. Call model.eval() before the forward pass.",
    )


def test_scores_equal_the_eval_mode_forward(learner, pretrained):
    batch = images(3)
    with torch.no_grad():
        expected = copy.deepcopy(pretrained).eval()(batch)
    got = scores(learner, pretrained, batch)
    if torch.allclose(got, expected, **TOLERANCE):
        return
    if torch.allclose(got, expected.softmax(dim=1), **TOLERANCE):
        fail("predict returned probabilities (softmax of the scores). Return the raw scores (logits) "
             "the model gives; apply softmax where you need probabilities.")
    gap = (got - expected).abs().max().item()
    fail(f"predict's scores differ from the model's eval-mode forward pass by up to {gap:.3g}. Return "
         f"model(images) computed after model.eval(), inside torch.no_grad(), unchanged.")
