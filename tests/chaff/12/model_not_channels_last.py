"""Moves every batch into channels-last layout, but the model in the standard one."""

GOTCHA = r"convolution weights are not channels-last"

import inspect

from solution_copy import solution_with

_solution = solution_with("12")
_source = inspect.getsource(_solution.train).replace(
    "model.to(device, memory_format=torch.channels_last)", "model.to(device)")
assert _source != inspect.getsource(_solution.train), "the reference no longer moves its model that way"
exec(compile(_source, __file__, "exec"), vars(_solution))  # train, redefined in the reference's module


def __getattr__(name):
    return getattr(_solution, name)
