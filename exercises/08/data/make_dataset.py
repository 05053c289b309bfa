"""Regenerate the texture dataset of exercise 08 from scikit-image's bundled CC0 photos.

Maintainers only: needs scikit-image (`pip install -e '.[dev]'`). Run from anywhere:

    python exercises/08/data/make_dataset.py

Each source photo (512 x 512, grayscale) is cut into an 8 x 8 grid of 64 px patches. The top six
rows of the grid become `train/`, the bottom two `val/`: the two splits come from different parts
of the photo and never overlap, so validation measures recognising the texture, not the patch.
Afterwards it rewrites SHA256SUMS. JPEG bytes can differ between Pillow/libjpeg versions, so a
regenerated dataset may hash differently from the shipped one; the shipped one is the reference.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import numpy as np
from PIL import Image
from skimage import data as skdata

HERE = Path(__file__).resolve().parent
CLASSES = ("brick", "grass", "gravel")  # scikit-image functions of the same names; all CC0
PATCH = 64
GRID = 8  # 512 / 64
TRAIN_ROWS = 6  # rows 0-5 train, rows 6-7 val
JPEG_QUALITY = 90


def patches(photo: np.ndarray) -> list[tuple[int, int, np.ndarray]]:
    """(row, column, patch) for every cell of the grid, row by row."""
    return [
        (r, c, photo[r * PATCH:(r + 1) * PATCH, c * PATCH:(c + 1) * PATCH])
        for r in range(GRID)
        for c in range(GRID)
    ]


def write_split(out: Path) -> None:
    for split in ("train", "val"):
        shutil.rmtree(out / split, ignore_errors=True)
    for name in CLASSES:
        photo = getattr(skdata, name)()
        if photo.shape != (PATCH * GRID, PATCH * GRID):
            raise SystemExit(f"skimage.data.{name}() is {photo.shape}, expected a 512 x 512 grayscale photo")
        for r, c, patch in patches(photo):
            split = "train" if r < TRAIN_ROWS else "val"
            path = out / split / name / f"{name}_r{r}c{c}.jpg"
            path.parent.mkdir(parents=True, exist_ok=True)
            Image.fromarray(patch, mode="L").save(path, quality=JPEG_QUALITY, optimize=False)


def write_sums(out: Path) -> None:
    """SHA256SUMS in `sha256sum` format, paths relative to this folder: `sha256sum -c SHA256SUMS`."""
    lines = [
        f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(out).as_posix()}"
        for p in sorted(out.glob("*/*/*.jpg"))
    ]
    (out / "SHA256SUMS").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write_split(HERE)
    write_sums(HERE)
    print(f"wrote {len(list(HERE.glob('*/*/*.jpg')))} images under {HERE}")
