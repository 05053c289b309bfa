"""Hidden check for exercise 08: all three classes, another image size, another batch size."""

from pathlib import Path

from kata.checks import expect_linear_head, expect_only_head_trainable
from kata.training import copy_subset, run_training

DATA = Path(__file__).resolve().parent / "data"
PER_CLASS = {"train": 2, "val": 1}


def test_every_class_of_the_data_gets_a_score(learner, tmp_path):
    classes = sorted(p.name for p in (DATA / "train").iterdir() if p.is_dir())
    copy_subset(DATA, tmp_path, classes, PER_CLASS)
    call = f"train(data_dir=<{len(classes)} classes>, epochs=2, batch_size=3, image_size=48)"
    run = run_training(lambda: learner.train(data_dir=tmp_path, epochs=2, lr=1e-3, batch_size=3,
                                             image_size=48, seed=1), epochs=2, what=call)
    expect_linear_head(run.model, 512, len(classes), where=f"With {len(classes)} classes in the data, ")
    expect_only_head_trainable(run.model)
