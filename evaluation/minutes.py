"""The minutes of a committee session: a PDF rendered by a Celery task (WeasyPrint) from the
database, stored on the session and served only to staff and committee members."""

from django.core.files.base import ContentFile
from django.db import transaction

from evaluation.models import DecisionSession
from evaluation.selectors_decision import (
    deviating_ids,
    session_attendance,
    session_entries,
    session_votes,
    tally,
)
from minegap.documents.services import render_pdf


def generate_minutes(*, session_id: int) -> DecisionSession:
    """Render the minutes of a closed session once (an adopted decision never changes)."""
    session = DecisionSession.objects.select_related("call").get(pk=session_id)
    if session.minutes_pdf:
        return session
    entries = session_entries(session)
    pdf = render_pdf(
        "evaluation/pdf/minutes.html",
        {
            "session": session,
            "entries": entries,
            "deviating": deviating_ids(entries),
            "attendance": session_attendance(session),
            "votes": session_votes(session),
            "tally": tally(session),
        },
    )
    with transaction.atomic():
        locked = DecisionSession.objects.select_for_update().get(pk=session_id)
        if not locked.minutes_pdf:
            locked.minutes_pdf.save("minutes.pdf", ContentFile(pdf), save=False)
            locked.save(update_fields=["minutes_pdf"])
    return locked
