"""Hidden check for exercise 10: all three classes, another learning rate, one epoch per stage."""

from pathlib import Path


from kata.checks import expect_linear_head, expect_optimizer_holds
from kata.learner import fail
from kata.training import attempt_stepped, copy_subset, ran

DATA = Path(__file__).resolve().parent.parent / "08" / "data"
PER_CLASS = {"train": 2, "val": 1}
LR = 2e-3


def test_stage_2_rates_follow_lr_on_every_class(learner, tmp_path):
    classes = sorted(p.name for p in (DATA / "train").iterdir() if p.is_dir())
    copy_subset(DATA, tmp_path, classes, PER_CLASS)
    stepped = attempt_stepped(lambda: learner.train(data_dir=tmp_path, head_epochs=1, fine_tune_epochs=1, lr=LR,
                                                    batch_size=6, image_size=48, seed=1), 2, extra_keys=("stage",))
    run = ran(stepped.outcome)
    expect_linear_head(run.model, 512, len(classes), where=f"With {len(classes)} classes in the data, ")
    if [row["stage"] for row in run.history] != [1, 2] or len(stepped.steps) != 2:
        fail("With head_epochs=1, fine_tune_epochs=1 and one batch per epoch, expected stages [1, 2] and "
             f"2 optimizer steps; got {[row['stage'] for row in run.history]} and {len(stepped.steps)}.")
    last = stepped.steps[-1]
    expect_optimizer_holds(last.optimizer, run.model,
                           [n for n, _ in run.model.named_parameters() if n.startswith(("layer4.", "fc."))],
                           "Stage 2 trains layer4 and the head.")
    rates = {n: last.lrs[id(p)][0] for n, p in run.model.named_parameters()
             if id(p) in last.lrs}
    head = max(lr for n, lr in rates.items() if n.startswith("fc."))
    layer4 = max(lr for n, lr in rates.items() if n.startswith("layer4."))
    if head > LR / 10 * 1.0001 or layer4 > LR / 100 * 1.0001:
        fail(f"train(lr={LR:g}) fine-tuned the head at {head:g} and layer4 at {layer4:g}: stage 2's rates come "
             f"from lr (lr / 10 and lr / 100), not from numbers typed in.")


