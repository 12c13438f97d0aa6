"""The statements of the self-assessment: one per dimension, in the agent's own voice."""

from django.db import migrations

STATEMENTS = {
    "seguridad": "Cuido los datos del cliente y no le dejo con dudas sobre su caso.",
    "credibilidad": "Digo siempre la verdad y solo prometo lo que sé que se puede cumplir.",
    "comunicacion": "Explico con claridad, sin tecnicismos, y escucho sin interrumpir.",
    "comprension-del-cliente": "Me esfuerzo por entender lo que el cliente necesita de verdad.",
    "accesibilidad": "Hago que sea fácil para el cliente contactar conmigo y ser atendido.",
    "cortesia": "Trato a cada cliente con amabilidad y respeto, aunque él no lo haga.",
    "profesionalismo": "Conozco bien los productos y procesos con los que trabajo.",
    "capacidad-de-respuesta": "Respondo con rapidez y me hago cargo hasta resolver.",
    "fiabilidad": "Hago las cosas bien a la primera y cumplo lo que prometo.",
    "elementos-tangibles": "Cuido mi tono, mi presentación y el orden de mi puesto.",
}


def fill(apps, schema_editor):
    ServiceDimension = apps.get_model("attitude", "ServiceDimension")
    for slug, statement in STATEMENTS.items():
        ServiceDimension.objects.filter(slug=slug, self_assessment="").update(
            self_assessment=statement
        )


class Migration(migrations.Migration):
    dependencies = [("attitude", "0004_evidence_and_self_ratings")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
