"""The decision tables' condition language: parsed into a tree and evaluated, never ``eval``-ed.

Grammar (keywords are case-insensitive)::

    condition  := "otherwise" | or
    or         := and ("or" and)*
    and        := not ("and" not)*
    not        := "not" not | "(" or ")" | comparison | flag
    comparison := fact op number            op: < <= > >= == !=
                | "priority" ("==" | "!=") LEVEL
                | "priority" "in" "{" LEVEL ("," LEVEL)* "}"
    flag       := affects_technical | affects_brand | affects_visual | affects_customer

Facts are the derived ``roi_percentage``, ``risk_score``, ``payback_months`` and ``priority`` and the
context's numbers (``revenue_impact``, ``estimated_cost``...) and flags (``affects_brand``...).
Evaluation records every comparison it made, which is the decision's explanation.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass, field
from typing import Any

NUMERIC_FACTS = frozenset(
    {
        "roi_percentage",
        "risk_score",
        "payback_months",
        "revenue_impact",
        "customer_impact",
        "operational_impact",
        "estimated_cost",
        "expected_revenue",
        "estimated_days",
        "technical_complexity",
        "market_uncertainty",
        "resource_availability",
        "timeline_pressure",
    }
)
FLAG_FACTS = frozenset({"affects_technical", "affects_brand", "affects_visual", "affects_customer"})
PRIORITIES = ("CRITICAL", "HIGH", "MEDIUM", "LOW")
CATCH_ALL = "otherwise"
OPERATORS = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}
_TOKEN = re.compile(
    r"\s*(?:(?P<number>-?\d+(?:\.\d+)?)|(?P<op><=|>=|==|!=|<|>)|(?P<punct>[(){},])|(?P<word>[A-Za-z_][A-Za-z0-9_]*))"
)


class RuleSyntaxError(ValueError):
    """A condition that cannot be parsed or names an unknown fact; the message says where and why."""


@dataclass(frozen=True)
class Comparison:
    fact: str
    op: str
    value: Any  # a number, a priority, or a tuple of priorities for "in"

    def evaluate(self, facts: dict[str, Any], trace: list[dict[str, Any]]) -> bool:
        actual = facts.get(self.fact)
        if self.op == "in":
            result = actual in self.value
            shown: Any = list(self.value)
        elif self.op == "is":
            result = bool(actual)
            shown = True
        else:
            result = actual is not None and OPERATORS[self.op](actual, self.value)
            shown = self.value
        trace.append({"fact": self.fact, "operator": self.op, "value": shown, "actual": actual, "result": result})
        return result


@dataclass(frozen=True)
class Not:
    operand: Any

    def evaluate(self, facts: dict[str, Any], trace: list[dict[str, Any]]) -> bool:
        return not self.operand.evaluate(facts, trace)


@dataclass(frozen=True)
class BoolOp:
    kind: str  # "and" | "or"
    operands: tuple[Any, ...] = field(default_factory=tuple)

    def evaluate(self, facts: dict[str, Any], trace: list[dict[str, Any]]) -> bool:
        if self.kind == "and":
            return all(operand.evaluate(facts, trace) for operand in self.operands)
        return any(operand.evaluate(facts, trace) for operand in self.operands)


@dataclass(frozen=True)
class Always:
    def evaluate(self, facts: dict[str, Any], trace: list[dict[str, Any]]) -> bool:
        return True


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[tuple[str, str, int]] = []
        position = 0
        stripped = text.rstrip()
        while position < len(stripped):
            match = _TOKEN.match(stripped, position)
            if not match or match.end() == position:
                raise RuleSyntaxError(f"unexpected character {stripped[position:].lstrip()[:1]!r} at {position + 1}")
            kind = match.lastgroup or ""
            self.tokens.append((kind, match.group(kind), match.start(kind) + 1))
            position = match.end()
        self.index = 0

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> tuple[str, str, int]:
        token = self.peek()
        if token is None:
            raise RuleSyntaxError("the condition ends too early")
        self.index += 1
        return token

    def keyword(self, word: str) -> bool:
        token = self.peek()
        if token and token[0] == "word" and token[1].lower() == word:
            self.index += 1
            return True
        return False

    def expect(self, text: str) -> None:
        _kind, value, where = self.take()
        if value != text:
            raise RuleSyntaxError(f"expected {text!r} at {where}, found {value!r}")

    def parse(self) -> Any:
        if not self.tokens:
            raise RuleSyntaxError("the condition is empty")
        if len(self.tokens) == 1 and self.tokens[0][1].lower() == CATCH_ALL:
            return Always()
        tree = self.or_()
        if self.peek() is not None:
            _kind, value, where = self.peek()
            raise RuleSyntaxError(f"unexpected {value!r} at {where}")
        return tree

    def or_(self) -> Any:
        operands = [self.and_()]
        while self.keyword("or"):
            operands.append(self.and_())
        return operands[0] if len(operands) == 1 else BoolOp("or", tuple(operands))

    def and_(self) -> Any:
        operands = [self.not_()]
        while self.keyword("and"):
            operands.append(self.not_())
        return operands[0] if len(operands) == 1 else BoolOp("and", tuple(operands))

    def not_(self) -> Any:
        if self.keyword("not"):
            return Not(self.not_())
        token = self.peek()
        if token and token[1] == "(":
            self.take()
            inner = self.or_()
            self.expect(")")
            return inner
        return self.atom()

    def atom(self) -> Any:
        kind, name, where = self.take()
        if kind != "word":
            raise RuleSyntaxError(f"expected a fact at {where}, found {name!r}")
        if name.lower() == CATCH_ALL:
            raise RuleSyntaxError(f"'otherwise' must stand alone (at {where})")
        if name in FLAG_FACTS:
            return Comparison(name, "is", True)
        if name == "priority":
            return self.priority_comparison(where)
        if name not in NUMERIC_FACTS:
            known = ", ".join(sorted(NUMERIC_FACTS | FLAG_FACTS | {"priority"}))
            raise RuleSyntaxError(f"unknown fact {name!r} at {where}; known facts: {known}")
        op_kind, op, op_where = self.take()
        if op_kind != "op":
            raise RuleSyntaxError(f"expected a comparison (<, <=, >, >=, ==, !=) after {name} at {op_where}")
        value_kind, value, value_where = self.take()
        if value_kind != "number":
            raise RuleSyntaxError(f"{name} compares with a number; found {value!r} at {value_where}")
        return Comparison(name, op, float(value))

    def priority_comparison(self, where: int) -> Comparison:
        if self.keyword("in"):
            self.expect("{")
            levels = [self.priority_level()]
            while self.peek() and self.peek()[1] == ",":
                self.take()
                levels.append(self.priority_level())
            self.expect("}")
            return Comparison("priority", "in", tuple(levels))
        _op_kind, op, op_where = self.take()
        if op not in ("==", "!="):
            raise RuleSyntaxError(f"priority takes ==, != or in at {op_where}, found {op!r}")
        return Comparison("priority", op, self.priority_level())

    def priority_level(self) -> str:
        _kind, value, where = self.take()
        if value.upper() not in PRIORITIES:
            raise RuleSyntaxError(f"unknown priority {value!r} at {where}; use {', '.join(PRIORITIES)}")
        return value.upper()


MAX_CONDITION_LENGTH = 1000
MAX_NESTING = 30


def parse_condition(text: str) -> Any:
    """Parse a condition into an evaluable tree; raises RuleSyntaxError with a message for staff."""
    if len(text) > MAX_CONDITION_LENGTH:
        raise RuleSyntaxError(f"the condition is longer than {MAX_CONDITION_LENGTH} characters")
    depth = deepest = 0
    for character in text:
        depth += {"(": 1, ")": -1}.get(character, 0)
        deepest = max(deepest, depth)
    if deepest > MAX_NESTING or text.lower().split().count("not") > MAX_NESTING:
        raise RuleSyntaxError(f"the condition nests deeper than {MAX_NESTING} levels")
    return _Parser(text).parse()


def is_catch_all(text: str) -> bool:
    return text.strip().lower() == CATCH_ALL


def validate_rules(rules: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Errors per rule (``rules.<i>.<field>``) and for the table; empty when the table is usable."""
    errors: dict[str, list[str]] = {}
    if not rules:
        return {"rules": ["A rule set needs at least one rule."]}
    for index, rule in enumerate(rules):
        try:
            parse_condition(rule.get("condition", ""))
        except RuleSyntaxError as error:
            errors[f"rules.{index}.condition"] = [str(error)]
        if not re.fullmatch(r"[A-Z][A-Z0-9_]{0,63}", rule.get("outcome", "")):
            errors[f"rules.{index}.outcome"] = [
                "Use UPPER_CASE letters, digits and underscores, e.g. APPROVE_SCHEDULED."
            ]
        if not str(rule.get("rationale", "")).strip():
            errors[f"rules.{index}.rationale"] = ["Say why: the rationale is shown with every decision."]
        if is_catch_all(rule.get("condition", "")) and index != len(rules) - 1:
            errors[f"rules.{index}.condition"] = ["'otherwise' must be the last rule: the rules after it never match."]
    if not is_catch_all(rules[-1].get("condition", "")):
        errors.setdefault("rules", []).append("The last rule must be 'otherwise', so every context gets a decision.")
    return errors


def evaluate(rules: list[dict[str, Any]], facts: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The first rule whose condition holds, and the trace of every rule tried up to it."""
    tried: list[dict[str, Any]] = []
    for rule in rules:
        trace: list[dict[str, Any]] = []
        matched = parse_condition(rule["condition"]).evaluate(facts, trace)
        tried.append({"order": rule["order"], "condition": rule["condition"], "matched": matched, "comparisons": trace})
        if matched:
            return rule, tried
    raise RuleSyntaxError("no rule matched: the rule set has no catch-all")  # validate_rules prevents this
