import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_lists_the_authorities(client, sample):
    response = client.get(reverse("guidance:home"))
    assert response.status_code == 200
    assert b"Sampleshire" in response.content


def test_authority_page_lists_its_four_levels_with_local_names(client, sample):
    response = client.get(reverse("guidance:authority", args=["sample"]))
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("Universal", "Early Help", "Targeted", "Specialist"):
        assert name in html
    assert html.index("Early Help") < html.index("Targeted")


def test_unknown_authority_is_404(client, db):
    assert client.get("/nowhere/").status_code == 404
