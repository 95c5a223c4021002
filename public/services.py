"""Writes of the public app: the facts of imported results that calls records do not hold."""

from django.db import transaction

from accounts.models import User
from calls.services.awards import record_imported_award_dates
from calls.services.imports import ImportReport
from minegap.ledger.services import record
from public.models import CallFigures, ProjectAward


def store_import_details(*, report: ImportReport, actor: User | None) -> bool:
    """Keep the award dates and the proposal counts of an import; True when anything changed.

    Run it in the import's transaction, right after `import_external_results`. Writes one ledger
    entry (``public.figures.recorded``) when something changed.
    """
    changes: dict[str, object] = {}
    changed_dates = {}
    with transaction.atomic():
        awards = {
            a.application_id: a
            for a in ProjectAward.objects.filter(application_id__in=report.award_dates)
        }
        for application_id, award_date in report.award_dates.items():
            award = awards.get(application_id)
            if award is None:
                ProjectAward.objects.create(application_id=application_id, award_date=award_date)
            elif award.award_date != award_date:
                award.award_date = award_date
                award.save(update_fields=["award_date"])
            else:
                continue
            changes.setdefault("award_dates", {})[str(application_id)] = award_date
            changed_dates[application_id] = award_date
        record_imported_award_dates(award_dates=changed_dates)
        if report.proposals_received is not None or report.proposals_eligible is not None:
            figures, _created = CallFigures.objects.select_for_update().get_or_create(
                call=report.call
            )
            new = {
                "proposals_received": report.proposals_received
                if report.proposals_received is not None
                else figures.proposals_received,
                "proposals_eligible": report.proposals_eligible
                if report.proposals_eligible is not None
                else figures.proposals_eligible,
            }
            old = {key: getattr(figures, key) for key in new}
            if _created or old != new:
                for key, value in new.items():
                    setattr(figures, key, value)
                figures.save()
                changes["figures"] = {"old": old, "new": new}
        if changes:
            record(action="public.figures.recorded", target=report.call, actor=actor, data=changes)
    return bool(changes)
