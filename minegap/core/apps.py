from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "minegap.core"
    label = "core"

    def ready(self) -> None:
        from allauth.mfa.signals import authenticator_added

        from minegap.core.mfa import record_totp_activation

        authenticator_added.connect(record_totp_activation, dispatch_uid="minegap-totp-activation")
