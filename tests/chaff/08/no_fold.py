"""Trains the head on standardised features and returns it as trained, never folding the scaling in."""

GOTCHA = r"The returned head is exactly the trained one.*fold their scaling into the head"

from solution_copy import solution_with


def fold_into_head(head, mean, std):
    pass  # "the head is trained, that's it"


_solution = solution_with("08", fold_into_head=fold_into_head)


def __getattr__(name):
    return getattr(_solution, name)
