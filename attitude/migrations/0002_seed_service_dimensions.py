"""The ten service dimensions of the source material (the original SERVQUAL ten) and our
default axes (FACTS.md §5.1): editable afterwards in the admin."""

from django.db import migrations

DIMENSIONS = [
    ("seguridad", "Seguridad", "competencia",
     "Que el cliente no corra riesgos ni tenga dudas: sus datos, su dinero y su caso están a salvo."),
    ("credibilidad", "Credibilidad", "competencia",
     "Decir la verdad y prometer solo lo que se puede cumplir."),
    ("comunicacion", "Comunicación", "trato",
     "Explicar con claridad, en el lenguaje del cliente, y escuchar de verdad."),
    ("comprension-del-cliente", "Comprensión del cliente", "trato",
     "Esforzarse por conocer al cliente y lo que de verdad necesita."),
    ("accesibilidad", "Accesibilidad", "trato",
     "Que sea fácil contactar y ser atendido: horarios, canales, esperas."),
    ("cortesia", "Cortesía", "trato",
     "Amabilidad, respeto y consideración en cada contacto."),
    ("profesionalismo", "Profesionalismo", "competencia",
     "Tener las capacidades y los conocimientos para atender bien."),
    ("capacidad-de-respuesta", "Capacidad de respuesta", "competencia",
     "Disposición y rapidez para ayudar y resolver."),
    ("fiabilidad", "Fiabilidad", "competencia",
     "Hacer bien las cosas a la primera y cumplir lo prometido."),
    ("elementos-tangibles", "Elementos tangibles", "trato",
     "Lo que el cliente ve y oye: instalaciones, materiales, presentación y tono."),
]


def create(apps, schema_editor):
    ServiceDimension = apps.get_model("attitude", "ServiceDimension")
    for order, (slug, name, axis, description) in enumerate(DIMENSIONS, start=1):
        ServiceDimension.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "axis": axis, "description": description, "sort_order": order},
        )


def remove(apps, schema_editor):
    apps.get_model("attitude", "ServiceDimension").objects.filter(
        slug__in=[slug for slug, *_ in DIMENSIONS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("attitude", "0001_service_dimensions")]

    operations = [migrations.RunPython(create, remove)]
