"""Rule conditions: a small tokenizer and recursive-descent parser, a type checker and an evaluator.

The language a coach writes in `when:`::

    load.acwr > 1.3 and plan.intensity == "hard"
    not form.broke or (days_since.rest >= 3 and plan.kind in ["intervals", "tempo"])

    condition  := or
    or         := and ("or" and)*
    and        := not ("and" not)*
    not        := "not" not | primary
    primary    := "(" or ")" | FACT [comparison]
    comparison := OP literal | ["not"] "in" "[" literal ("," literal)* "]"
    OP         := == != < <= > >=
    literal    := NUMBER | "string" | true | false

A bare FACT stands for `FACT == true` and is only allowed for true/false facts. Nothing is
ever handed to `eval`. A comparison on an unknown fact (left out of the facts) is false,
so `not` of it is true.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from coach.engine.rules.model import And, Compare, Condition, In, Not, Or, Scalar

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<number>-?\d+(?:\.\d+)?(?![A-Za-z_.\d]))
  | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<op>==|!=|<=|>=|<|>)
  | (?P<punct>[()\[\],])
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
    """,
    re.VERBOSE,
)
_KEYWORDS = {"and", "or", "not", "in", "true", "false"}
_ORDERING = {"<", "<=", ">", ">="}


class ConditionSyntaxError(ValueError):
    """A condition could not be parsed; `column` is 1-based."""

    def __init__(self, message: str, column: int):
        super().__init__(f"{message} at column {column}")
        self.column = column


@dataclass(frozen=True)
class _Tok:
    kind: str  # number string op punct name keyword end
    text: str
    col: int


def _tokenize(text: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            ch = text[pos]
            if ch in "\"'":
                raise ConditionSyntaxError("unterminated string", pos + 1)
            if ch == "=":
                raise ConditionSyntaxError("unexpected '=' (use == to compare)", pos + 1)
            raise ConditionSyntaxError(f"unexpected character {ch!r}", pos + 1)
        kind = m.lastgroup or ""
        if kind != "ws":
            word = m.group()
            if kind == "name" and word in _KEYWORDS:
                kind = "keyword"
            tokens.append(_Tok(kind, word, pos + 1))
        pos = m.end()
    tokens.append(_Tok("end", "", len(text) + 1))
    return tokens


def _describe(tok: _Tok) -> str:
    return "the end of the condition" if tok.kind == "end" else repr(tok.text)


class _Parser:
    def __init__(self, text: str):
        self.tokens = _tokenize(text)
        self.i = 0
        self.depth = 0  # brackets and `not`s open: limited, so deep nesting is a message, not a RecursionError

    def nest(self, tok: _Tok) -> None:
        from coach.engine.rules.limits import MAX_DEPTH

        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ConditionSyntaxError(f"brackets and 'not' nested more than {MAX_DEPTH} deep", tok.col)

    def peek(self) -> _Tok:
        return self.tokens[self.i]

    def take(self) -> _Tok:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def accept(self, kind: str, text: str | None = None) -> _Tok | None:
        tok = self.peek()
        if tok.kind == kind and (text is None or tok.text == text):
            return self.take()
        return None

    def expect(self, kind: str, text: str, what: str) -> _Tok:
        tok = self.accept(kind, text)
        if tok is None:
            bad = self.peek()
            raise ConditionSyntaxError(f"expected {what}, found {_describe(bad)}", bad.col)
        return tok

    def parse(self) -> Condition:
        if self.peek().kind == "end":
            raise ConditionSyntaxError("empty condition", 1)
        node = self.parse_or()
        tok = self.peek()
        if tok.kind != "end":
            raise ConditionSyntaxError(f"expected 'and', 'or' or the end, found {_describe(tok)}", tok.col)
        return node

    def parse_or(self) -> Condition:
        items = [self.parse_and()]
        while self.accept("keyword", "or"):
            items.append(self.parse_and())
        return items[0] if len(items) == 1 else Or(items=tuple(items))

    def parse_and(self) -> Condition:
        items = [self.parse_not()]
        while self.accept("keyword", "and"):
            items.append(self.parse_not())
        return items[0] if len(items) == 1 else And(items=tuple(items))

    def parse_not(self) -> Condition:
        tok = self.accept("keyword", "not")
        if tok:
            self.nest(tok)
            node = Not(item=self.parse_not())
            self.depth -= 1
            return node
        return self.parse_primary()

    def parse_primary(self) -> Condition:
        tok = self.take()
        if tok.kind == "punct" and tok.text == "(":
            self.nest(tok)
            node = self.parse_or()
            self.expect("punct", ")", "')'")
            self.depth -= 1
            return node
        if tok.kind != "name":
            raise ConditionSyntaxError(f"expected a fact name, found {_describe(tok)}", tok.col)
        fact = tok.text
        nxt = self.peek()
        if nxt.kind == "op":
            self.take()
            return Compare(fact=fact, op=nxt.text, value=self.parse_literal())
        if nxt.kind == "keyword" and nxt.text in ("in", "not") and (
            nxt.text == "in" or self.tokens[self.i + 1].text == "in"
        ):
            negated = nxt.text == "not"
            self.take()
            if negated:
                self.take()
            node = In(fact=fact, values=self.parse_list())
            return Not(item=node) if negated else node
        return Compare(fact=fact, op="==", value=True)

    def parse_list(self) -> tuple[Scalar, ...]:
        self.expect("punct", "[", "'[' after 'in'")
        values = [self.parse_literal()]
        while self.accept("punct", ","):
            values.append(self.parse_literal())
        self.expect("punct", "]", "',' or ']'")
        return tuple(values)

    def parse_literal(self) -> Scalar:
        tok = self.take()
        if tok.kind == "number":
            return float(tok.text) if "." in tok.text else int(tok.text)
        if tok.kind == "string":
            return _unquote(tok.text)
        if tok.kind == "keyword" and tok.text in ("true", "false"):
            return tok.text == "true"
        if tok.kind == "name" and tok.text in ("True", "False"):
            raise ConditionSyntaxError(f"write {tok.text.lower()}, not {tok.text}", tok.col)
        if tok.kind == "name":
            raise ConditionSyntaxError(
                f"expected a number, a \"string\", true or false, found {tok.text!r} (quote text values)", tok.col
            )
        raise ConditionSyntaxError(f"expected a number, a \"string\", true or false, found {_describe(tok)}", tok.col)


def _unquote(text: str) -> str:
    body = text[1:-1]
    return re.sub(r"\\(.)", r"\1", body)


def parse_condition(text: str) -> Condition:
    """Parse a rule's `when:` text into a condition tree.

    :param text: the condition as written
    :raises ConditionSyntaxError: with the column of the problem
    """
    return _Parser(text).parse()


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """' (did you mean "x"?)' for the closest candidate, or ''."""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


@dataclass(frozen=True)
class FactType:
    """What the type checker needs to know about a fact."""

    type: str  # number string bool
    values: tuple[str, ...] = ()


def _kind_of(value: Scalar) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, str):
        return "string"
    return "number"


def _show(value: Scalar) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'the string "{value}"'
    return f"the number {value}"


_TYPE_WORDS = {"number": "a number", "string": "a string", "bool": "true or false"}


def check_condition(condition: Condition, facts: Mapping[str, FactType]) -> list[str]:
    """Type-check a condition against the known facts; one message per problem.

    :param condition: a parsed condition
    :param facts: fact name -> its type (the vocabulary plus the rule set's derived facts)
    """
    problems: list[str] = []

    def check_value(fact: str, spec: FactType, value: Scalar, op: str) -> None:
        kind = _kind_of(value)
        if op in _ORDERING and spec.type != "number":
            problems.append(f"type mismatch: {fact} is {_TYPE_WORDS[spec.type]}; {op} only compares numbers")
            return
        if kind != spec.type:
            problems.append(f"type mismatch: {fact} is {_TYPE_WORDS[spec.type]}, compared to {_show(value)}")
            return
        if spec.type == "string" and spec.values and value not in spec.values:
            hint = did_you_mean(str(value), spec.values)
            problems.append(f'{fact} is never "{value}"{hint}; its values are: {", ".join(spec.values)}')

    def walk(node: Condition) -> None:
        if isinstance(node, (Compare, In)):
            spec = facts.get(node.fact)
            if spec is None:
                problems.append(f'unknown fact "{node.fact}"{did_you_mean(node.fact, facts)}')
                return
            if isinstance(node, Compare):
                check_value(node.fact, spec, node.value, node.op)
            else:
                for value in node.values:
                    check_value(node.fact, spec, value, "in")
        elif isinstance(node, Not):
            walk(node.item)
        else:
            for item in node.items:
                walk(item)

    walk(condition)
    return problems


def _holds(node: Compare | In, facts: Mapping[str, Any]) -> bool:
    if node.fact not in facts or facts[node.fact] is None:
        return False
    actual = facts[node.fact]
    if isinstance(node, In):
        return any(_equal(actual, v) for v in node.values)
    value = node.value
    if node.op == "==":
        return _equal(actual, value)
    if node.op == "!=":
        return not _equal(actual, value)
    try:
        if node.op == "<":
            return actual < value
        if node.op == "<=":
            return actual <= value
        if node.op == ">":
            return actual > value
        return actual >= value
    except TypeError:
        return False


def _equal(actual: Any, value: Scalar) -> bool:
    if isinstance(actual, str) or isinstance(value, str):
        return isinstance(actual, str) and isinstance(value, str) and actual == value
    return actual == value


def evaluate(condition: Condition, facts: Mapping[str, Any]) -> bool:
    """Evaluate a condition in plain Python (the reference semantics the compiler must match).

    :param condition: a parsed condition
    :param facts: fact name -> value; a missing name is unknown
    """
    if isinstance(condition, (Compare, In)):
        return _holds(condition, facts)
    if isinstance(condition, Not):
        return not evaluate(condition.item, facts)
    if isinstance(condition, And):
        return all(evaluate(i, facts) for i in condition.items)
    return any(evaluate(i, facts) for i in condition.items)


def _value_text(facts: Mapping[str, Any], name: str) -> str:
    if name not in facts or facts[name] is None:
        return f"{name} is unknown"
    value = facts[name]
    if isinstance(value, bool):
        shown = "true" if value else "false"
    elif isinstance(value, float):
        shown = f"{value:.4g}"
    elif isinstance(value, str):
        shown = f'"{value}"'
    else:
        shown = str(value)
    return f"{name} = {shown}"


def false_parts(condition: Condition, facts: Mapping[str, Any]) -> list[str]:
    """Why a condition is false: the smallest parts that were false, each with its fact values.

    Example: ``['load.acwr > 1.3 was false: load.acwr = 1.05']``. Empty when the condition holds.
    """
    if evaluate(condition, facts):
        return []
    if isinstance(condition, (Compare, In)):
        return [f"{condition} was false: {_value_text(facts, condition.fact)}"]
    if isinstance(condition, Not):
        from coach.engine.rules.model import facts_of

        values = ", ".join(_value_text(facts, n) for n in sorted(facts_of(condition.item)))
        return [f"{condition} was false because {condition.item} was true: {values}"]
    if isinstance(condition, And):
        out: list[str] = []
        for item in condition.items:
            out.extend(false_parts(item, facts))
        return out
    out = []
    for item in condition.items:
        out.extend(false_parts(item, facts))
    return out
