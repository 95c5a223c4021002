from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = _("Mentoring")

    def ready(self) -> None:
        from mentoring import erasure, panels, personal_data, receivers
        from minegap.core.personal_data import register_erasure, register_export
        from vouchers.signals import voucher_closed

        panels.register()
        register_export(personal_data.section())
        register_erasure(erasure.section())
        voucher_closed.connect(receivers.end_on_voucher_closed, dispatch_uid="mentoring-closed")
