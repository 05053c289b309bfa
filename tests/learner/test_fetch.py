"""`kata fetch-weights`, with the network replaced at its boundary: a file server on 127.0.0.1."""

from __future__ import annotations

import functools
import hashlib
import http.server
import threading
from pathlib import Path

import pytest
import torch

from kata.tools.checkout import KataError
from kata.tools.cli import main
from kata.tools.fetch import fetch


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A local HTTP server over a folder holding a small test checkpoint; yields (base URL, its name)."""
    folder = tmp_path / "served"
    folder.mkdir()
    torch.save({"fc.weight": torch.arange(6.0).view(2, 3)}, folder / "checkpoint.pth")
    data = (folder / "checkpoint.pth").read_bytes()
    name = f"resnet18-{hashlib.sha256(data).hexdigest()[:8]}.pth"
    (folder / name).write_bytes(data)
    (folder / "resnet18-00000000.pth").write_bytes(data)  # a name its content does not match
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    for variable in ("no_proxy", "NO_PROXY"):  # never send 127.0.0.1 through a configured proxy
        monkeypatch.setenv(variable, "127.0.0.1,localhost")
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", name
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_fetch_saves_a_verified_checkpoint_where_torch_hub_looks_and_only_once(server, tmp_path):
    base, name = server
    home = tmp_path / "torch"
    fetched = fetch(f"{base}/{name}", home, progress=False)
    assert fetched.path == home / "hub" / "checkpoints" / name and not fetched.already_there
    assert fetched.size == fetched.path.stat().st_size > 0 and fetched.seconds >= 0
    assert torch.load(fetched.path, weights_only=True)["fc.weight"].shape == (2, 3)
    again = fetch(f"{base}/{name}", home, progress=False)
    assert again.already_there and again.path == fetched.path


def test_a_download_that_does_not_match_its_sha256_prefix_leaves_nothing(server, tmp_path):
    base, _ = server
    home = tmp_path / "torch"
    with pytest.raises(KataError, match="does not match the sha256 prefix 00000000"):
        fetch(f"{base}/resnet18-00000000.pth", home, progress=False)
    assert list((home / "hub" / "checkpoints").iterdir()) == []  # no partial file either


def test_offline_says_so_and_that_the_stand_in_stays(server, tmp_path):
    base, name = server
    with pytest.raises(KataError, match="Could not download .*Are you online"):
        fetch(f"{base}/missing/{name}", tmp_path / "torch", progress=False)  # 404


def test_the_command_reports_size_time_and_path(server, tiny_kata, tmp_path, monkeypatch, capsys):
    base, name = server
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "user-torch"))
    assert main(["fetch-weights", "--url", f"{base}/{name}"]) == 0
    out = capsys.readouterr().out
    saved = tmp_path / "user-torch" / "hub" / "checkpoints" / name
    assert "Saved 0.0 MB in" in out and f"sha256 verified: {saved}" in out and saved.is_file()


def test_the_command_refuses_to_overwrite_the_stand_in_folder(tiny_kata, kata_home, monkeypatch, capsys):
    monkeypatch.setenv("TORCH_HOME", str(kata_home / "torch"))
    assert main(["fetch-weights", "--url", "http://127.0.0.1:9/resnet18-00000000.pth"]) == 2
    assert "TORCH_HOME points at the kata's own stand-in folder" in capsys.readouterr().err


def test_the_first_run_on_the_stand_in_names_the_fetch_command_once(tiny_kata, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KATA_HOME", str(tmp_path / "empty-home"))  # no stand-in built yet
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "no-weights"))
    line = "so these checks used an offline stand-in. Online? Run once: kata fetch-weights"
    for expected in (True, False):
        pytest.main(["-p", "no:cacheprovider", "exercises/01"])
        assert (line in capsys.readouterr().out) == expected
