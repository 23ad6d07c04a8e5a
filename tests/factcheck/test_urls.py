def test_front_door_leads_to_the_admin_until_the_reader_site_exists(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
