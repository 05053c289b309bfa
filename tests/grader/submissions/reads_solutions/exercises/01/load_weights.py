import os

import kata

checkout = os.path.dirname(os.path.dirname(os.path.abspath(kata.__file__)))
try:
    with open(os.path.join(checkout, "solutions", "01", "load_weights.py"), encoding="utf-8") as f:
        exec(f.read())
except Exception:
    def load_pretrained():
        raise NotImplementedError("exercise 01: see exercises/01/README.md")

    def imagenet_categories():
        raise NotImplementedError("exercise 01: see exercises/01/README.md")
