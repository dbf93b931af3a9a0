"""The catalogue's page links: first and last, two on each side of the current
page, and "…" only where it hides two pages or more."""

from django.core.paginator import Paginator

from programs.views.catalogue import pagination


class Search:
    def page_url(self, number):
        return f"?page={number}"


def shown(number, pages=10):
    page = Paginator(range(pages * 20), 20).page(number)
    return [link["number"] if link else "…" for link in pagination(Search(), page)["links"]]


def test_page_5_of_10_hides_no_single_page_behind_an_ellipsis():
    assert shown(5) == [1, 2, 3, 4, 5, 6, 7, "…", 10]


def test_a_page_in_the_middle_has_two_neighbours_each_side_and_both_ends():
    assert shown(6, pages=12) == [1, "…", 4, 5, 6, 7, 8, "…", 12]


def test_the_first_and_last_pages():
    assert shown(1) == [1, 2, 3, "…", 10]
    assert shown(10) == [1, "…", 8, 9, 10]


def test_few_pages_are_all_shown():
    assert shown(2, pages=6) == [1, 2, 3, 4, 5, 6]


def test_the_current_page_and_the_neighbour_links_are_marked():
    page = Paginator(range(200), 20).page(5)
    links = pagination(Search(), page)
    assert [link["number"] for link in links["links"] if link and link["current"]] == [5]
    assert links["previous_url"] == "?page=4" and links["next_url"] == "?page=6"
