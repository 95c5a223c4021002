"""Certificates of attendance for trainings, rendered as PDF (WeasyPrint, minegap.documents).

One page, drawn on request from the recorded attendance: nothing to store, and a certificate
can never disagree with the attendance staff recorded."""

from events import timing
from events.models import Registration
from minegap.documents.services import render_pdf


def certificate_pdf(registration: Registration) -> bytes:
    event = registration.event
    return render_pdf(
        "events/pdf/certificate.html",
        {
            "event": event,
            "person": registration.user.full_name or registration.user.email,
            "organisation": registration.organisation.legal_name
            if registration.organisation
            else "",
            "when": timing.span_text(event.starts_at, event.ends_at, event.time_zone),
            "reference": f"EV{event.pk}-R{registration.pk}",
        },
    )
