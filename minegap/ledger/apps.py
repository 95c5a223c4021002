from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "minegap.ledger"
    label = "ledger"
