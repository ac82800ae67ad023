"""Parsing YAML text while keeping line numbers, so every problem can name file:line.

PyYAML's safe loader builds plain data; this one builds `LineDict` / `LineList` that
remember the 1-based line of each mapping, each key and each list item. Nothing in the
file is ever executed: only YAML's safe, standard tags are accepted.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, NamedTuple

from coach.engine.errors import CoachError


class LineDict(dict):
    """A mapping that knows its own line (`line`) and each key's line (`key_lines`)."""

    line: int = 0
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A list that knows its own line and the line of each item (`item_lines`)."""

    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


def is_number(value: Any) -> bool:
    """A YAML value that is a number (int or float, not a bool)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class SourceFile(NamedTuple):
    """The text of one file of a rule set, and its path as messages name it (file:line).

    The engine validates text it is given; reading files is the service layer's job.
    """

    name: str
    text: str


class YamlSyntaxError(CoachError):
    """A YAML file could not be parsed."""

    def __init__(self, path: Path | str, line: int, message: str):
        self.path, self.line, self.message = str(path), line, message
        super().__init__(f"{path}:{line}: {message}")


def _construct_mapping(loader: Any, node: Any) -> LineDict:
    import yaml

    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark
            ) from None
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        try:
            result[key] = loader.construct_object(value_node, deep=True)
        except (ValueError, OverflowError) as exc:  # a value YAML reads as a date or number that is not one
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read the value of {key!r}: {exc}", value_node.start_mark
            ) from None
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: Any, node: Any) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


@functools.cache
def _loaders() -> tuple[Any, Any]:
    """(libyaml loader or None, pure-Python loader), both building LineDict/LineList.

    Built on first use, so that importing this module (for LineDict, say) does not import PyYAML.
    libyaml's parser (when PyYAML has it) is several times faster; the same constructors give
    the same LineDict/LineList. Its syntax messages differ, so a file it rejects is parsed again
    with the pure-Python loader for the message.
    """
    import yaml

    slow = type("_LineLoader", (yaml.SafeLoader,), {})
    fast = type("_FastLineLoader", (yaml.CSafeLoader,), {}) if getattr(yaml, "__with_libyaml__", False) else None
    for loader in (slow, fast):
        if loader is not None:
            loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
            loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
    return fast, slow


def parse_yaml(source: SourceFile) -> Any:
    """Parse the text of one rule-set file into LineDict/LineList/plain scalars.

    :param source: the file's name (for messages) and text; nothing is read here
    :raises YamlSyntaxError: with the file and line of the first syntax problem
    """
    import yaml

    path, text = source.name, source.text
    fast, slow = _loaders()
    if fast is not None:
        try:
            return yaml.load(text, Loader=fast)  # noqa: S506 - safe loader subclass
        except (yaml.YAMLError, RecursionError):
            pass  # parsed again below for the pure-Python loader's message
    try:
        return yaml.load(text, Loader=slow)  # noqa: S506 - safe loader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or exc.context or "invalid YAML"
        raise YamlSyntaxError(path, line, f"YAML syntax: {what}") from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(path, 1, f"YAML syntax: {exc}") from None
    except RecursionError:
        raise YamlSyntaxError(path, 1, "YAML nested too deeply to read") from None
