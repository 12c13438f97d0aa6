"""The certificate as a real, branded PDF (ReportLab), with a QR code to its public
verification page."""

import io

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

BRAND = colors.HexColor("#0b5c7a")
REVOKED = colors.HexColor("#a61b1b")
INK = colors.HexColor("#1f2933")


def verification_url(certificate):
    return settings.SITE_URL.rstrip("/") + reverse("certification:verify", args=[certificate.code])


def credential_url(certificate):
    """Where the certificate's Open Badges 3.0 credential is downloaded."""
    return settings.SITE_URL.rstrip("/") + reverse(
        "certification:credential", args=[certificate.code]
    )


def _qr(url, size):
    widget = QrCodeWidget(url)
    x1, y1, x2, y2 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x2 - x1), 0, 0, size / (y2 - y1), 0, 0])
    drawing.add(widget)
    return drawing


def _stamp_revoked(pdf, certificate, width, height):
    """Below the dates of a revoked certificate: "REVOCADO", the date and that it is not
    valid (and, for a reissue, that a newer certificate replaces it), over a translucent
    band, so the document stays readable for the audit trail and cannot pass for valid."""
    with translation.override("es"):
        revoked = formats.date_format(
            timezone.localtime(certificate.revoked_at), "j \\d\\e F \\d\\e Y"
        )
    line = f"Revocado el {revoked}: este certificado no es válido."
    if certificate.is_replaced_by_a_valid_one():
        line += " Lo sustituye un certificado más reciente."
    pdf.saveState()
    pdf.setFillColor(REVOKED)
    pdf.setFillAlpha(0.12)
    pdf.rect(0, 160, width, 110, stroke=0, fill=1)  # between the dates and the footer
    pdf.setFillAlpha(1)
    pdf.setFont("Helvetica-Bold", 56)
    pdf.drawCentredString(width / 2, 205, "REVOCADO")
    pdf.setFont("Helvetica-Bold", 13)
    pdf.drawCentredString(width / 2, 175, line)
    pdf.restoreState()


def render_certificate(certificate):
    """The PDF bytes: holder, programme, issue and expiry dates, code and QR code, and (with
    badges on) the address of its Open Badges credential; a revoked certificate carries the
    "REVOCADO" stamp with its date."""
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(
        f"Certificado {certificate.code}" + (" (revocado)" if certificate.revoked_at else "")
    )
    pdf.setAuthor("Actitud")
    pdf.setSubject(certificate.programme.name)
    pdf.setFillColor(BRAND)
    pdf.rect(0, height - 70, width, 70, stroke=0, fill=1)
    pdf.setFillColor(colors.white)
    pdf.setFont("Helvetica-Bold", 24)
    pdf.drawString(40, height - 45, "Actitud")
    pdf.setFont("Helvetica", 12)
    pdf.drawRightString(width - 40, height - 45, "Formación en actitud de servicio")
    pdf.setFillColor(INK)
    # The programme's name often says "certificado" itself ("Agente certificado en…"), so the
    # page does not open with "Certificado de": it states who completed which programme.
    pdf.setFont("Helvetica", 16)
    pdf.drawCentredString(width / 2, height - 140, "Actitud acredita que")
    pdf.setFont("Helvetica-Bold", 30)
    pdf.drawCentredString(width / 2, height - 182, certificate.person.full_name)
    pdf.setFont("Helvetica", 14)
    pdf.drawCentredString(width / 2, height - 220, "ha completado el programa")
    pdf.setFont("Helvetica-Bold", 22)
    pdf.drawCentredString(width / 2, height - 256, certificate.programme.name)
    with translation.override("es"):
        issued = formats.date_format(certificate.issued_at, "j \\d\\e F \\d\\e Y")
        expires = formats.date_format(certificate.expires_at, "j \\d\\e F \\d\\e Y")
    pdf.setFont("Helvetica", 13)
    pdf.drawCentredString(
        width / 2, height - 310, f"Emitido el {issued} · válido hasta el {expires}"
    )
    pdf.setStrokeColor(BRAND)
    pdf.line(60, 150, width - 60, 150)
    url = verification_url(certificate)
    renderPDF.draw(_qr(url, 110), pdf, width - 170, 30)
    pdf.setFont("Helvetica", 10)
    pdf.drawString(60, 120, "Comprueba su validez en:")
    pdf.setFont("Helvetica-Bold", 10)
    pdf.drawString(60, 104, url)
    pdf.setFont("Helvetica", 10)
    pdf.drawString(60, 84, f"Código del certificado: {certificate.code}")
    if settings.BADGES_ENABLED:
        pdf.setFont("Helvetica", 9)
        pdf.drawString(
            60, 64, "Credencial digital firmada (Open Badges 3.0), en la página de verificación:"
        )
        pdf.drawString(60, 52, credential_url(certificate))
    if certificate.revoked_at is not None:
        _stamp_revoked(pdf, certificate, width, height)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
