from django.urls import reverse


def test_front_door_is_the_reader_site_home_page(client, db) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/")
    assert response.status_code == 200
    assert response.resolver_match.view_name == "reader:home"
    assert b"Latest fact checks" in response.content


def test_admin_and_api_keep_their_addresses(client, db) -> None:  # type: ignore[no-untyped-def]
    assert reverse("admin:index") == "/admin/"
    assert reverse("api-docs") == "/api/docs/"
    assert client.get("/admin/").status_code == 302  # to the sign-in page
    assert client.get("/api/docs/").status_code == 200
