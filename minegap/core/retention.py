"""Run every registered retention rule and record, in the ledger, how many records each changed."""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from minegap.core.personal_data import retention_rules
from minegap.ledger import services as ledger
from minegap.ledger.labels import register_action_labels

register_action_labels({"privacy.retention.applied": _("Retention periods applied")})


def apply_retention(*, now: datetime, dry_run: bool = False) -> dict[str, int]:
    """The number of records each rule found due (and changed, unless ``dry_run``), by rule name.

    One transaction: the rules' changes and the single ledger entry commit together. The entry
    holds counts only, never whose records they were, so the ledger gains no personal data.
    """
    with transaction.atomic():
        counts = {rule.name: rule.apply(now, dry_run) for rule in retention_rules()}
        if not dry_run:
            ledger.record(
                action="privacy.retention.applied",
                data={"at": now.isoformat(), "counts": counts},
            )
    return counts
