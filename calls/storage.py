"""Private file names: random, under `private/`, never derived from what the uploader sent."""

import secrets

from django.utils.deconstruct import deconstructible

EXTENSIONS = {"pdf": ".pdf", "docx": ".docx", "xlsx": ".xlsx", "png": ".png", "jpeg": ".jpg"}


@deconstructible
class private_upload_to:
    """`upload_to` callable: ``private/<prefix>/<random>.<ext of the detected kind>``."""

    def __init__(self, prefix: str):
        self.prefix = prefix.strip("/")

    def __call__(self, instance, filename: str) -> str:
        kind = getattr(instance, "kind", "") or ""
        extension = EXTENSIONS.get(kind, "")
        return f"private/{self.prefix}/{secrets.token_hex(16)}{extension}"

    def __eq__(self, other) -> bool:
        return isinstance(other, private_upload_to) and other.prefix == self.prefix

    def __hash__(self) -> int:
        return hash(self.prefix)
