"""Checks for exercise 05: each mode trains the right params, at a learning rate that suits it."""

import copy
import math
import string

from hypothesis import given
from hypothesis import strategies as st

from kata.checks import (
    expect_adam,
    expect_linear_head,
    expect_only_head_trainable,
    expect_optimizer_holds,
    head_params,
    learning_rates,
    model_and_optimizer,
    names,
)
from kata.learner import fail

NUM_CLASSES = 3
IN_FEATURES = 512
MODES = ("feature_extraction", "fine_tuning")
FEATURE_EXTRACTION_LR = (1e-4, 1e-2)  # a fresh head: about 1e-3 with Adam
FINE_TUNING_LR = (1e-6, 1e-4)  # pretrained weights: small steps, yet enough to learn
MIN_RATIO = 10  # fine-tuning at least this many times below feature extraction
NEAR_MISSES = ["finetune", "fine-tuning", "Fine_Tuning", "feature extraction", "FEATURE_EXTRACTION",
               "features", "fine_tuning ", "", "train_all", "frozen"]


def configured(learner, model, mode):
    model, optimizer = model_and_optimizer(learner, "configure", model, NUM_CLASSES, mode)
    expect_adam(optimizer, f'configure(model, {NUM_CLASSES}, "{mode}")')
    return model, optimizer


def group_of(optimizer, model, rate: float) -> str:
    """" (the param group holding fc.weight, fc.bias)" when the optimizer's groups have several rates
    and this one is judged; "" when there is one rate, so the message need not say which group."""
    if len(set(learning_rates(optimizer))) == 1:
        return ""
    by_id = {id(p): n for n, p in model.named_parameters()}
    group = next(g for g in optimizer.param_groups if math.isclose(float(g["lr"]), rate))
    return f" (the param group holding {names(by_id.get(id(p), '?') for p in group['params'])})"


def test_feature_extraction_trains_only_the_head(learner, pretrained):
    model, optimizer = configured(learner, pretrained, "feature_extraction")
    expect_linear_head(model, IN_FEATURES, NUM_CLASSES)
    expect_only_head_trainable(model)
    expect_optimizer_holds(optimizer, model, head_params(model),
                           "In feature extraction the optimizer gets the head's params only: "
                           "torch.optim.Adam(model.fc.parameters(), lr=...).")


def test_fine_tuning_trains_every_parameter(learner, pretrained):
    model, optimizer = configured(learner, pretrained, "fine_tuning")
    expect_linear_head(model, IN_FEATURES, NUM_CLASSES)
    frozen = [n for n, p in model.named_parameters() if not p.requires_grad]
    if frozen:
        fail(f"In fine-tuning mode {len(frozen)} params are still frozen (requires_grad=False): "
             f"{names(frozen)}. Fine-tuning trains the backbone too; freeze only in "
             f"feature-extraction mode, or this \"fine-tuning\" is a head on a frozen backbone.")
    expect_optimizer_holds(optimizer, model, [n for n, _ in model.named_parameters()],
                           "Fine-tuning hands every parameter to the optimizer: "
                           "torch.optim.Adam(model.parameters(), lr=...).")


def test_feature_extraction_lr_is_about_1e_3(learner, pretrained):
    _, optimizer = configured(learner, pretrained, "feature_extraction")
    rates, (low, high) = learning_rates(optimizer), FEATURE_EXTRACTION_LR
    band = f"Use about 1e-3 (anything from {low:g} to {high:g})."
    if min(rates) < low:
        fail(f"Feature extraction uses lr={min(rates):g}. The new head starts from random numbers and "
             f"at that rate needs far more steps to learn anything. {band}")
    if max(rates) > high:
        fail(f"Feature extraction uses lr={max(rates):g}: steps that large make even a single linear "
             f"head overshoot and bounce around. {band}")


def test_fine_tuning_lr_is_ten_times_lower_than_feature_extraction(learner, pretrained):
    _, head_only = configured(learner, copy.deepcopy(pretrained), "feature_extraction")
    model, everything = configured(learner, pretrained, "fine_tuning")
    fe, ft = max(learning_rates(head_only)), max(learning_rates(everything))
    group = group_of(everything, model, ft)
    if math.isclose(ft, fe) and not group:
        fail(f"Both modes use lr={fe:g}: one learning rate for both modes. That rate suits a fresh "
             f"head, but fine-tuning moves every pretrained weight and needs steps at least "
             f"{MIN_RATIO}x smaller (e.g. {fe / MIN_RATIO:g}). Give each mode its own rate.")
    if math.isclose(ft, fe):
        fail(f"Fine-tuning uses lr={ft:g}{group}, as high as feature extraction's {fe:g}. In "
             f"fine-tuning every param group, the head's included, must go at least {MIN_RATIO}x "
             f"lower than the head-only rate (e.g. {fe / MIN_RATIO:g}): lower this group's rate too.")
    if ft > fe:
        fail(f"Fine-tuning uses lr={ft:g}{group}, higher than feature extraction's {fe:g}. With every "
             f"pretrained weight learning, steps that big erase the pretrained features you loaded "
             f"the weights for. Go at least {MIN_RATIO}x lower than the head-only rate "
             f"(e.g. {fe / MIN_RATIO:g}).")
    if ft * MIN_RATIO > fe * (1 + 1e-6):
        fail(f"Fine-tuning's lr={ft:g}{group} is only {fe / ft:.1f}x lower than feature extraction's "
             f"{fe:g}. Make it at least {MIN_RATIO}x lower (e.g. {fe / MIN_RATIO:g}) so the pretrained "
             f"weights move in small steps.")


def test_fine_tuning_lr_keeps_the_pretrained_features(learner, pretrained):
    model, optimizer = configured(learner, pretrained, "fine_tuning")
    rates, (low, high) = learning_rates(optimizer), FINE_TUNING_LR
    if max(rates) > high * (1 + 1e-6):
        fail(f"Fine-tuning uses lr={max(rates):g}{group_of(optimizer, model, max(rates))}. With every "
             f"pretrained weight learning, steps that large erase the pretrained features within a few "
             f"batches. Stay at or below {high:g} (1e-4 and 1e-5 are common picks).")
    if min(rates) < low * (1 - 1e-6):
        fail(f"Fine-tuning uses lr={min(rates):g}{group_of(optimizer, model, min(rates))}: the weights "
             f"would barely move in any sensible number of epochs. Stay between {low:g} and {high:g}.")


MODE_LIKE = st.text(alphabet=string.ascii_letters + "_- ", max_size=20)  # plain words: cheap to draw


@given(mode=st.one_of(st.sampled_from(NEAR_MISSES), MODE_LIKE).filter(lambda m: m not in MODES))
def test_unknown_mode_raises_value_error(learner, pretrained, mode):
    _, error = learner.attempt("configure", pretrained, NUM_CLASSES, mode)
    valid = " or ".join(f'"{m}"' for m in MODES)
    if error is None:
        fail(f"configure(model, {NUM_CLASSES}, {mode!r}) went ahead without complaint. A typo must not "
             f"silently pick one of the modes: raise ValueError for anything but {valid}.")
    if not isinstance(error, ValueError):
        fail(f"configure(model, {NUM_CLASSES}, {mode!r}) raised {type(error).__name__}: {error}. "
             f"An unknown mode is a bad value: raise ValueError naming {valid}.")
    unnamed = [m for m in MODES if m not in str(error)]
    if unnamed:  # a message that repeats the bad mode (20 letters at most) can hold one valid name, never both
        fail(f"configure(model, {NUM_CLASSES}, {mode!r}) raised ValueError({str(error)!r}), which does "
             f"not name {' or '.join(map(repr, unnamed))}. Tell the caller which modes exist: "
             f"raise ValueError(f\"unknown mode {{mode!r}}: use {valid}\").")
