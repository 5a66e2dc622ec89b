"""The classic cases of complementary suppression, worked by hand, and the rule's choices."""

from __future__ import annotations

from seen.report import DisclosureRules, Marker, feasible_ranges, protect, recoverable_cells

from .tables import one_way, printed, table


def test_a_lone_small_count_takes_the_smallest_other_count_in_its_line() -> None:
    published = protect(one_way([3, 10, 20]))
    # 3 alone would be the total (33) less 10 and 20; 10 is the cheapest second figure.
    assert printed(published) == [["c"], ["c"], ["20"], ["33"]]
    assert recoverable_cells(published) == []


def test_a_zero_is_shown_and_is_not_chosen_while_a_count_can_be() -> None:
    published = protect(one_way([4, 0, 17]))
    # Hiding the 0 with the 4 would leave "c + c = 4": both small, one of them 4 at most.
    assert printed(published) == [["c"], ["0"], ["c"], ["21"]]
    (small, complement) = feasible_ranges(published)
    assert (small.low, small.high) == (0, 21)
    assert (complement.low, complement.high) == (0, 21)


def test_a_small_count_in_a_two_way_table_takes_a_rectangle_of_cells() -> None:
    published = protect(
        table(
            [
                [3, 20],
                [15, 30],
                [12, 0],
            ]
        )
    )
    # The cheapest rectangle through the 3 with no total and no zero: rows A and B.
    assert printed(published) == [
        ["c", "c", "23"],
        ["c", "c", "45"],
        ["12", "0", "12"],
        ["30", "50", "80"],
    ]
    ranges = {found.position: (found.low, found.high) for found in feasible_ranges(published)}
    assert ranges[(0, 0)] == (0, 18)
    assert recoverable_cells(published) == []


def test_a_row_with_one_small_count_and_a_zero_is_protected_through_its_column() -> None:
    published = protect(
        table(
            [
                [3, 0],
                [10, 12],
                [8, 9],
            ]
        )
    )
    # Row A's total is 3 as well, so both are c, and the 0 beside them stays 0. The totals'
    # column (3 + 22 + 17 = 42) would give the row total away, so it takes a second total,
    # and the rectangle through Area C protects the 3 in the Route 1 column too.
    assert printed(published) == [
        ["c", "0", "c"],
        ["10", "12", "22"],
        ["c", "9", "c"],
        ["21", "21", "42"],
    ]
    ranges = {found.position: (found.low, found.high) for found in feasible_ranges(published)}
    assert ranges[(0, 0)] == (0, 11)
    assert ranges[(0, 2)] == (0, 11)


def test_when_the_only_complement_is_a_total_the_total_is_suppressed() -> None:
    # One row: each column's total is its only cell, so any rectangle through the 3 takes a
    # column total with it.
    published = protect(table([[3, 20]]))
    assert printed(published) == [
        ["c", "c", "23"],
        ["c", "c", "23"],
    ]
    assert recoverable_cells(published) == []


def test_small_totals_are_suppressed_like_any_count() -> None:
    published = protect(one_way([2, 0, 0]))
    assert printed(published) == [["c"], ["0"], ["0"], ["c"]]
    (cell, total) = feasible_ranges(published)
    assert cell.high is None and total.high is None  # nothing published bounds them


def test_small_counts_that_add_up_to_a_small_count_are_not_left_as_a_pair() -> None:
    # "c + c = 2" would give both away as 1 (the counts marked c are 1 to 5 or complements).
    published = protect(one_way([1, 1, 50]))
    assert printed(published) == [["c"], ["c"], ["c"], ["52"]]


def test_a_table_with_nothing_small_is_published_as_it_is() -> None:
    published = protect(table([[6, 0], [10, 25]]))
    assert printed(published) == [["6", "0", "6"], ["10", "25", "35"], ["16", "25", "41"]]


def test_x_and_z_cells_keep_their_markers_and_are_in_no_total() -> None:
    published = protect(table([[Marker.NOT_APPLICABLE, 12], [Marker.NOT_AVAILABLE, 9]]))
    assert printed(published) == [["z", "12", "12"], ["x", "9", "9"], ["x", "21", "21"]]


def test_rounded_totals_round_halves_up_and_still_protect_small_counts() -> None:
    rules = DisclosureRules(round_totals_to=10)
    assert [rules.rounded(n) for n in (0, 4, 5, 14, 15, 23)] == [0, 0, 10, 10, 20, 20]
    published = protect(one_way([3, 40]), rules)
    # A rounded total of 40 and a visible 40 would leave the 3 between 0 and 4.
    assert printed(published) == [["c"], ["c"], ["40"]]
    assert recoverable_cells(published) == []


def test_a_rounded_total_that_rounds_to_zero_is_marked_low() -> None:
    published = protect(one_way([10, 20]), DisclosureRules(round_totals_to=100))
    assert printed(published) == [["10"], ["20"], ["low"]]


def test_protection_is_deterministic() -> None:
    counts = [[3, 0, 7, 1], [2, 14, 9, 0], [40, 5, 6, 11]]
    assert printed(protect(table(counts))) == printed(protect(table(counts)))


def test_the_footer_states_the_rules_after_the_tables_own_notes() -> None:
    published = protect(table([[3, 20]], footer=["Counts are of children, not referrals."]))
    assert published.footer[0] == "Counts are of children, not referrals."
    assert any("1 to 5" in line and "c" in line for line in published.footer)
    assert any("Totals are exact" in line for line in published.footer)
    rounded = protect(table([[3, 20]]), DisclosureRules(round_totals_to=10))
    assert any("rounded to the nearest 10" in line for line in rounded.footer)
    assert Marker.LOW in rounded.legend and Marker.LOW not in published.legend


def test_a_protected_table_holds_no_suppressed_value() -> None:
    published = protect(one_way([3, 10, 20]))
    assert [cell.value for row in published.cells[0] for cell in row] == [None, None, 20, 33]
