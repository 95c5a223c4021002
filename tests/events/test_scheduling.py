"""The meeting grid's placement: nobody in two meetings at once, never more meetings than
tables, only in slots both people are free, and as many meetings as the grid allows."""

from collections import Counter

import pytest

from bench.events_scheduling import generate
from events.scheduling import Grid, MeetingRequest, place_meetings
from events.scheduling_colouring import colour
from events.scheduling_groups import slot_groups


def _valid(placement, requests, grid) -> None:
    people = Counter()
    per_slot = Counter(placement.slots.values())
    for r in requests:
        if r.key in placement.slots:
            slot = placement.slots[r.key]
            assert slot in grid.slots_of(r.first) and slot in grid.slots_of(r.second)
            people[r.first, slot] += 1
            people[r.second, slot] += 1
    assert max(people.values(), default=0) <= 1
    assert max(per_slot.values(), default=0) <= grid.tables
    tables = Counter((placement.slots[k], t) for k, t in placement.tables.items())
    assert max(tables.values(), default=0) <= 1


def test_a_triangle_of_requests_needs_three_slots_so_two_slots_hold_two():
    # a-b, b-c, a-c: any two of them share a person, so each slot holds one.
    requests = [MeetingRequest(1, 10, 11), MeetingRequest(2, 11, 12), MeetingRequest(3, 10, 12)]
    grid = Grid(slots=2, tables=5)

    placement = place_meetings(requests, grid)

    assert placement.placed == 2
    assert placement.optimal is True
    _valid(placement, requests, grid)


def test_availability_decides_the_slot():
    # 10 is free only in slot 2, 11 only in slots 1 and 2: their meeting goes in slot 2.
    requests = [MeetingRequest(1, 10, 11), MeetingRequest(2, 11, 12)]
    grid = Grid(slots=3, tables=1, availability={10: frozenset({2}), 11: frozenset({1, 2})})

    placement = place_meetings(requests, grid)

    assert placement.slots == {1: 2, 2: 1}


def test_tables_cap_the_meetings_of_a_slot():
    # Four disjoint pairs, one slot, two tables: two meetings.
    requests = [MeetingRequest(k, 2 * k, 2 * k + 1) for k in range(4)]
    grid = Grid(slots=1, tables=2)

    placement = place_meetings(requests, grid)

    assert placement.placed == 2
    assert sorted(placement.tables.values()) == [0, 1]


def test_a_meeting_moved_by_staff_stays_where_it_was_put():
    requests = [MeetingRequest(1, 10, 11), MeetingRequest(2, 10, 12)]
    grid = Grid(slots=2, tables=1)

    placement = place_meetings(requests, grid, fixed={1: 1})

    assert placement.slots == {1: 1, 2: 0}


def test_a_move_into_a_slot_someone_is_away_is_refused():
    requests = [MeetingRequest(1, 10, 11)]
    grid = Grid(slots=2, tables=1, availability={10: frozenset({0})})

    with pytest.raises(ValueError, match="someone is unavailable"):
        place_meetings(requests, grid, fixed={1: 1})


def test_the_earliest_free_slot_is_not_always_right():
    # 10-11 could take slot 0, but 12 is there only in slot 0 and must meet 10 then: the best
    # placement puts 10-11 in slot 1.
    requests = [MeetingRequest(1, 10, 11), MeetingRequest(2, 10, 12)]
    grid = Grid(slots=2, tables=1, availability={12: frozenset({0})})

    placement = place_meetings(requests, grid)

    assert placement.slots == {1: 1, 2: 0}
    assert (placement.upper_bound, placement.optimal) == (2, True)


def test_people_away_for_a_session_force_their_meetings_into_the_other():
    # Two sessions of two slots: {0, 1} and {2, 3}. 10 is there all day and was asked by 20, 21
    # and 22, who come to the morning only, and by 30 (all day). 10 has two morning slots, so
    # one of 20-22 cannot be met: 3 meetings at most, though 10 alone has 4 free slots.
    morning = frozenset({0, 1})
    requests = [
        MeetingRequest(1, 10, 20),
        MeetingRequest(2, 10, 21),
        MeetingRequest(3, 10, 22),
        MeetingRequest(4, 10, 30),
    ]
    grid = Grid(slots=4, tables=5, availability={20: morning, 21: morning, 22: morning})

    placement = place_meetings(requests, grid)

    assert (placement.placed, placement.upper_bound, placement.optimal) == (3, 3, True)
    assert placement.slots[4] in {2, 3}
    _valid(placement, requests, grid)


def test_four_people_meeting_each_other_need_three_slots():
    # All six pairs of 10, 11, 12, 13: three slots of two disjoint pairs each (10-11 with 12-13,
    # 10-12 with 11-13, 10-13 with 11-12) hold all six.
    people = [10, 11, 12, 13]
    requests = [
        MeetingRequest(k, a, b)
        for k, (a, b) in enumerate((a, b) for a in people for b in people if a < b)
    ]
    grid = Grid(slots=3, tables=2)

    placement = place_meetings(requests, grid)

    assert (placement.placed, placement.optimal) == (6, True)
    _valid(placement, requests, grid)


def test_five_people_meeting_each_other_fit_eight_of_ten_meetings_in_four_slots():
    # All ten pairs of five people: everyone has four slots for four meetings, yet a slot holds
    # at most two meetings among five people, so four slots hold at most eight.
    people = [10, 11, 12, 13, 14]
    requests = [
        MeetingRequest(k, a, b)
        for k, (a, b) in enumerate((a, b) for a in people for b in people if a < b)
    ]
    grid = Grid(slots=4, tables=5)

    placement = place_meetings(requests, grid)

    assert (placement.placed, placement.upper_bound, placement.optimal) == (8, 8, True)
    _valid(placement, requests, grid)


def test_tables_bind_across_the_grid():
    # Eight disjoint pairs, three slots of two tables: six meetings, two in each slot.
    requests = [MeetingRequest(k, 2 * k, 2 * k + 1) for k in range(8)]
    grid = Grid(slots=3, tables=2)

    placement = place_meetings(requests, grid)

    assert (placement.placed, placement.upper_bound, placement.optimal) == (6, 6, True)
    assert sorted(Counter(placement.slots.values()).values()) == [2, 2, 2]
    _valid(placement, requests, grid)


def test_meetings_are_placed_around_a_fixed_one():
    # 10-11 stays in slot 0 (moved there by staff). 10-12 and 11-12 then need slot 1 both:
    # only one of them fits; 13-14 takes the free table of either slot.
    requests = [
        MeetingRequest(1, 10, 11),
        MeetingRequest(2, 10, 12),
        MeetingRequest(3, 11, 12),
        MeetingRequest(4, 13, 14),
    ]
    grid = Grid(slots=2, tables=2)

    placement = place_meetings(requests, grid, fixed={1: 0})

    assert placement.slots[1] == 0
    assert (placement.placed, placement.upper_bound, placement.optimal) == (3, 3, True)
    assert 4 in placement.slots
    _valid(placement, requests, grid)


@pytest.mark.parametrize(
    "fixed",
    [{1: 0, 2: 0}, {1: 0, 3: 0}],
    ids=["one person twice in a slot", "more meetings than tables"],
)
def test_fixed_meetings_that_do_not_fit_together_are_refused(fixed):
    requests = [MeetingRequest(1, 10, 11), MeetingRequest(2, 10, 12), MeetingRequest(3, 13, 14)]

    with pytest.raises(ValueError, match="do not fit the grid together"):
        place_meetings(requests, Grid(slots=2, tables=1), fixed=fixed)


def test_a_request_whose_people_share_no_slot_is_neither_placed_nor_counted():
    requests = [MeetingRequest(1, 10, 11), MeetingRequest(2, 12, 13)]
    grid = Grid(slots=2, tables=1, availability={10: frozenset({0}), 11: frozenset({1})})

    placement = place_meetings(requests, grid)

    assert placement.slots == {2: 0}
    assert (placement.upper_bound, placement.optimal) == (1, True)


def test_slots_are_grouped_by_who_can_attend_them():
    # 1 comes for slots 0-2, 2 for 3-5; 3 is away in slot 1 and 4 in slot 4. Grouped by who
    # is there: {0, 2}, {1}, {3, 5}, {4}; more than three groups, so the two whose union
    # splits the fewest people's availability are merged: {0, 2} and {1} split only 3's.
    availability = {
        1: frozenset({0, 1, 2}),
        2: frozenset({3, 4, 5}),
        3: frozenset({0, 2, 3, 4, 5}),
        4: frozenset({0, 1, 2, 3, 5}),
    }

    assert slot_groups(6, availability) == [[0, 1, 2], [3, 5], [4]]
    assert slot_groups(6, {1: frozenset({0, 1, 2})}) == [[0, 1, 2], [3, 4, 5]]


def test_a_group_s_meetings_get_distinct_slots_whenever_the_graph_allows():
    # Each of 10, 11, 12 meets each of 20, 21, 22 (nine meetings, three each): bipartite, so
    # three slots hold all nine (Konig), whatever order they are tried in.
    pairs = {3 * i + j: (10 + i, 20 + j) for i in range(3) for j in range(3)}
    every = frozenset({0, 1, 2})

    slots, unplaced = colour(pairs, [0, 1, 2], 3, allowed=dict.fromkeys(pairs, every), fixed={})

    assert unplaced == []
    assert len(slots) == 9
    seats = Counter((person, slots[key]) for key, pair in pairs.items() for person in pair)
    assert max(seats.values()) == 1
    assert sorted(Counter(slots.values()).values()) == [3, 3, 3]


def test_the_benchmark_instance_is_placed_optimally():
    requests, grid = generate()

    # A generous limit: this checks the answer; bench/events_scheduling.py measures the time.
    placement = place_meetings(requests, grid, time_limit=30)

    _valid(placement, requests, grid)
    # Found by running the solver for minutes (2026-12-07): 1,934 is the optimum.
    assert (placement.placed, placement.upper_bound, placement.optimal) == (1934, 1934, True)
