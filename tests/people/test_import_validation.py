"""The CSV import checks what the model stores: lengths against max_length, NUL anywhere
in the file, RFC 4180 quoting, the same on SQLite and PostgreSQL."""

from http import HTTPStatus

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest

from people.importing import plan_import, read_import
from people.models import PeopleImport, User

pytestmark = pytest.mark.django_db


def upload(client, data):
    return client.post(reverse("people:import_upload"), {"file": SimpleUploadedFile("p.csv", data)})


def test_overlong_values_are_row_errors_not_truncations(team):
    limit = User._meta.get_field("employee_number").max_length
    content = (
        "email,nombre,equipo,rol,número de empleado\n"
        f"largo@empresa.es,{'N' * 400},Equipo Norte,Agente,\n"
        f"{'a' * 250}@empresa.es,Correo Largo,,,\n"
        f"numero@empresa.es,Número Largo,,,{'9' * (limit + 1)}\n"
        f"bien@empresa.es,{'B' * 150},,,{'1' * limit}\n"
    )
    errors = {row.line: " ".join(row.errors) for row in plan_import(read_import(content)).rows}
    assert "150 caracteres" in errors[2]
    assert "254 caracteres" in errors[3]
    assert f"{limit} caracteres" in errors[4]
    assert errors[5] == ""


def test_a_nul_byte_anywhere_refuses_the_file(client, hr):
    client.force_login(hr)
    head = "email,nombre\n" + "".join(f"p{n}@empresa.es,Persona {n}\n" for n in range(400))
    assert len(head) > 4096
    response = upload(client, (head + "tarde@empresa.es,Nul\x00o\n").encode())
    assert response.status_code == HTTPStatus.OK
    assert "no es un archivo de texto CSV" in response.content.decode()
    assert not PeopleImport.objects.exists()


def test_rfc_4180_quotes_import_as_written(team):
    content = 'email,nombre\njuan@empresa.es,"Juan ""Juanito"" Pérez"\n'
    (row,) = plan_import(read_import(content)).rows
    assert row.full_name == 'Juan "Juanito" Pérez' and not row.errors
    content = 'email;nombre\njuan@empresa.es;"Pérez; Juan ""Juanito"""\n'
    (row,) = plan_import(read_import(content)).rows
    assert row.full_name == 'Pérez; Juan "Juanito"'
