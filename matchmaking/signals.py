"""Keep profiles' copies of their organisation's name, country and region in step, and the
facet tally in step with deleted profiles.

The accounts app knows nothing of matchmaking (dependencies point one way), so matchmaking
listens to the organisation's saves instead.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.models import Organisation
from matchmaking import directory, services, tally
from matchmaking.models import PartnerProfile


@receiver(post_save, sender=Organisation, dispatch_uid="matchmaking.sync_organisation")
def organisation_saved(sender, instance: Organisation, created: bool, raw: bool = False, **kwargs):
    if created or raw:
        return
    services.sync_organisation(organisation=instance)


@receiver(post_delete, sender=PartnerProfile, dispatch_uid="matchmaking.profile_deleted")
def profile_deleted(sender, instance: PartnerProfile, **kwargs):
    """A profile goes with its organisation (cascade): take it out of the facet tally."""
    tally.record_change(tally.contributions(instance), set())
    directory.directory_changed()
