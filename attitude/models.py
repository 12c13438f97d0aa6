from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class Axis(models.TextChoices):
    """The two axes of service attitude; together they place an agent in one of four types."""

    TREATMENT = "trato", _("Treatment of the customer")
    COMPETENCE = "competencia", _("Technical competence")


class ServiceDimension(index.Indexed, models.Model):
    """One of the ten components of good service. Names, descriptions and axes are editable;
    the slug is the stable key that content and evidence refer to."""

    slug = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    axis = models.CharField(_("axis"), max_length=20, choices=Axis.choices)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("axis"),
        FieldPanel("sort_order"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("description")]

    class Meta:
        verbose_name = _("service dimension")
        verbose_name_plural = _("service dimensions")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name
