"""StreamField blocks for lessons: one block per teaching device."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock

TEXT_FEATURES = ["h3", "bold", "italic", "ol", "ul", "link"]
GROUP_TEXT = _("Text")
GROUP_TEACHING = _("Teaching")
GROUP_MEDIA = _("Media")


class ImageWithCaptionBlock(blocks.StructBlock):
    image = ImageBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "courses/blocks/image_with_caption.html"
        group = GROUP_MEDIA
        label = _("Image with caption")
        description = _("A picture with alternative text and an optional caption.")


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label=_("Video address"), help_text=_("A YouTube or Vimeo link."))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)
    transcript = blocks.TextBlock(
        label=_("Transcript"), required=False, help_text=_("For people who cannot play sound.")
    )

    class Meta:
        icon = "media"
        template = "courses/blocks/video.html"
        group = GROUP_MEDIA
        label = _("Video")
        description = _("An embedded video, with its transcript for accessibility.")


class KeyPointsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), default=_("Key points"), max_length=120)
    points = blocks.ListBlock(blocks.CharBlock(label=_("Point")), label=_("Points"))

    class Meta:
        icon = "list-ul"
        template = "courses/blocks/key_points.html"
        group = GROUP_TEACHING
        label = _("Key points")
        description = _("The few ideas the learner must keep from the lesson.")
        preview_value = {
            "title": "Ideas clave",
            "points": ["El cliente es la razón de tu trabajo.", "Escucha antes de responder."],
        }


class DoDontBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=120)
    do = blocks.ListBlock(blocks.CharBlock(label=_("Item")), label=_("What to do"))
    dont = blocks.ListBlock(blocks.CharBlock(label=_("Item")), label=_("What not to do"))

    class Meta:
        icon = "tasks"
        template = "courses/blocks/do_dont.html"
        group = GROUP_TEACHING
        label = _("Do / don't")
        description = _("Two columns: what to do and what not to do.")
        preview_value = {
            "title": "Al teléfono",
            "do": ["Saluda y di tu nombre."],
            "dont": ["Contestar con «¿Sí?»."],
        }


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("Kind"), choices=[("tip", _("Tip")), ("warning", _("Warning"))], default="tip"
    )
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    text = blocks.TextBlock(label=_("Text"))

    class Meta:
        icon = "help"
        template = "courses/blocks/callout.html"
        group = GROUP_TEACHING
        label = _("Callout")
        description = _("A tip or a warning set apart from the text.")
        preview_value = {"kind": "tip", "title": "Consejo", "text": "Sonríe al hablar: se oye."}


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quotation"))
    attribution = blocks.CharBlock(label=_("Who said it"), required=False, max_length=120)

    class Meta:
        icon = "openquote"
        template = "courses/blocks/quote.html"
        group = GROUP_TEXT
        label = _("Quote")
        description = _("A quotation with its source.")
        preview_value = {"text": "El cliente no estorba nuestro trabajo: es su razón de ser."}


class MomentOfTruthBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    situation = blocks.TextBlock(label=_("Situation"))
    good_response = blocks.TextBlock(label=_("Good response"))
    poor_response = blocks.TextBlock(label=_("Poor response"))
    why = blocks.TextBlock(label=_("Why it matters"), required=False)

    class Meta:
        icon = "comment"
        template = "courses/blocks/moment_of_truth.html"
        group = GROUP_TEACHING
        label = _("Moment of truth")
        description = _("A real situation with a good and a poor response.")
        preview_value = {
            "title": "La espera",
            "situation": "Una clienta espera ocho minutos en línea.",
            "good_response": "«Gracias por esperar, Marta. ¿En qué te ayudo?»",
            "poor_response": "«¿Número de cliente?»",
            "why": "El saludo repara la espera.",
        }


class ReflectionBlock(blocks.StructBlock):
    prompt = blocks.TextBlock(label=_("Question to reflect on"))

    class Meta:
        icon = "edit"
        template = "courses/blocks/reflection.html"
        group = GROUP_TEACHING
        label = _("Reflection")
        description = _("The learner may write a private answer, kept for them alone.")
        preview_value = {"prompt": "¿Qué harías distinto en tu última llamada difícil?"}


class SelfCheckBlock(blocks.StructBlock):
    question = blocks.TextBlock(label=_("Question"))
    answer = blocks.TextBlock(label=_("Answer"))

    class Meta:
        icon = "tick-inverse"
        template = "courses/blocks/self_check.html"
        group = GROUP_TEACHING
        label = _("Self-check")
        description = _("A question with its answer hidden until the learner opens it.")
        preview_value = {"question": "¿Quién es un cliente interno?", "answer": "Un compañero."}


class LessonStreamBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(
        label=_("Text"), features=TEXT_FEATURES, group=GROUP_TEXT, icon="pilcrow"
    )
    image = ImageWithCaptionBlock()
    video = VideoBlock()
    key_points = KeyPointsBlock()
    do_dont = DoDontBlock()
    callout = CalloutBlock()
    quote = QuoteBlock()
    moment_of_truth = MomentOfTruthBlock()
    reflection = ReflectionBlock()
    self_check = SelfCheckBlock()


class ObjectivesBlock(blocks.StreamBlock):
    objective = blocks.CharBlock(label=_("Learning objective"), max_length=200, icon="tick")
