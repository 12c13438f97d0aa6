from html.parser import HTMLParser

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


class _PageParser(HTMLParser):
    """Every element's attributes, and the choice buttons with their text."""

    def __init__(self):
        super().__init__()
        self.elements, self.buttons, self._button = [], [], None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        if tag == "button" and "choice-button" in (attributes.get("class") or ""):
            self._button = {**attributes, "text": ""}
            self.buttons.append(self._button)

    def handle_data(self, data):
        if self._button is not None:
            self._button["text"] += data

    def handle_endtag(self, tag):
        if tag == "button":
            self._button = None


def parse_page(html):
    parser = _PageParser()
    parser.feed(html)
    return parser


def choice_text(scenario, line_key, choice_key):
    choices = scenario.as_graph()["lines"][line_key]["choices"]
    return next(choice["text"] for choice in choices if choice["key"] == choice_key)


def play(client, scenario, moves):
    """Play `moves` [(line key, choice key)] as an agent does: open the play page, press the
    button with that choice's text. Returns the last response."""
    response = None
    for line_key, choice_key in moves:
        page = client.get(scenario.url + "jugar/").content.decode()
        text = choice_text(scenario, line_key, choice_key)
        token = next(b["value"] for b in parse_page(page).buttons if b["text"] == text)
        response = client.post(scenario.url + "elegir/", {"choice": token})
    return response
