"""/robots.txt points crawlers at the sitemap and away from the downloads."""

from django.test import override_settings


def robots_lines(client, **extra) -> list[str]:
    response = client.get("/robots.txt", **extra)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    return response.content.decode().splitlines()


def test_it_names_the_sitemap_on_the_host_it_was_asked_for(client, db):
    assert "Sitemap: http://testserver/sitemap.xml" in robots_lines(client)


@override_settings(ALLOWED_HOSTS=["portal.example.kr"])
def test_behind_https_the_sitemap_address_is_https(client, db):
    lines = robots_lines(client, HTTP_HOST="portal.example.kr", secure=True)
    assert "Sitemap: https://portal.example.kr/sitemap.xml" in lines


def test_the_sitemap_it_names_exists(client, db):
    (line,) = [line for line in robots_lines(client) if line.startswith("Sitemap: ")]
    path = line.removeprefix("Sitemap: http://testserver")
    assert client.get(path).status_code == 200


def test_every_crawler_is_kept_from_the_admin_and_the_downloads_only(client, db):
    lines = robots_lines(client)
    assert lines[0] == "User-agent: *"
    disallowed = [line.removeprefix("Disallow: ") for line in lines if line.startswith("Disallow")]
    assert disallowed == ["/admin/", "/*.csv", "/*.xlsx", "/*.json", "/*.ics"]
    # The pages and the Atom feeds stay open to crawlers.
    assert not any(rule in ("/", "/programs/", "/calendar/", "/*.atom") for rule in disallowed)


@override_settings(ADMIN_URL="staff-only-7d2c/")
def test_an_admin_path_kept_out_of_sight_is_not_published_here(client, db):
    text = "\n".join(robots_lines(client))
    assert "staff-only" not in text
    assert "Disallow: /admin/" not in text


def test_the_admin_itself_asks_not_to_be_indexed(client, db):
    html = client.get("/admin/login/").content.decode()
    assert '<meta name="robots" content="NONE,NOARCHIVE">' in html
