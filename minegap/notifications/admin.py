"""Django admin (superusers only): inspect the outbox and put failed rows back in the queue."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from minegap.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "email", "template", "status", "attempts", "sent_at")
    list_filter = ("status", "template")
    search_fields = ("email", "subject", "template")
    readonly_fields = [field.name for field in Notification._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Send again (reset the attempts)"))
    def retry(self, request, queryset: QuerySet[Notification]) -> None:
        count = queryset.exclude(status=Notification.Status.SENT).update(
            status=Notification.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d notification queued again.",
                "%(count)d notifications queued again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
