from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VouchersConfig(AppConfig):
    name = "vouchers"
    verbose_name = _("Vouchers")

    def ready(self) -> None:
        from calls.next_steps import register_provider
        from evaluation.signals import decision_adopted, reserve_promoted, selection_vacated
        from minegap.core.personal_data import (
            register_erasure,
            register_export,
            register_retention,
        )
        from vouchers import erasure, next_steps, panels, personal_data, receivers, retention

        panels.register()
        register_export(personal_data.section())
        register_erasure(erasure.section())
        register_retention(retention.funded_rule())
        register_provider(next_steps.application_next_steps)

        decision_adopted.connect(receivers.draft_on_decision, dispatch_uid="vouchers-decision")
        selection_vacated.connect(receivers.terminate_on_vacancy, dispatch_uid="vouchers-vacancy")
        reserve_promoted.connect(receivers.draft_on_promotion, dispatch_uid="vouchers-reserve")
