"""Keeps the 10x ratio but from a high start: 1e-2 for the head, 1e-3 for every pretrained weight."""

GOTCHA = r"lr=0\.001\. With every pretrained weight learning.*erase the pretrained features"

from solution_copy import solution_with

_solution = solution_with("05", LEARNING_RATES={"feature_extraction": 1e-2, "fine_tuning": 1e-3})


def __getattr__(name):
    return getattr(_solution, name)  # everything else as in the reference
