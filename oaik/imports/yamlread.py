"""Read a YAML file with PyYAML's safe loader, keeping the line of every value."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

#: Most nodes a file may expand to; aliases can make a small file explode.
MAX_NODES = 50_000


class YamlError(Exception):
    """The file is not readable YAML; ``line`` is 1-based (0 when unknown)."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Node:
    """A YAML value: a dict of ``Node`` (keys are strings), a list of ``Node`` or a scalar, with its line."""

    value: Any
    line: int
    key_line: int = 0  # for a mapping value, the line of its key

    def get(self, key: str) -> Node | None:
        return self.value.get(key) if isinstance(self.value, dict) else None


@dataclass(frozen=True)
class Document:
    root: Node
    lines: tuple[str, ...]
    duplicate_keys: tuple[tuple[int, str], ...]  # (line, key) of keys given twice in one mapping

    def quote(self, line: int) -> str:
        """The stripped text of a line (1-based), as evidence quotes it."""
        return self.lines[line - 1].strip() if 0 < line <= len(self.lines) else ""


def load(path: Path) -> Document:
    """Parse ``path`` (a regular file, never read through a link: :mod:`oaik.inputfile`); raise
    :class:`YamlError` for unreadable or malformed files."""
    from oaik.errors import OaikError
    from oaik.inputfile import INDEX_FILE, read_file

    try:
        text = read_file(path, INDEX_FILE).decode("utf-8")
    except UnicodeDecodeError as error:
        raise YamlError(0, f"not UTF-8 text ({error.reason})") from None
    except OaikError as error:  # a link, a device or pipe, too large, unreadable: said without the path again
        raise YamlError(0, str(error).removeprefix(f"{path}: ")) from None
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise YamlError(1, "the file is empty")
        walker = _Walker(loader)
        root = walker.walk(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        raise YamlError(line, f"YAML syntax error: {error.problem or error}") from None
    except yaml.YAMLError as error:
        raise YamlError(0, f"YAML error: {error}") from None
    except RecursionError:  # PyYAML composes nested collections recursively
        raise YamlError(0, "values are nested too deeply (hundreds of levels of lists or mappings)") from None
    finally:
        loader.dispose()
    return Document(root, tuple(text.splitlines()), tuple(walker.duplicates))


class _Walker:
    def __init__(self, loader: yaml.SafeLoader):
        self.loader = loader
        self.count = 0
        self.duplicates: list[tuple[int, str]] = []

    def walk(self, node: yaml.Node, key_line: int = 0) -> Node:
        self.count += 1
        if self.count > MAX_NODES:
            raise YamlError(node.start_mark.line + 1, f"the file expands to more than {MAX_NODES} values (aliases?)")
        line = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            self.loader.flatten_mapping(node)
            mapping: dict[str, Node] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):  # built, its aliases could expand without bound
                    raise YamlError(
                        key_node.start_mark.line + 1,
                        "a key is a list or mapping; keys must be plain names such as 'name:'",
                    )
                key = str(self.loader.construct_object(key_node, deep=True))
                if key in mapping:
                    self.duplicates.append((key_node.start_mark.line + 1, key))
                    continue
                mapping[key] = self.walk(value_node, key_node.start_mark.line + 1)
            return Node(mapping, line, key_line)
        if isinstance(node, yaml.SequenceNode):
            return Node([self.walk(item) for item in node.value], line, key_line)
        return Node(_scalar(self.loader.construct_object(node, deep=True)), line, key_line)


def _scalar(value: Any) -> Any:
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value
