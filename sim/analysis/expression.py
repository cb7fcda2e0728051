"""A small, safe expression language over a sweep store's outputs (``aisim discover --where``,
``aisim robustness --threshold``): no ``eval``, only this grammar::

    expr    := or
    or      := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare | "(" expr ")"
    compare := term (("<" | "<=" | ">" | ">=" | "==" | "!=") term)+     (chained: a < b < c)
    term    := NUMBER | "-" term | VARIABLE [ "[" dim "=" value ("," dim "=" value)* "]" ]

``VARIABLE`` is an output (``employment_gain_pct``: the mean over draws in a summary store,
the draws' mean in a ``--keep-draws`` store) or a stored array (``employment_gain_pct_quantile``,
``tfp_gain_pct_sd``); ``dim=value`` selects along ``year``, ``sector`` (a code, ``sector=C``),
``quantile`` (``quantile=0.05``) or ``cohort``. After selection, a term must be one number per
sweep point. Example: ``employment_gain_pct[year=2035] < -1 and gdp_gain_pct[year=2035] > 0``.

Every problem is an :class:`~sim.errors.InputError` naming the expression, the column and what
was expected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.errors import InputError, Problem
from sim.suggest import did_you_mean

_TOKEN = re.compile(r"""\s*(?:
    (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?) |
    (?P<op><=|>=|==|!=|<|>) |
    (?P<name>[A-Za-z_][A-Za-z0-9_.]*) |
    (?P<string>'[^']*'|"[^"]*") |
    (?P<punct>[\[\](),=-])
)""", re.VERBOSE)
COMPARISONS = ("<", "<=", ">", ">=", "==", "!=")
#: the dimensions a term may select along (the sweep dimensions stay)
SELECTABLE = ("year", "sector", "quantile", "cohort")


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    column: int


@dataclass(frozen=True)
class Var:
    """``name[dim=value, ...]``."""

    name: str
    select: tuple[tuple[str, Any], ...]
    column: int

    def label(self) -> str:
        sel = ", ".join(f"{d}={v:g}" if isinstance(v, float) else f"{d}={v}"
                        for d, v in self.select)
        return f"{self.name}[{sel}]" if sel else self.name


@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Neg:
    term: Any


@dataclass(frozen=True)
class Compare:
    terms: tuple[Any, ...]
    ops: tuple[str, ...]


@dataclass(frozen=True)
class BoolOp:
    op: str                      # "and" | "or"
    parts: tuple[Any, ...]


@dataclass(frozen=True)
class Not:
    part: Any


def _problem(key: str, text: str, expected: str, got: str, hint: str = "") -> InputError:
    return InputError([Problem.command_line(key, expected, f"{got} in {text!r}", hint)])


def tokenize(text: str, key: str = "--where") -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            col = pos + len(text[pos:]) - len(text[pos:].lstrip()) + 1
            raise _problem(key, text, "an expression such as "
                           "'employment_gain_pct[year=2035] < -1'",
                           f"{text[col - 1]!r} at column {col}")
        kind = m.lastgroup or ""
        value = m.group(kind)
        tokens.append(Token(kind, value, m.start(kind) + 1))
        pos = m.end()
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


class _Parser:
    def __init__(self, text: str, key: str) -> None:
        self.text, self.key = text, key
        self.tokens = tokenize(text, key)
        self.i = 0

    def peek(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def fail(self, expected: str, tok: Token | None = None) -> InputError:
        tok = tok or self.peek()
        got = "the end" if tok.kind == "end" else f"{tok.text!r} at column {tok.column}"
        return _problem(self.key, self.text, expected, got)

    def expect(self, text: str) -> Token:
        if self.peek().text != text:
            raise self.fail(repr(text))
        return self.take()

    def parse(self) -> Any:
        node = self.or_()
        if self.peek().kind != "end":
            raise self.fail("'and', 'or' or the end of the expression")
        return node

    def or_(self) -> Any:
        parts = [self.and_()]
        while self.peek().kind == "name" and self.peek().text == "or":
            self.take()
            parts.append(self.and_())
        return parts[0] if len(parts) == 1 else BoolOp("or", tuple(parts))

    def and_(self) -> Any:
        parts = [self.not_()]
        while self.peek().kind == "name" and self.peek().text == "and":
            self.take()
            parts.append(self.not_())
        return parts[0] if len(parts) == 1 else BoolOp("and", tuple(parts))

    def not_(self) -> Any:
        tok = self.peek()
        if tok.kind == "name" and tok.text == "not":
            self.take()
            return Not(self.not_())
        if tok.text == "(":
            self.take()
            node = self.or_()
            self.expect(")")
            return node
        return self.compare()

    def compare(self) -> Any:
        terms = [self.term()]
        ops = []
        while self.peek().kind == "op":
            ops.append(self.take().text)
            terms.append(self.term())
        if not ops:
            raise self.fail("a comparison (<, <=, >, >=, ==, !=)")
        return Compare(tuple(terms), tuple(ops))

    def term(self) -> Any:
        tok = self.peek()
        if tok.text == "-":
            self.take()
            return Neg(self.term())
        if tok.kind == "number":
            self.take()
            return Num(float(tok.text))
        if tok.kind == "name" and tok.text not in ("and", "or", "not"):
            self.take()
            select: list[tuple[str, Any]] = []
            if self.peek().text == "[":
                self.take()
                while True:
                    dim = self.take()
                    if dim.kind != "name":
                        raise self.fail("a dimension name (" + ", ".join(SELECTABLE) + ")", dim)
                    self.expect("=")
                    value = self.take()
                    neg = False
                    if value.text == "-":
                        neg, value = True, self.take()
                    if value.kind == "number":
                        select.append((dim.text, -float(value.text) if neg else float(value.text)))
                    elif value.kind in ("name", "string") and not neg:
                        select.append((dim.text, value.text.strip("'\"")))
                    else:
                        raise self.fail("a number or a name after '='", value)
                    if self.peek().text == ",":
                        self.take()
                        continue
                    self.expect("]")
                    break
            return Var(tok.text, tuple(select), tok.column)
        raise self.fail("a number or an output variable")


def parse(text: str, key: str = "--where") -> Any:
    """The syntax tree of ``text`` (raises :class:`InputError` with the column)."""
    if not text or not text.strip():
        raise InputError([Problem.command_line(key, "an expression", "an empty one")])
    return _Parser(text, key).parse()


def parse_term(text: str, key: str = "--outcome") -> Var:
    """One output variable with its selection (``employment_gain_pct[year=2035]``)."""
    if not text or not text.strip():
        raise InputError([Problem.command_line(key, "an output variable", "an empty one")])
    parser = _Parser(text, key)
    node = parser.term()
    if not isinstance(node, Var) or parser.peek().kind != "end":
        raise parser.fail("one output variable with its selection, e.g. "
                          "employment_gain_pct[year=2035], and nothing after it")
    return node


def variables(node: Any) -> list[Var]:
    """Every variable reference in ``node``, in order."""
    if isinstance(node, Var):
        return [node]
    if isinstance(node, Neg):
        return variables(node.term)
    if isinstance(node, Compare):
        return [v for t in node.terms for v in variables(t)]
    if isinstance(node, BoolOp):
        return [v for p in node.parts for v in variables(p)]
    if isinstance(node, Not):
        return variables(node.part)
    return []


def resolve(ds: Any, var: Var, lead: tuple[str, ...], text: str, key: str = "--where") -> Any:
    """The DataArray of ``var`` over the sweep dimensions ``lead`` (one value per point)."""
    names = [n for n in ds.data_vars if not n.startswith("chunk_") and n != "point_ok"]
    if var.name in ds.data_vars:
        da = ds[var.name]
    elif f"{var.name}_mean" in ds.data_vars:
        da = ds[f"{var.name}_mean"]
    else:
        bases = sorted({n.rsplit("_", 1)[0] if n.rsplit("_", 1)[-1] in ("mean", "sd", "quantile")
                        else n for n in names})
        raise _problem(key, text, "an output variable of the store", f"{var.name!r}",
                       did_you_mean(var.name, [*bases, *names]) or
                       "outputs: " + ", ".join(bases[:12]) + (" ..." if len(bases) > 12 else ""))
    for dim, value in var.select:
        if dim not in da.dims:
            raise _problem(key, text, f"a dimension of {da.name} ("
                           + ", ".join(d for d in da.dims if d not in lead) + ")",
                           f"{dim!r}", did_you_mean(dim, list(SELECTABLE)))
        coord = ds[dim].values
        if dim in ("sector", "cohort"):
            value = str(value)
            known = [str(c) for c in coord]
            if value not in known:
                raise _problem(key, text, f"a {dim} of the store (" + ", ".join(known) + ")",
                               f"{dim}={value}", did_you_mean(value, known))
            da = da.isel({dim: known.index(value)})
        else:
            if isinstance(value, str):
                raise _problem(key, text, f"a number for {dim}", f"{dim}={value}")
            hit = np.flatnonzero(np.isclose(coord.astype(float), value))
            if hit.size == 0:
                shown = f"{coord.min():g}..{coord.max():g}" if dim == "year" else \
                    ", ".join(f"{c:g}" for c in coord)
                raise _problem(key, text, f"a {dim} of the store ({shown})",
                               f"{dim}={value:g}")
            da = da.isel({dim: int(hit[0])})
    if "draw" in da.dims:
        da = da.mean("draw")
    left = [d for d in da.dims if d not in lead]
    if left:
        raise _problem(key, text, f"one value per sweep point for {var.label()}",
                       "dimension(s) " + ", ".join(left) + " left",
                       "select them, e.g. " + var.name + "[" + ", ".join(
                           f"{d}={_example(ds, d)}" for d in left) + "]")
    return da


def _example(ds: Any, dim: str) -> str:
    values = ds[dim].values
    value = values[-1] if dim == "year" else values[0]
    return f"{value:g}" if isinstance(value, (float, int, np.number)) else str(value)


def evaluate(ds: Any, text: str, lead: tuple[str, ...], key: str = "--where") -> Any:
    """``text`` over the store ``ds``: a boolean DataArray over the sweep dimensions ``lead``
    (NaN values compare False)."""
    tree = parse(text, key)
    cache: dict[Var, Any] = {}

    def value(node: Any) -> Any:
        if isinstance(node, Num):
            return node.value
        if isinstance(node, Neg):
            return -value(node.term)
        if node not in cache:
            cache[node] = resolve(ds, node, lead, text, key).load()
        return cache[node]

    ops = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal,
           "==": np.equal, "!=": np.not_equal}

    def truth(node: Any) -> Any:
        if isinstance(node, Compare):
            out = True
            vals = [value(t) for t in node.terms]
            for op, a, b in zip(node.ops, vals, vals[1:], strict=False):
                out = out & ops[op](a, b)
            return out
        if isinstance(node, BoolOp):
            parts = [truth(p) for p in node.parts]
            out = parts[0]
            for p in parts[1:]:
                out = (out & p) if node.op == "and" else (out | p)
            return out
        if isinstance(node, Not):
            return ~truth(node.part)
        raise _problem(key, text, "a comparison", "a bare value")

    result = truth(tree)
    if not hasattr(result, "dims"):
        raise _problem(key, text, "a condition on at least one output variable",
                       "only numbers")
    return result
