"""Gives fine-tuning a larger rate (1e-2) "to move the big network", which erases what it learned."""

GOTCHA = r"erase the pretrained features"

from solution_copy import solution_with

_solution = solution_with("05", LEARNING_RATES={"feature_extraction": 1e-3, "fine_tuning": 1e-2})


def __getattr__(name):
    return getattr(_solution, name)  # everything else as in the reference
