"""Small-cell suppression: no hidden cell can be worked out from the visible cells and totals."""

from __future__ import annotations

import itertools
import math
import random
from fractions import Fraction

import pytest

from meesaq.reports.suppression import SUPPRESSED, SuppressedTable, suppress


def _determined(
    values: list[list[int]], hidden: frozenset[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Return the hidden cells that linear algebra recovers from the published table.

    An attacker's view, written independently of the suppression code: every row and column of
    the table (totals included) gives an equation; Gauss-Jordan elimination over fractions
    finds each hidden cell whose value the equations fix.
    """
    height, width = len(values), len(values[0])
    unknown = sorted(hidden)
    index = {cell: i for i, cell in enumerate(unknown)}
    equations = []
    lines = [[(r, c) for c in range(width)] for r in range(height)]
    lines += [[(r, c) for r in range(height)] for c in range(width)]
    for number, line in enumerate(lines):
        row = [Fraction(0)] * (len(unknown) + 1)
        for position, cell in enumerate(line):
            # The last cell of each line is its total: the others add up to it.
            sign = -1 if position == len(line) - 1 else 1
            if cell in index:
                row[index[cell]] += sign
            else:
                row[-1] -= sign * values[cell[0]][cell[1]]
        del number
        equations.append(row)
    pivots = []
    top = 0
    for column in range(len(unknown)):
        found = next((i for i in range(top, len(equations)) if equations[i][column] != 0), None)
        if found is None:
            continue
        equations[top], equations[found] = equations[found], equations[top]
        pivot = equations[top][column]
        equations[top] = [value / pivot for value in equations[top]]
        for i in range(len(equations)):
            if i != top and equations[i][column] != 0:
                factor = equations[i][column]
                equations[i] = [
                    a - factor * b for a, b in zip(equations[i], equations[top], strict=True)
                ]
        pivots.append((top, column))
        top += 1
    return [
        unknown[column]
        for row, column in pivots
        if all(equations[row][k] == 0 for k in range(len(unknown)) if k != column)
    ]


def test_counts_under_five_are_shown_as_less_than_five() -> None:
    table = suppress([[3, 10, 12], [8, 9, 20]])
    assert table.shown(0, 0) == SUPPRESSED
    assert table.shown(1, 2) in {"20", SUPPRESSED}
    assert all(table.shown(r, c) != "3" for r in range(3) for c in range(4))


def test_zeros_and_large_counts_stay_visible_when_nothing_is_small() -> None:
    table = suppress([[0, 10], [7, 9]])
    assert table.hidden == frozenset()
    assert table.shown(2, 2) == "26"


def test_a_lone_small_cell_gets_company_so_the_totals_do_not_give_it_away() -> None:
    table = suppress([[2, 10, 12], [8, 9, 20], [7, 30, 6]])
    assert len(table.hidden) >= 4
    assert _determined(table.values, table.hidden) == []


@pytest.mark.parametrize("seed", range(6))
def test_no_suppressed_cell_is_recoverable_from_totals_in_random_tables(seed: int) -> None:
    chooser = random.Random(seed)  # noqa: S311  # reproducible test data
    for _attempt in range(300):
        height, width = chooser.randint(1, 6), chooser.randint(1, 6)
        raw = [
            [chooser.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 14, 30]) for _ in range(width)]
            for _ in range(height)
        ]
        table = suppress(raw)
        primary = {
            (r, c)
            for r, row in enumerate(table.values)
            for c, value in enumerate(row)
            if 0 < value < 5
        }
        assert primary <= table.hidden
        assert _determined(table.values, table.hidden) == [], raw


def _fillings(table: SuppressedTable) -> dict[tuple[int, int], set[int]]:
    """Return every value each hidden cell can take in a table agreeing with what is published.

    An exhaustive attack: try every non-negative filling of the hidden inner cells up to the
    smallest visible total of their lines, derive the totals, keep the fillings that agree.
    """
    values = table.values
    height, width = len(values) - 1, len(values[0]) - 1
    inner = [cell for cell in sorted(table.hidden) if cell[0] < height and cell[1] < width]
    visible = [values[r][c] for r, c in [(height, width)] if (r, c) not in table.hidden]
    limit = visible[0] if visible else 40

    def bound(cell: tuple[int, int]) -> int:
        totals = [values[cell[0]][width], values[height][cell[1]]]
        shown = [
            total
            for total, at in zip(totals, [(cell[0], width), (height, cell[1])], strict=True)
            if at not in table.hidden
        ]
        return min([*shown, limit])

    found: dict[tuple[int, int], set[int]] = {cell: set() for cell in table.hidden}
    ranges = [range(bound(cell) + 1) for cell in inner]
    if math.prod(len(r) for r in ranges) > SEARCH_LIMIT:
        return {}
    for filling in itertools.product(*ranges):
        grid = [row[:] for row in values]
        for cell, value in zip(inner, filling, strict=True):
            grid[cell[0]][cell[1]] = value
        for r in range(height):
            grid[r][width] = sum(grid[r][:width])
        for c in range(width + 1):
            grid[height][c] = sum(grid[r][c] for r in range(height))
        if all(grid[r][c] == values[r][c] for r, c in _cells(values) if (r, c) not in table.hidden):
            for cell in table.hidden:
                found[cell].add(grid[cell[0]][cell[1]])
    return found


SEARCH_LIMIT = 15_000


def _cells(values: list[list[int]]) -> list[tuple[int, int]]:
    return [(r, c) for r in range(len(values)) for c in range(len(values[0]))]


def test_brute_force_finds_more_than_one_value_for_every_hidden_cell() -> None:
    chooser = random.Random(11)  # noqa: S311  # reproducible test data
    attacked = 0
    for _attempt in range(80):
        height, width = chooser.choice([(2, 2), (2, 3), (3, 2)])
        raw = [[chooser.choice([0, 1, 2, 3, 5, 6]) for _ in range(width)] for _ in range(height)]
        table = suppress(raw)
        candidates = _fillings(table) if table.hidden else {}
        attacked += bool(candidates)
        assert all(len(values) >= 2 for values in candidates.values()), (raw, candidates)
    assert attacked >= 10
