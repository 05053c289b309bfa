"""Wires the kata's pytest plugin in, so `pytest exercises/NN` works from a plain checkout."""

pytest_plugins = ["kata.plugin"]
