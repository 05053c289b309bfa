"""A parser for the YAML subset the exported workflows and manifests use (block mappings and
sequences, `|` blocks (also as sequence items), flow lists, quoted scalars), so the self-tests check them without PyYAML;
it raises on anything else."""

from __future__ import annotations

import re


class Yaml:
    """Parser for the YAML subset our workflow uses; raises on anything else."""

    KEY = re.compile(r"""^([\w.-]+|"[^"]*"|'[^']*'):(?:\s+(.*))?$""")

    def __init__(self, text: str) -> None:
        if "\t" in text:
            raise ValueError("tabs are not allowed in YAML indentation")
        self.lines = text.split("\n")
        self.i = 0

    def parse(self) -> object:
        self._skip()
        node = self._block(self._indent())
        self._skip()
        if self.i < len(self.lines):
            raise ValueError(f"line {self.i + 1}: unexpected {self.lines[self.i]!r}")
        return node

    def _skip(self) -> None:
        while self.i < len(self.lines) and (not self.lines[self.i].strip() or self.lines[self.i].lstrip().startswith("#")):
            self.i += 1

    def _indent(self) -> int:
        line = self.lines[self.i]
        return len(line) - len(line.lstrip(" "))

    def _block(self, indent: int) -> object:
        return self._seq(indent) if self.lines[self.i].lstrip().startswith("- ") else self._map(indent)

    def _seq(self, indent: int) -> list:
        items = []
        while True:
            self._skip()
            if self.i >= len(self.lines) or self._indent() != indent or not self.lines[self.i].lstrip().startswith("- "):
                return items
            rest = self.lines[self.i][indent + 2:]
            if rest.strip() in ("|", "|-"):  # "- |": a literal block as the item
                self.i += 1
                items.append(self._literal(indent))
            elif self.KEY.match(rest.strip()):
                self.lines[self.i] = " " * (indent + 2) + rest  # "- key: v" opens a mapping
                items.append(self._map(indent + 2))
            else:
                items.append(self._scalar(rest))
                self.i += 1

    def _map(self, indent: int) -> dict:
        mapping: dict = {}
        while True:
            self._skip()
            if self.i >= len(self.lines) or self._indent() < indent:
                return mapping
            if self._indent() > indent:
                raise ValueError(f"line {self.i + 1}: unexpected indentation")
            line = self.lines[self.i].strip()
            if line.startswith("- "):
                return mapping
            match = self.KEY.match(line)
            if not match:
                raise ValueError(f"line {self.i + 1}: not a `key: value` line: {line!r}")
            key, value = match.group(1).strip("'\""), match.group(2)
            if key in mapping:
                raise ValueError(f"line {self.i + 1}: duplicate key {key!r}")
            self.i += 1
            if value in ("|", "|-"):
                mapping[key] = self._literal(indent)
            elif value:
                mapping[key] = self._scalar(value)
            else:
                self._skip()
                inner = self._indent() if self.i < len(self.lines) else indent
                mapping[key] = self._block(inner) if inner > indent else None

    def _literal(self, indent: int) -> str:
        block = []
        while self.i < len(self.lines) and (not self.lines[self.i].strip() or self._indent() > indent):
            block.append(self.lines[self.i])
            self.i += 1
        while block and not block[-1].strip():
            block.pop()
        margin = min(len(b) - len(b.lstrip(" ")) for b in block if b.strip())
        return "\n".join(b[margin:] for b in block) + "\n"

    def _scalar(self, text: str) -> object:
        text = text.strip()
        if text.startswith("[") and text.endswith("]"):
            return [self._scalar(part) for part in text[1:-1].split(",") if part.strip()]
        if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
            return text[1:-1]
        if " #" in text:
            text = text.split(" #", 1)[0].rstrip()
        return text
