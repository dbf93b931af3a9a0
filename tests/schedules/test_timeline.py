from types import SimpleNamespace

from schedules.timeline import active_months, lanes


def m(start, end, label="x"):
    return SimpleNamespace(start_month=start, end_month=end, label=label)


def layout(row):
    return [(c.start_month, c.span, c.milestone.label if c.milestone else None) for c in row]


def test_a_program_without_milestones_is_twelve_empty_months():
    [row] = lanes([])
    assert layout(row) == [(month, 1, None) for month in range(1, 13)]


def test_a_span_is_one_cell_across_its_months():
    [row] = lanes([m(3, 3, "공고"), m(4, 11, "사업수행")])
    assert layout(row) == [
        (1, 1, None),
        (2, 1, None),
        (3, 1, "공고"),
        (4, 8, "사업수행"),
        (12, 1, None),
    ]
    assert sum(cell.span for cell in row) == 12


def test_overlapping_milestones_go_to_a_second_lane():
    first, second = lanes([m(1, 12, "교육진행"), m(3, 3, "공지")])
    assert layout(first) == [(1, 12, "교육진행")]
    assert (3, 1, "공지") in layout(second)
    assert sum(cell.span for cell in second) == 12


def test_active_months_cover_spans():
    assert active_months([m(2, 2), m(4, 6)]) == {2, 4, 5, 6}
