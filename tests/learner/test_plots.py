"""kata.tools.plots: PNG pictures of training when matplotlib is there, one clear message when it is not."""

from __future__ import annotations

import importlib.util
import sys

import pytest
import torch

from kata.tools import plots

HAVE_MATPLOTLIB = importlib.util.find_spec("matplotlib") is not None
needs_matplotlib = pytest.mark.skipif(not HAVE_MATPLOTLIB, reason="matplotlib (the plot extra) not installed")
PNG = b"\x89PNG\r\n\x1a\n"

HISTORY = [{"epoch": e, "train_loss": 1.0 / e, "val_accuracy": 0.5 + 0.1 * e, "seconds": 0.8} for e in (1, 2, 3)]


def batch(count: int = 6) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    generator = torch.Generator().manual_seed(0)
    images = torch.randn(count, 3, 32, 32, generator=generator, requires_grad=True)  # as a model sees them
    actual = torch.arange(count) % 3
    predicted = actual.clone()
    predicted[1] = 2
    return images, predicted, actual


def test_without_matplotlib_the_message_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)  # makes the import fail
    with pytest.raises(plots.PlottingUnavailable, match=r"pip install -e '\.\[plot\]'") as caught:
        plots.plot_history(HISTORY, tmp_path / "history.png")
    assert isinstance(caught.value, ImportError) and "matplotlib" in str(caught.value)
    assert not (tmp_path / "history.png").exists()


@needs_matplotlib
def test_history_is_saved_as_a_png(tmp_path):
    path = plots.plot_history(HISTORY, tmp_path / "pictures" / "history.png")
    assert path == tmp_path / "pictures" / "history.png"
    assert path.read_bytes()[:8] == PNG and path.stat().st_size > 10_000


@needs_matplotlib
def test_predictions_grid_is_saved_as_a_png_from_tensors_with_grad(tmp_path):
    images, predicted, actual = batch()
    path = plots.plot_predictions(images, predicted, actual, ["brick", "grass", "gravel"], tmp_path / "p.png")
    assert path.read_bytes()[:8] == PNG and path.stat().st_size > 5_000


@needs_matplotlib
def test_predictions_accept_lists_and_raw_pixels(tmp_path):
    images = torch.rand(2, 3, 16, 16)
    path = plots.plot_predictions(images, [0, 1], [0, 0], ["a", "b"], tmp_path / "p.png", normalised=False)
    assert path.read_bytes()[:8] == PNG


@pytest.mark.parametrize(("history", "message"), [
    ([], "empty history"),
    ([{"epoch": 1, "train_loss": 0.5}], "has no val_accuracy"),
    ([(1, 0.5, 0.9)], "should be a dict with keys epoch, train_loss, val_accuracy, seconds"),
])
def test_a_malformed_history_is_explained(history, message, tmp_path):
    with pytest.raises((ValueError, TypeError), match=message):
        plots.plot_history(history, tmp_path / "h.png")


@needs_matplotlib
def test_mismatched_predictions_are_explained(tmp_path):
    images, predicted, actual = batch(4)
    with pytest.raises(ValueError, match="4 images, 3 predictions and 4 labels"):
        plots.plot_predictions(images, predicted[:3], actual, ["a", "b", "c"], tmp_path / "p.png")


class Labelled(torch.utils.data.Dataset):
    """Nine 3x8x8 images, three per class, sorted by class as ImageFolder sorts them."""

    classes = ["brick", "grass", "gravel"]

    def __len__(self) -> int:
        return 9

    def __getitem__(self, index: int):
        return torch.full((3, 8, 8), float(index)), index // 3


@needs_matplotlib
def test_plot_validation_spreads_over_the_classes_and_restores_the_model_mode(tmp_path):
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(3 * 8 * 8, 3), torch.nn.Dropout())
    model.train()
    loader = torch.utils.data.DataLoader(Labelled(), batch_size=2)
    images, predicted, confidence, actual = plots.predictions_of(model, loader, limit=3)
    assert actual.tolist() == [0, 1, 2] and images.shape == (3, 3, 8, 8) and predicted.shape == (3,)
    assert ((confidence > 0) & (confidence <= 1)).all()
    path = plots.plot_validation(model, loader, tmp_path / "val.png")
    assert path.read_bytes()[:8] == PNG
    assert model.training  # handed back in the mode it came in


TRAINING = '''
from pathlib import Path

import torch

DATA = Path(__file__).parent


class Tiny(torch.utils.data.Dataset):
    classes = ["brick", "grass"]

    def __len__(self):
        return 4

    def __getitem__(self, index):
        return torch.rand(3, 8, 8), index % 2


def make_loaders(data_dir, image_size=8, batch_size=2):
    loader = torch.utils.data.DataLoader(Tiny(), batch_size=batch_size)
    return loader, loader


def train():
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(3 * 8 * 8, 2))
    return model, [{"epoch": 1, "train_loss": 0.7, "val_accuracy": 0.5, "seconds": 0.1},
                   {"epoch": 2, "train_loss": 0.5, "val_accuracy": 1.0, "seconds": 0.1}]
'''


def pictures(capsys, *args: str) -> tuple[int, str]:
    from kata.tools.cli import main

    code = main(["pictures", *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_a_stratified_sample_takes_every_class_in_turn():
    assert plots.stratified([0, 0, 0, 0, 1, 1, 2], 5) == [0, 1, 4, 5, 6]
    assert plots.stratified([2, 1, 0], 10) == [0, 1, 2]


@needs_matplotlib
def test_history_with_a_baseline_and_a_title_is_saved(tmp_path):
    path = plots.plot_history(HISTORY, tmp_path / "h.png", title="two runs", baseline=HISTORY[:2],
                              baseline_label="random backbone")
    assert path.read_bytes()[:8] == PNG


@needs_matplotlib
def test_kata_pictures_trains_twice_and_saves_both_pngs_in_the_private_folder(tiny_kata, kata_home, rewrite, capsys):
    rewrite("03", TRAINING)
    code, out = pictures(capsys)
    assert code == 0, out
    for name in ("history.png", "predictions.png"):
        assert f"saved {kata_home / 'pictures' / name}" in out  # .kata/pictures, git-ignored
        assert (kata_home / "pictures" / name).read_bytes()[:8] == PNG
    assert "on the offline stand-in backbone (random weights, not ImageNet)" in out
    assert "freshly initialised backbone" in out and "Both backbones are random here" in out
    assert "s in all, feature extraction included" in out


def test_titles_name_the_weights_and_the_comparison():
    from kata.tools.pictures import Trained, titles

    provided, fresh = Trained(None, HISTORY, 4.25), Trained(None, HISTORY[:1], 4.0)
    history, predictions = titles("the ImageNet backbone", True, provided, fresh)
    assert history.startswith("Your head on the ImageNet backbone\n80.0% validation accuracy at the last epoch")
    assert "4.2 s in all" in history and "freshly initialised backbone: 60.0%" in history
    assert "random" not in history and "the ImageNet backbone" in predictions
    stand_in, _ = titles("the offline stand-in backbone", False, provided, fresh)
    assert "Both backbones are random here" in stand_in and "kata fetch-weights" in stand_in


def test_kata_pictures_on_an_unfinished_exercise_says_to_finish_it(tiny_kata, kata_home, rewrite, capsys):
    if not HAVE_MATPLOTLIB:
        pytest.skip("the missing-matplotlib message comes first")
    rewrite("03", TRAINING.replace("def train():", "def train():\n    raise NotImplementedError\n\ndef unused():"))
    code, out = pictures(capsys)
    assert code == 2 and "Exercise 03 is not done yet: make `pytest exercises/03` pass first" in out


def test_kata_pictures_without_matplotlib_says_so_before_training(tiny_kata, kata_home, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    code, out = pictures(capsys)  # exercise 03 has no train(): the message must come first anyway
    assert code == 2 and "pip install -e '.[plot]'" in out
