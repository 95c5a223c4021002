"""Partner profiles, expressions of interest between organisations, and blocks."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.countries import country_name
from accounts.models import Organisation
from calls.models import Call
from matchmaking import vocab
from matchmaking.fields import FlagSetField
from matchmaking.keyword_bits import KeywordBitsField


class PartnerProfile(models.Model):
    """One per organisation, edited by its admins; listed only once published.

    Name, country and NUTS region are the organisation's (copied, never edited here).
    `keywords_text` and `offers_requests_text` are derived by `services.save_profile`: they feed
    the stored PostgreSQL search vector and the SQLite fallback search.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="partner_profile",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    summary = models.TextField(_("summary"), max_length=1000)
    expertise = models.TextField(_("expertise"), max_length=2000, blank=True)
    # Lists of {"title": str, "description": str}; validated by the service.
    offers = models.JSONField(_("technology offers"), default=list, blank=True)
    requests = models.JSONField(_("technology requests"), default=list, blank=True)
    stages = FlagSetField(verbose_name=_("value-chain stages"), vocabulary=vocab.Stage)
    sectors = FlagSetField(verbose_name=_("sectors"), vocabulary=vocab.Sector)
    raw_materials = FlagSetField(
        verbose_name=_("critical raw materials of interest"), vocabulary=vocab.RawMaterial
    )
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    trl = models.PositiveSmallIntegerField(
        _("technology readiness level"), choices=vocab.TRL_CHOICES, null=True, blank=True
    )
    role_sought = models.CharField(
        _("role in a consortium"), max_length=10, choices=vocab.Role.choices
    )
    languages = models.JSONField(_("working languages"), default=list, blank=True)
    call = models.ForeignKey(
        Call,
        verbose_name=_("looking for partners for the call"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partner_profiles",
    )
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Shown only to organisations whose expression of interest you accepted "
            "(or who accepted yours). By default, the organisation's first administrator."
        ),
    )
    # Copied from the organisation by the service (and on every organisation save, see
    # signals.py): sorting, filtering and counting then never join the organisation table.
    name = models.CharField(_("name"), max_length=200, editable=False, default="")
    country = models.CharField(_("country"), max_length=2, editable=False, default="")
    nuts_region = models.CharField(_("NUTS region"), max_length=5, editable=False, default="")
    keywords_text = models.TextField(editable=False, blank=True, default="")
    # One bit per keyword (see keyword_bits.py): "Partners for you" tests keywords on integers.
    keyword_bits = KeywordBitsField(editable=False, default=0)
    offers_requests_text = models.TextField(editable=False, blank=True, default="")
    # PostgreSQL only (stays empty on SQLite); GIN index created by migration 0002.
    search_vector = SearchVectorField(null=True, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("partner profile")
        verbose_name_plural = _("partner profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(trl__isnull=True) | Q(trl__gte=1, trl__lte=9), name="profile_trl_1_9"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published"]), name="profile_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(role_sought__in=["adopter", "provider", "both"]),
                name="profile_role_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="profile_published_has_date",
            ),
        ]
        indexes = [
            # A page of the directory takes its ids from these alone (the organisation: to
            # leave out the blocked ones without reading the rows), then reads its 20 rows.
            models.Index(
                fields=["status", "name", "id", "organisation"], name="profile_status_name"
            ),
            models.Index(
                fields=["status", "-published_at", "id", "organisation"],
                name="profile_status_newest",
            ),
            # "Partners for you" reads only these columns: the score of every candidate comes
            # from an index-only scan, never from the wide rows (see recommendations.py).
            models.Index(
                fields=[
                    "status",
                    "role_sought",
                    "country",
                    "stages",
                    "raw_materials",
                    "keyword_bits",
                    "keywords_text",
                    "organisation",
                    "name",
                    "id",
                ],
                name="profile_recommend",
            ),
            # Facet counts read only these columns: an index-only scan instead of the wide rows.
            # (Key columns rather than INCLUDE, which SQLite does not know.)
            models.Index(
                fields=[
                    "status",
                    "country",
                    "nuts_region",
                    "role_sought",
                    "trl",
                    "call",
                    "stages",
                    "sectors",
                    "raw_materials",
                    "id",
                ],
                name="profile_facets",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    # The organisation's country and the role, named without Django's get_FOO_display (which
    # hashes the whole list of choices on every call: a page of 20 results paid ~5 ms for it).
    @property
    def country_label(self) -> str:
        return country_name(self.country)

    @property
    def role_label(self) -> str:
        return str(vocab.Role(self.role_sought).label)

    @property
    def stage_labels(self) -> list[str]:
        return [str(vocab.Stage(code).label) for code in self.stages]

    @property
    def sector_labels(self) -> list[str]:
        return [str(vocab.Sector(code).label) for code in self.sectors]

    @property
    def raw_material_labels(self) -> list[str]:
        return [str(vocab.RawMaterial(code).label) for code in self.raw_materials]

    @property
    def language_labels(self) -> list[str]:
        return [str(vocab.LANGUAGES.get(code, code)) for code in self.languages]


class ExpressionOfInterest(models.Model):
    """A short message from one organisation to another; contact details follow acceptance."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPIRED = "expired", _("Expired without an answer")

    sender = models.ForeignKey(
        Organisation,
        verbose_name=_("from"),
        on_delete=models.CASCADE,
        related_name="interests_sent",
    )
    receiver = models.ForeignKey(
        Organisation,
        verbose_name=_("to"),
        on_delete=models.CASCADE,
        related_name="interests_received",
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    message = models.TextField(_("message"), max_length=1000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")
        constraints = [
            models.CheckConstraint(
                condition=~Q(sender=models.F("receiver")), name="interest_not_to_self"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "accepted", "declined", "withdrawn", "expired"]),
                name="interest_status_valid",
            ),
            models.UniqueConstraint(
                fields=["sender", "receiver"],
                condition=Q(status="pending"),
                name="interest_one_pending_per_pair",
            ),
        ]
        indexes = [
            models.Index(fields=["sender", "created_at"], name="interest_sender_day"),
            models.Index(fields=["status", "created_at"], name="interest_status_age"),
            models.Index(fields=["receiver", "status"], name="interest_receiver_status"),
        ]

    def __str__(self) -> str:
        return f"{self.sender} → {self.receiver} ({self.status})"


class OrganisationBlock(models.Model):
    """`blocker` (on whose behalf `blocked_by` acted) receives nothing more from `blocked`."""

    blocker = models.ForeignKey(
        Organisation,
        verbose_name=_("blocking organisation"),
        on_delete=models.CASCADE,
        related_name="blocks_made",
    )
    blocked = models.ForeignKey(
        Organisation,
        verbose_name=_("blocked organisation"),
        on_delete=models.CASCADE,
        related_name="blocks_received",
    )
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("blocked by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("blocked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("blocked organisation")
        verbose_name_plural = _("blocked organisations")
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_unique"),
            models.CheckConstraint(
                condition=~Q(blocker=models.F("blocked")), name="block_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.blocker} blocks {self.blocked}"


class FacetTally(models.Model):
    """How many published profiles have each facet value: the directory's unfiltered counts.

    Kept exact by the services in the same transaction as every change to a listed profile
    (`matchmaking.tally`), so the landing page's counts are one small read at any size instead
    of a scan of every profile per facet. `tally.rebuild()` recomputes it from scratch.
    """

    facet = models.CharField(max_length=20)
    value = models.CharField(max_length=60)
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("facet count")
        verbose_name_plural = _("facet counts")
        constraints = [
            models.UniqueConstraint(fields=["facet", "value"], name="facet_tally_unique"),
            models.CheckConstraint(condition=Q(count__gte=0), name="facet_tally_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.facet}={self.value}: {self.count}"
