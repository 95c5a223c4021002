"""Human labels for action codes. Apps register theirs (minegap imports no app):

    from minegap.ledger.labels import register_action_labels
    register_action_labels({"calls.application.submitted": _("Application submitted")})

Call it at import time of the app's `rules.py` or in its `AppConfig.ready()`. Codes without a
label are shown readably: ``calls.application.submitted`` → "Calls: application submitted".
"""

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

_LABELS: dict[str, str | Promise] = {}


def register_action_labels(labels: Mapping[str, str | Promise]) -> None:
    _LABELS.update(labels)


def action_label(code: str) -> str:
    label = _LABELS.get(code)
    if label is not None:
        return str(label)
    app, _sep, rest = code.partition(".")
    if not rest:
        return code
    return f"{app.capitalize()}: {rest.replace('.', ' ').replace('_', ' ')}"


register_action_labels({"ledger.note.recorded": _("Note recorded")})
