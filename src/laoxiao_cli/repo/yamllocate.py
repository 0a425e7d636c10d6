"""Finding the line and column of a path inside a YAML document (for located findings)."""

from __future__ import annotations

import yaml

from laoxiao_cli.repo.yamllimits import node_position


def locate(root: yaml.Node | None, loc: tuple[str | int, ...], at_key: bool = False) -> tuple[int, int]:
    """Line and column (1-based) of the node at ``loc``: the deepest existing node on the path."""
    if root is None:
        return 1, 1
    node = root
    key_node: yaml.Node | None = None
    for part in loc:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            for k, v in node.value:
                if k.value == part:
                    key_node, child = k, v
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            key_node, child = None, node.value[part]
        if child is None:
            break
        node = child
    else:
        if at_key and key_node is not None:
            return node_position(key_node)
    return node_position(node)
