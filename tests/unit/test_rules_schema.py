"""Pydantic errors over YAML keep file:line (coach.engine.rules.schema)."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from coach.engine.rules import SourceFile
from coach.engine.rules.schema import invalid, line_at, problems_from
from coach.engine.rules.source import parse_yaml

TEXT = "name: x\nitems:\n  - size: 1\n  - size: -2\n    colour: red\nlimits:\n  low: 1\n  high: oops\n"


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid")
    size: int

    @field_validator("size")
    @classmethod
    def _positive(cls, value):
        if value < 0:
            raise invalid(f"size must be at least 0, not {value}")
        return value


class Doc(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    items: list[Item]
    limits: dict[str, int]


def test_line_at_walks_mappings_and_lists():
    data = parse_yaml(SourceFile("d.yml", TEXT))
    assert line_at(data, ()) == 1
    assert line_at(data, ("items",)) == 2
    assert line_at(data, ("items", 1)) == 4
    assert line_at(data, ("items", 1, "colour")) == 5
    assert line_at(data, ("limits", "high")) == 8
    assert line_at(data, ("limits", "missing")) == 6  # as deep as the document goes


def test_problems_keep_file_line_and_the_coach_wording():
    data = parse_yaml(SourceFile("d.yml", TEXT))
    with pytest.raises(ValidationError) as err:
        Doc.model_validate(data)
    problems = problems_from("d.yml", data, err.value, {("items", "*"): "unknown key {key} in an item"})
    assert [str(p) for p in problems] == [
        "d.yml:4: size must be at least 0, not -2",
        "d.yml:5: unknown key 'colour' in an item",
        "d.yml:8: limits.high: Input should be a valid integer, unable to parse string as an integer",
    ]
