"""`kata doctor`: versions, device, weights (without side effects) and the dataset's integrity."""

from __future__ import annotations

import hashlib
import importlib.util
import os
from pathlib import Path

import pytest

from kata import weights
from kata.tools.cli import main
from kata.tools.doctor import NOTE, OK, PROBLEM, dataset_findings, verify_sums, weights_finding


def write_dataset(root: Path) -> Path:
    """exercises/03/data with two images and a SHA256SUMS in sha256sum's format."""
    data = root / "exercises" / "03" / "data"
    for name, content in (("train/a/one.jpg", b"one"), ("val/b/two.jpg", b"two")):
        (data / name).parent.mkdir(parents=True, exist_ok=True)
        (data / name).write_bytes(content)
    sums = [f"{hashlib.sha256(c).hexdigest()}  {n}" for n, c in
            (("train/a/one.jpg", b"one"), ("val/b/two.jpg", b"two"))]
    (data / "SHA256SUMS").write_text("\n".join(sums) + "\n", encoding="utf-8")
    (data / "make_dataset.py").write_text("# not data\n", encoding="utf-8")
    return data


@pytest.fixture
def empty_torch_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "user-torch"))
    return tmp_path / "user-torch"


def test_doctor_reports_every_topic_and_passes_on_a_sound_setup(tiny_kata, kata_home, empty_torch_cache, capsys):
    write_dataset(tiny_kata)
    code = main(["doctor"])
    out = capsys.readouterr().out
    assert code == 0, out
    for topic in ("Python", "torch", "torchvision", "pytest", "device", "kata", "weights", "dataset"):
        assert f" {topic} " in out, f"no {topic} line in:\n{out}"
    assert "3 exercises in" in out
    assert "exercises/03/data: all 2 files match SHA256SUMS" in out
    assert weights.FETCH_COMMAND in out
    assert "Everything the kata needs is in place." in out
    for package, extra in (("matplotlib", "plot"), ("watchfiles", "watch")):
        if importlib.util.find_spec(package) is None:
            assert f"pip install -e '.[{extra}]'" in out
        else:
            assert f"{package} " in out


def test_doctor_reads_without_side_effects(tiny_kata, kata_home, empty_torch_cache, capsys):
    """No TORCH_HOME change, no weights written: it reports what the checks *would* use."""
    fresh_home = tiny_kata / "fresh-home"
    os.environ["KATA_HOME"] = str(fresh_home)  # monkeypatch (kata_home) restores it
    before = os.environ.get("TORCH_HOME")
    finding = weights_finding(tiny_kata)
    assert os.environ.get("TORCH_HOME") == before
    assert not fresh_home.exists() and not empty_torch_cache.exists()
    assert finding.status == NOTE
    assert "offline stand-in" in finding.lines[0] and "made on the first check run" in finding.lines[1]


def test_doctor_recognises_a_verified_imagenet_checkpoint(tiny_kata, kata_home, empty_torch_cache, monkeypatch):
    content = b"pretend checkpoint"
    name = f"resnet18-{hashlib.sha256(content).hexdigest()[:8]}.pth"
    monkeypatch.setattr(weights, "checkpoint_name", lambda: name)
    path = weights.checkpoint_path(empty_torch_cache)
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    finding = weights_finding(tiny_kata)
    assert finding.status == OK and "sha256 verified" in finding.lines[0] and str(path) in finding.lines[0]
    path.write_bytes(b"something else")
    finding = weights_finding(tiny_kata)
    assert finding.status == NOTE and "does not match the sha256 prefix" in finding.lines[0]


def test_dataset_changes_missing_files_and_stray_images_are_named(tiny_kata):
    data = write_dataset(tiny_kata)
    (data / "train" / "a" / "one.jpg").write_bytes(b"edited")
    (data / "val" / "b" / "two.jpg").unlink()
    (data / "val" / "b" / "three.png").write_bytes(b"stray")
    check = verify_sums(data)
    assert (check.listed, check.changed, check.missing, check.extra) == (
        2, ["train/a/one.jpg"], ["val/b/two.jpg"], ["val/b/three.png"])
    [finding] = dataset_findings(tiny_kata)
    text = "\n".join(finding.lines)
    assert finding.status == PROBLEM
    assert "1 changed: train/a/one.jpg" in text and "1 missing: val/b/two.jpg" in text
    assert "git checkout -- exercises/03/data" in text


def test_binary_mode_sums_and_a_broken_line_are_understood(tiny_kata):
    data = write_dataset(tiny_kata)
    digest = hashlib.sha256(b"one").hexdigest()
    (data / "SHA256SUMS").write_text(f"{digest} *train/a/one.jpg\nnonsense\n", encoding="utf-8")
    check = verify_sums(data)
    assert check.changed == [] and check.missing == [] and check.unreadable == ["line 2"]
    assert check.extra == ["val/b/two.jpg"] and not check.intact


def test_a_broken_dataset_makes_doctor_fail(tiny_kata, kata_home, empty_torch_cache, capsys):
    data = write_dataset(tiny_kata)
    (data / "val" / "b" / "two.jpg").unlink()
    assert main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert "!! dataset" in out and "Fix the lines marked !! (dataset)" in out


def test_the_real_dataset_is_intact():
    """Whatever exercise ships data/SHA256SUMS, the committed files match it."""
    from kata.meta import REPO_ROOT

    for finding in dataset_findings(REPO_ROOT):
        assert finding.status != PROBLEM, "\n".join(finding.lines)
