import pytest

from scenarios.demo import graph_stream
from scenarios.models import ClientPersonality, ScenarioPage

SOURCE = {
    "lines": [
        {
            "key": "inicio",
            "mood": "enfadado",
            "text": "¡Me han cobrado dos veces!",
            "choices": [
                {"key": "escucha", "text": "«Entiendo su enfado; déjeme revisarlo.»",
                 "feedback": "Reconoces su emoción.", "next": "calma",
                 "weights": {"cortesia": 2, "comprension-del-cliente": 1}},
                {"key": "frio", "text": "«Dígame el número de cliente.»",
                 "feedback": "Suena frío.", "next": "tension", "weights": {"cortesia": -1}},
                {"key": "insulto", "text": "«Si no sabe leer una factura, no es mi problema.»",
                 "feedback": "Humillas al cliente.", "critical": True, "critical_reason": "insult",
                 "weights": {"cortesia": -2}},
            ],
        },
        {
            "key": "calma",
            "mood": "molesto",
            "text": "Vale. ¿Y cuándo me lo devuelven?",
            "choices": [
                {"key": "plazo", "text": "«Lo anulo ahora; lo verá en 48 horas.»",
                 "feedback": "Das un plazo cierto.", "next": "solucion",
                 "weights": {"capacidad-de-respuesta": 2}},
                {"key": "no-se", "text": "«No sé, eso lo lleva otro departamento.»",
                 "feedback": "Pasas la pelota.", "next": "tension",
                 "weights": {"capacidad-de-respuesta": -1}},
            ],
        },
        {
            "key": "tension",
            "mood": "furioso",
            "text": "¡Siempre igual con ustedes!",
            "choices": [
                {"key": "disculpa", "text": "«Tiene razón en quejarse; lo siento.»",
                 "feedback": "Te disculpas.", "next": "calma", "weights": {"cortesia": 1}},
                {"key": "cuelga", "text": "«Si sigue así, tendré que cortar.»",
                 "feedback": "Amenazas.", "next": "fin-perdido", "weights": {"cortesia": -2}},
            ],
        },
        {
            "key": "solucion",
            "mood": "tranquilo",
            "text": "Bueno, gracias.",
            "choices": [
                {"key": "extra", "text": "«Le dejo además mi extensión por si acaso.»",
                 "feedback": "Das más de lo esperado.", "next": "fin-fiel",
                 "weights": {"fiabilidad": 2}},
                {"key": "adios", "text": "«De nada.»", "feedback": "Correcto, sin más.",
                 "next": "fin-resuelto", "weights": {"fiabilidad": 0}},
            ],
        },
    ],
    "endings": [
        {"key": "fin-fiel", "outcome": "fidelizado", "text": "¡Qué buen trato!",
         "debrief": "Calmaste y resolviste."},
        {"key": "fin-resuelto", "outcome": "resuelto", "text": "Gracias.",
         "debrief": "Resuelto sin más."},
        {"key": "fin-perdido", "outcome": "perdido", "text": "¡Me doy de baja!",
         "debrief": "Lo perdiste."},
    ],
}  # fmt: skip
BEST = [("inicio", "escucha"), ("calma", "plazo"), ("solucion", "extra")]


@pytest.fixture
def personality(db):
    return ClientPersonality.objects.create(
        slug="agresivo",
        name="Cliente agresivo",
        description="Grita y exige.",
        recognise="Levanta la voz.",
        do="Escúchale sin interrumpir.\nMantén la calma.",
        dont="No discutas.\nNo lo tomes como algo personal.",
    )


@pytest.fixture
def scenario_factory(course_factory, personality):
    def make(*, course=None, source=SOURCE, slug="cobro-doble", channel="telefono", **fields):
        course = course or course_factory(lessons=1)
        page = ScenarioPage(
            title="Un cobro doble",
            slug=slug,
            personality=personality,
            channel=channel,
            situation="Un cliente llama por un cobro duplicado.",
            graph=graph_stream(source),
            **fields,
        )
        course.add_child(instance=page)
        page.save_revision().publish()
        return page

    return make


@pytest.fixture
def scenario(scenario_factory):
    return scenario_factory()
