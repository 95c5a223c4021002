from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "minegap.ledger"
    label = "ledger"

    def ready(self) -> None:
        from minegap.core.personal_data import register_erasure
        from minegap.ledger import erasure

        register_erasure(erasure.section())
