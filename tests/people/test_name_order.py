"""People are listed in the order a Spanish reader expects, on SQLite and on PostgreSQL:
accents and case do not move a name (Álvaro sorts with the A, Óscar with the O) and ñ comes
after n."""

from django.urls import reverse

import pytest

from people.models import Role, User

pytestmark = pytest.mark.django_db

NAMES = ["Zoe Ruiz", "Óscar Pérez", "álvaro Gil", "Beatriz Núñez", "Ana Ñuñez", "Ana Nuño",
         "Alba Torres", "Oscar Abad", "Ángela Ibáñez"]  # fmt: skip
EXPECTED = ["Alba Torres", "álvaro Gil", "Ana Nuño", "Ana Ñuñez", "Ángela Ibáñez",
            "Beatriz Núñez", "Oscar Abad", "Óscar Pérez", "Zoe Ruiz"]  # fmt: skip


@pytest.fixture
def people(user_factory, team):
    return [user_factory(roles=[Role.AGENT], team=team, full_name=name) for name in NAMES]


def test_people_sort_by_name_ignoring_accents_and_case(people):
    names = list(
        User.objects.filter(pk__in=[p.pk for p in people]).values_list("full_name", flat=True)
    )
    assert names == EXPECTED


def test_hr_people_list_is_in_spanish_alphabetical_order(client, hr, people):
    client.force_login(hr)
    html = client.get(reverse("people:hr_home")).content.decode()
    positions = [html.index(name) for name in EXPECTED]
    assert positions == sorted(positions)
