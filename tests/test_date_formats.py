"""Dates read unambiguously in both languages: "1 Dec 2026" in English (never 12/01/2026),
"1 de diciembre de 2026" or 01/12/2026 in Spanish (config/formats)."""

import datetime
import re

from django.urls import reverse
from django.utils import formats, timezone, translation

import pytest

from certification.models import Certificate, Programme

DAY = datetime.date(2026, 12, 1)


@pytest.mark.parametrize(
    ("language", "long", "short"),
    [("en", "1 Dec 2026", "1 Dec 2026"), ("es", "1 de diciembre de 2026", "01/12/2026")],
)
def test_date_formats_per_language(language, long, short):
    with translation.override(language):
        assert formats.date_format(DAY, "DATE_FORMAT") == long
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == short


def test_english_date_times_name_the_month():
    moment = datetime.datetime(2026, 12, 1, 9, 30)
    with translation.override("en"):
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "1 Dec 2026, 09:30"


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "shown"), [("en", "1 Dec 2026"), ("es", "01/12/2026")])
def test_the_certificate_list_shows_dates_in_the_language_of_the_page(
    client, hr, agent, language, shown
):
    issued = timezone.make_aware(datetime.datetime(2026, 12, 1, 12, 0))
    Certificate.objects.create(
        person=agent,
        programme=Programme.objects.create(name="Agente certificado", validity_months=12),
        issued_at=issued,
        expires_at=issued + datetime.timedelta(days=365),
    )
    client.force_login(hr)
    client.cookies["django_language"] = language
    html = client.get(reverse("certification:hr_list")).content.decode()
    issued_cells = re.findall(r'data-label="(?:Issued|Emitido)">([^<]*)</td>', html)
    assert issued_cells == [shown]
