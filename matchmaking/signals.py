"""Keep profiles' copies of their organisation's name, country and region in step.

The accounts app knows nothing of matchmaking (dependencies point one way), so matchmaking
listens to the organisation's saves instead.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.models import Organisation
from matchmaking import services


@receiver(post_save, sender=Organisation, dispatch_uid="matchmaking.sync_organisation")
def organisation_saved(sender, instance: Organisation, created: bool, raw: bool = False, **kwargs):
    if created or raw:
        return
    services.sync_organisation(organisation=instance)
