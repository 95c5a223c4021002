"""The audit ledger: append-only, hash-chained entries written inside the transaction of each change."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

from minegap.ledger.hashing import canonical_json


class LedgerIsAppendOnly(Exception):
    """Raised when code tries to change or remove an entry of the audit ledger."""


class AuditEntryQuerySet(models.QuerySet):
    """Bulk changes are refused too; only inserts reach the table through the ORM."""

    def delete(self) -> Any:
        raise LedgerIsAppendOnly("The audit ledger is append-only: entries cannot be deleted.")

    def update(self, **kwargs: Any) -> int:
        raise LedgerIsAppendOnly("The audit ledger is append-only: entries cannot be changed.")

    delete.queryset_only = True  # type: ignore[attr-defined]
    update.queryset_only = True  # type: ignore[attr-defined]


class AuditEntry(models.Model):
    seq = models.PositiveBigIntegerField(_("sequence number"), unique=True)
    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=100, db_index=True)
    target_type = models.CharField(_("target type"), max_length=100)
    target_id = models.CharField(_("target id"), max_length=64)
    data = models.JSONField(_("data"), default=dict, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["target_type", "target_id", "seq"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.target_type}:{self.target_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert only. On PostgreSQL a trigger enforces the same rule for raw SQL."""
        if not self._state.adding:
            raise LedgerIsAppendOnly(
                f"The audit ledger is append-only: entry #{self.seq} cannot be changed."
            )
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise LedgerIsAppendOnly(
            f"The audit ledger is append-only: entry #{self.seq} cannot be deleted."
        )

    @property
    def short_hash(self) -> str:
        return self.hash[:12]

    @property
    def notes(self) -> dict[str, str]:
        """The texts given as `record(notes=...)`, empty once erased (or if there were none)."""
        try:
            erasable = self.erasable
        except ObjectDoesNotExist:
            return {}
        if erasable.is_sealed or erasable.payload is None:
            return {}
        return erasable.payload

    def canonical_json(self) -> str:
        """The exact text whose SHA-256 is `hash` (publishable, so anyone can check it)."""
        return canonical_json(
            seq=self.seq,
            at=self.at,
            actor_id=self.actor_id,
            action=self.action,
            target_type=self.target_type,
            target_id=self.target_id,
            data=self.data,
            prev_hash=self.prev_hash,
        )


class LedgerHead(models.Model):
    """One row: the chain's current end. Locking it serialises writers so the chain never forks."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="ledger_single_head")]

    def __str__(self) -> str:
        return f"head #{self.seq}"


class ErasablePayload(models.Model):
    """Personal content of one ledger entry, kept outside its hashed content so it can be erased.

    Two kinds, both proved by a salted SHA-256 (`digest`) that the hashed content does hold:
    - notes: free text a person wrote, given to `record(notes=...)`; the entry's data holds the
      digest under ``notes_sha256``.
    - sealed: the whole original data of an entry written before the ledger refused personal
      data (migration 0005). The entry's data was replaced by ``{"sealed_sha256": digest}``; its
      original `hash` still holds, and `sealed_hash` is the hash of the entry as it now reads,
      covered by the seal entry that closed the old segment (see `minegap.ledger.sealing`).

    Erasing sets `payload` to None and empties `salt`: what remains (the digest) cannot be
    linked back to the words, and the chain still verifies.
    """

    entry = models.OneToOneField(
        AuditEntry, on_delete=models.PROTECT, related_name="erasable", verbose_name=_("entry")
    )
    payload = models.JSONField(_("payload"), null=True, blank=True)
    salt = models.CharField(_("salt"), max_length=64, blank=True)
    digest = models.CharField(_("salted SHA-256 of the payload"), max_length=64)
    sealed_hash = models.CharField(
        _("hash of the sealed entry"), max_length=64, blank=True, default=""
    )
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)

    class Meta:
        verbose_name = _("erasable ledger payload")
        verbose_name_plural = _("erasable ledger payloads")

    def __str__(self) -> str:
        return f"payload of entry {self.entry_id}"

    @property
    def is_sealed(self) -> bool:
        return bool(self.sealed_hash)
