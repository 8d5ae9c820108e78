"""A YAML loader for seeds files that is safe by construction, whatever the file holds.

Anchors and aliases (``&a`` / ``*a``, and so ``<<`` merges) are refused at the first parser event
that carries one, before any node is built: a kilobyte of nested aliases ("billion laughs") took
two minutes of CPU with PyYAML's SafeLoader and now fails at once. A seeds file has no use for
them. Nesting deeper than MAX_DEPTH is refused too, because PyYAML composes recursively (ten
thousand brackets would end in RecursionError), and so is a file over MAX_SEEDS_BYTES.
"""

from __future__ import annotations

import yaml
from yaml.nodes import Node

#: A seeds file of a few thousand clusters is well under this; anything larger is a mistake.
MAX_SEEDS_BYTES = 5_000_000
#: Seeds nest four levels (clusters > cluster > baseline_2016 > list); deeper is not a seeds file.
MAX_DEPTH = 20


class SeedsLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors, aliases and deep nesting while composing the node tree."""

    depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.composer.ComposerError(
                None,
                None,
                "anchors and aliases (& and *) are not allowed; write each value out",
                event.start_mark,
            )
        if self.depth >= MAX_DEPTH:
            message = f"nested deeper than {MAX_DEPTH} levels"
            raise yaml.composer.ComposerError(None, None, message, event.start_mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1
