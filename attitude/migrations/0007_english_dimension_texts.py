"""The English names, descriptions and self-assessment statements of the ten dimensions,
filled only where an editor has not written one yet (and emptied again on reverse only where
they are still ours)."""

from django.db import migrations

ENGLISH = {
    "seguridad": (
        "Security",
        "The customer runs no risks and has no doubts: their data, money and case are safe.",
        "I look after the customer's data and leave them with no doubts about their case.",
    ),
    "credibilidad": (
        "Credibility",
        "Telling the truth and promising only what can be delivered.",
        "I always tell the truth and only promise what I know can be delivered.",
    ),
    "comunicacion": (
        "Communication",
        "Explaining clearly, in the customer's language, and truly listening.",
        "I explain clearly, without jargon, and listen without interrupting.",
    ),
    "comprension-del-cliente": (
        "Understanding the customer",
        "Making the effort to know the customer and what they really need.",
        "I make an effort to understand what the customer really needs.",
    ),
    "accesibilidad": (
        "Accessibility",
        "Making it easy to get in touch and be served: opening hours, channels, waiting.",
        "I make it easy for the customer to reach me and be served.",
    ),
    "cortesia": (
        "Courtesy",
        "Kindness, respect and consideration in every contact.",
        "I treat every customer with kindness and respect, even when they do not.",
    ),
    "profesionalismo": (
        "Professionalism",
        "Having the skills and knowledge to serve well.",
        "I know the products and processes I work with well.",
    ),
    "capacidad-de-respuesta": (
        "Responsiveness",
        "Willingness and speed to help and to resolve.",
        "I respond quickly and take ownership until the issue is resolved.",
    ),
    "fiabilidad": (
        "Reliability",
        "Doing things right the first time and keeping promises.",
        "I do things right the first time and keep my promises.",
    ),
    "elementos-tangibles": (
        "Tangibles",
        "What the customer sees and hears: premises, materials, appearance and tone.",
        "I take care of my tone, my appearance and the tidiness of my workplace.",
    ),
}
FIELDS = ("name_en", "description_en", "self_assessment_en")


def fill(apps, schema_editor):
    ServiceDimension = apps.get_model("attitude", "ServiceDimension")
    for slug, texts in ENGLISH.items():
        for field, text in zip(FIELDS, texts, strict=True):
            ServiceDimension.objects.filter(slug=slug, **{field: ""}).update(**{field: text})


def empty(apps, schema_editor):
    ServiceDimension = apps.get_model("attitude", "ServiceDimension")
    for slug, texts in ENGLISH.items():
        for field, text in zip(FIELDS, texts, strict=True):
            ServiceDimension.objects.filter(slug=slug, **{field: text}).update(**{field: ""})


class Migration(migrations.Migration):
    dependencies = [("attitude", "0006_service_dimension_english")]

    operations = [migrations.RunPython(fill, empty)]
