"""Small-cell suppression for published tables, with secondary suppression.

A table is published with its row totals, column totals and grand total. Counts from 1 to 4
(``THRESHOLD``) are primary suppressions, shown as "<5"; zeros are shown (they identify nobody).
Secondary suppression then hides more cells until no hidden cell can be worked out from the
visible cells and totals.

Why that test is a graph test: put the totals in an extra row and column, and see each row and
each column (the totals' too) as a vertex, each hidden cell as an edge between its row and its
column. Every line of the table sums to its total, so the hidden values obey one linear equation
per vertex; the solutions differ by alternating +t/-t along cycles of hidden cells. A hidden cell
is therefore determined exactly when its edge lies on no cycle (a bridge). We hide further cells,
smallest first, until no hidden edge is a bridge. Because only non-zero cells are hidden (while
any remain), every hidden value is at least 1, so each cycle can move by ±1 and stay non-negative:
not even the attacker's knowledge that counts are never negative pins a cell down.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

THRESHOLD = 5
SUPPRESSED = "<5"

Cell = tuple[int, int]


@dataclass(frozen=True)
class SuppressedTable:
    """A table with totals, and which of its cells are hidden.

    ``values`` has one more row and column than the input: the last column holds row totals,
    the last row column totals, the corner the grand total.
    """

    values: list[list[int]]
    hidden: frozenset[Cell]

    def shown(self, row: int, column: int) -> str:
        """Return the cell as published: its count, or "<5" when hidden."""
        if (row, column) in self.hidden:
            return SUPPRESSED
        return str(self.values[row][column])


def with_totals(table: Sequence[Sequence[int]]) -> list[list[int]]:
    """Return the table with a totals column and a totals row added."""
    rows = [[*row, sum(row)] for row in table]
    width = len(rows[0]) if rows else 1
    totals = [sum(row[index] for row in rows) for index in range(width)]
    return [*rows, totals]


def _bridges(edges: set[Cell], rows: int) -> set[Cell]:
    """Return the hidden cells on no cycle (Tarjan's bridges on the row/column graph)."""
    graph: dict[int, list[tuple[int, int]]] = defaultdict(list)
    edge_list = sorted(edges)
    for index, (row, column) in enumerate(edge_list):
        a, b = row, rows + column
        graph[a].append((b, index))
        graph[b].append((a, index))
    order: dict[int, int] = {}
    low: dict[int, int] = {}
    found: set[Cell] = set()
    counter = 0
    for start in list(graph):
        if start in order:
            continue
        stack: list[tuple[int, int, int]] = [(start, -1, 0)]
        order[start] = low[start] = counter
        counter += 1
        while stack:
            node, via, position = stack[-1]
            if position < len(graph[node]):
                stack[-1] = (node, via, position + 1)
                neighbour, edge = graph[node][position]
                if edge == via:
                    continue
                if neighbour in order:
                    low[node] = min(low[node], order[neighbour])
                else:
                    order[neighbour] = low[neighbour] = counter
                    counter += 1
                    stack.append((neighbour, edge, 0))
            else:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        found.add(edge_list[via])
    return found


def _side(edges: set[Cell], rows: int, bridge: Cell) -> set[int]:
    """Return the vertices reachable from the bridge's row without crossing the bridge."""
    graph: dict[int, set[int]] = defaultdict(set)
    for row, column in edges:
        if (row, column) != bridge:
            graph[row].add(rows + column)
            graph[rows + column].add(row)
    seen = {bridge[0]}
    todo = [bridge[0]]
    while todo:
        for neighbour in graph[todo.pop()]:
            if neighbour not in seen:
                seen.add(neighbour)
                todo.append(neighbour)
    return seen


def suppress(table: Sequence[Sequence[int]]) -> SuppressedTable:
    """Return the table with totals and the cells to hide (primary and secondary)."""
    values = with_totals(table)
    height, width = len(values), len(values[0])
    cells = [(r, c) for r in range(height) for c in range(width)]
    hidden = {(r, c) for r, c in cells if 0 < values[r][c] < THRESHOLD}
    while True:
        bridges = _bridges(hidden, height)
        if not bridges:
            break
        bridge = min(bridges, key=lambda cell: (values[cell[0]][cell[1]], cell))
        side = _side(hidden, height, bridge)
        candidates = [cell for cell in cells if cell not in hidden]
        # Best: a cell joining the bridge's two sides, which puts the bridge on a cycle.
        crossing = [(r, c) for r, c in candidates if (r in side) != (height + c in side)]
        # Otherwise a cell in the bridge's row or column, to grow the hidden pattern.
        nearby = [(r, c) for r, c in candidates if r == bridge[0] or c == bridge[1]]
        pool = crossing or nearby or candidates
        non_zero = [cell for cell in pool if values[cell[0]][cell[1]] > 0]
        choice = min(non_zero or pool, key=lambda cell: (values[cell[0]][cell[1]], cell))
        hidden.add(choice)
    return SuppressedTable(values=values, hidden=frozenset(hidden))
