from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "minegap.ledger"
    label = "ledger"

    def ready(self) -> None:
        from minegap.core.personal_data import register_erasure, register_export
        from minegap.ledger import erasure, personal_data

        register_erasure(erasure.section())
        register_export(personal_data.section())
