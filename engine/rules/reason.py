"""Reason templates: `"Your ACWR is {load.acwr:.2f}"` filled in from the facts.

A placeholder is a fact name, optionally with a format spec (`{load.acwr:.2f}`). No
attribute access, indexing or conversions: the template is parsed here and each value is
formatted with `format(value, spec)`, so a rule file can never reach into Python objects.
An unknown fact renders as "unknown"; true/false facts render as "yes"/"no".
"""

from __future__ import annotations

import re
import string
from typing import Any, Mapping

from coach.engine.rules.condition import FactType, did_you_mean

_FACT_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
_SAMPLE = {"number": 1.5, "string": "text", "bool": "yes"}


def _parts(template: str) -> list[tuple[str, str | None, str, str | None]]:
    return list(string.Formatter().parse(template))


def check_template(template: str, facts: Mapping[str, FactType]) -> list[str]:
    """Problems with a reason template, one message each.

    :param template: the `reason:` text
    :param facts: fact name -> type (vocabulary and derived facts)
    """
    try:
        parts = _parts(template)
    except ValueError as exc:
        return [f"reason template: {exc}"]
    problems: list[str] = []
    for _, field, spec, conversion in parts:
        if field is None:
            continue
        if not _FACT_NAME.match(field):
            problems.append(f"reason template: {{{field}}} is not a fact name (write {{fact.name}} or {{fact.name:.1f}})")
            continue
        if conversion is not None:
            problems.append(f"reason template: {{{field}!{conversion}}}: conversions are not allowed")
            continue
        if field not in facts:
            problems.append(f'reason template names unknown fact "{field}"{did_you_mean(field, facts)}')
            continue
        if spec and "{" in spec:
            problems.append(f"reason template: {{{field}:{spec}}}: nested placeholders are not allowed")
            continue
        try:
            format(_SAMPLE[facts[field].type], spec or "")
        except (ValueError, TypeError) as exc:
            problems.append(f"reason template: {{{field}:{spec}}}: {exc}")
    return problems


def _format(value: Any, spec: str) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        value = "yes" if value else "no"
    try:
        return format(value, spec)
    except (ValueError, TypeError):
        return str(value)


def render_reason(template: str, facts: Mapping[str, Any]) -> str:
    """Fill a (validated) reason template from the facts.

    :param template: the `reason:` text
    :param facts: fact name -> value; missing names render as "unknown"
    """
    out: list[str] = []
    for literal, field, spec, _ in _parts(template):
        out.append(literal)
        if field is not None:
            out.append(_format(facts.get(field), spec or ""))
    return "".join(out)
