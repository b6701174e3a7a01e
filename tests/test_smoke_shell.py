from django.test import Client

from tests.personas import World


def test_home_shows_roles_to_a_signed_in_officer(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for(world.intake_officer).get("/en/")
    assert response.status_code == 200
    assert b"Intake officer" in response.content


def test_home_sends_visitors_to_sign_in(client: Client, db: None) -> None:
    response = client.get("/en/")
    assert response.status_code == 302
