"""Still the unfinished stub: every check of exercise 01 must fail, whatever the rest of the repository does."""


def load_pretrained():
    raise NotImplementedError("exercise 01: see exercises/01/README.md")


def imagenet_categories():
    raise NotImplementedError("exercise 01: see exercises/01/README.md")
