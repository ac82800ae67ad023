"""Pydantic models over YAML with line numbers: validation errors become file:line problems.

A file's models raise `invalid(message, key=...)` from their validators for the coach's own
wording; `problems_from` turns a `ValidationError` into `Problem`s, finding each error's line
by walking its location (`loc`) through the `LineDict`/`LineList` the YAML was loaded into.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from coach.engine.rules.model import Problem
from coach.engine.rules.source import LineDict, LineList, SourceFile, YamlSyntaxError, parse_yaml

#: the error type of the coach's own messages
ERROR_TYPE = "coach"


def invalid(message: str, key: Any = None, inside: bool = False) -> PydanticCustomError:
    """An error with this exact message, for a validator to raise.

    :param key: the key (or list index) of the value being validated that the message is about:
        its line is then the key's, not the whole value's
    :param inside: the problem is inside that item (for `problems_from`'s `where`), not about
        the value holding it
    """
    return PydanticCustomError(ERROR_TYPE, "{message}", {"message": message, "key": key, "inside": inside})


def line_at(data: Any, loc: tuple[Any, ...]) -> int:
    """The line of the deepest YAML node that `loc` (a pydantic error location) reaches."""
    node, line = data, getattr(data, "line", 0) or 1
    for part in loc:
        if isinstance(node, LineDict) and part in node:
            line, node = node.line_of(part), node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line, node = node.line_of(part), node[part]
        # anything else (a tagged union's tag, a key the document lacks) names no node: skipped
    return line


def _pattern(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple("*" if isinstance(p, int) else p for p in loc)


def problems_from(file: str, data: Any, error: ValidationError,
                  unknown_key: Mapping[tuple[Any, ...], str],
                  missing_key: Mapping[tuple[Any, ...], str] | None = None,
                  where: Callable[[tuple[Any, ...]], str] | None = None) -> list[Problem]:
    """Every error of a validation as a problem at file:line, in line order.

    :param file: the file's name for messages
    :param data: the YAML document that was validated (LineDict/LineList)
    :param error: what pydantic raised
    :param unknown_key: where a mapping forbids other keys (its location, list indexes as
        "*") -> the message for an unknown key there, with `{key}` for the key's repr
    :param missing_key: the same for a required key that is missing, with `{key}` for its name
    :param where: location -> what the problem is about, put before the message ("where: ...")
    """
    problems = []
    for e in error.errors():
        loc = about = tuple(e["loc"])
        if e["type"] == ERROR_TYPE:
            ctx = e["ctx"]
            message = ctx["message"]
            if ctx.get("key") is not None:
                loc += (ctx["key"],)
                about = loc if ctx.get("inside") else about
        elif e["type"] == "extra_forbidden" and _pattern(loc[:-1]) in unknown_key:
            message = unknown_key[_pattern(loc[:-1])].format(key=repr(loc[-1]))
            about = loc[:-1]
        elif e["type"] == "missing" and missing_key and _pattern(loc[:-1]) in missing_key:
            message = missing_key[_pattern(loc[:-1])].format(key=loc[-1])
            about = loc[:-1]
        else:  # a case no validator words: pydantic's message, with where it is
            path = ".".join(str(p) for p in loc)
            message = f"{path}: {e['msg']}" if path else e["msg"]
            about = ()
        prefix = where(about) if where is not None else ""
        problems.append(Problem(file, line_at(data, loc), f"{prefix}: {message}" if prefix else message))
    return sorted(problems, key=lambda p: p.line)


def parse_model_file(source: SourceFile, model: Any, not_a_mapping: str,
                     unknown_key: Mapping[tuple[Any, ...], str],
                     missing_key: Mapping[tuple[Any, ...], str] | None = None,
                     where: Callable[[tuple[Any, ...]], str] | None = None) -> tuple[Any, list[Problem]]:
    """Validate a settings file of a rule set (YAML text) against a pydantic model.

    :param source: the file's name (for file:line messages) and text
    :param model: the pydantic model of the whole file
    :param not_a_mapping: the problem to report (at line 1) when the file is not a mapping
    :param unknown_key: `problems_from`'s wording for unknown keys, by location
    :param missing_key: `problems_from`'s wording for missing keys, by location
    :param where: `problems_from`'s prefix for a location
    :return: the validated model (None if there are problems) and every problem, in line order
    """
    try:
        data = parse_yaml(source)
    except YamlSyntaxError as exc:
        return None, [Problem(exc.path, exc.line, exc.message)]
    if not isinstance(data, dict):
        return None, [Problem(source.name, 1, not_a_mapping)]
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, problems_from(source.name, data, exc, unknown_key, missing_key, where=where)
