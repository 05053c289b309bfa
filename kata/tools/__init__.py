"""The learner's tools around the checks (`kata progress`, `hint`, `watch`, `doctor`, `pictures`).

They import the runtime (`kata.meta`, `kata.weights`, ...); the runtime never imports them, so the
grader, which keys its cache on the runtime alone, is untouched by a change to a hint or a picture.
"""
