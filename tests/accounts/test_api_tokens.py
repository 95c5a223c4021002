"""API tokens: created only from a session that passed the second factor for privileged people,
every one expiring, revocable by its owner alone, stored as a digest, each use logged."""

import hashlib
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
import yaml
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts import roles, services
from accounts.models import ApiToken, ApiTokenUse
from accounts.tasks import prune_api_token_uses
from minegap.ledger.models import AuditEntry
from tests.auth import sign_in
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def staff_with_totp(**kwargs):
    user = UserFactory(roles=[roles.STAFF], **kwargs)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


def api(secret: str, scheme: str = "Bearer") -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{scheme} {secret}")
    return client


def create(client, name="nightly export", days="30"):
    return client.post(reverse("accounts:api-tokens"), {"name": name, "lifetime_days": days})


# Creating --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [roles.STAFF, roles.EVALUATOR, roles.COMMITTEE])
def test_privileged_person_cannot_create_a_token_from_a_password_only_session(client, role):
    user = UserFactory(roles=[role])
    sign_in(client, user, mfa=False)
    page = client.get(reverse("accounts:api-tokens"))
    assert page.status_code == 200
    assert "sign in again with your two-factor code to create an API token" in page.text
    assert 'name="lifetime_days"' not in page.text
    response = create(client)
    assert response.status_code == 403
    assert ApiToken.objects.count() == 0
    with pytest.raises(PermissionDenied):
        services.api_token_create(user=user, name="script", session_mfa=False)
    assert ApiToken.objects.count() == 0


@time_machine.travel(START, tick=False)
def test_staff_creates_a_token_after_mfa_and_sees_the_secret_once(client):
    staff = staff_with_totp()
    sign_in(client, staff)
    response = create(client, name="payments export", days="90")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == (
        "max-age=0, no-cache, no-store, must-revalidate, private"
    )
    token = ApiToken.objects.get()
    secret = response.context["secret"]
    assert secret.startswith("mgt_")
    assert len(secret) == 47
    assert f'value="{secret}"' in response.text
    assert (token.user, token.name, token.mfa_verified) == (staff, "payments export", True)
    assert token.expires_at == datetime(2026, 5, 31, 9, 0, tzinfo=UTC)
    # Shown once: the list page never carries it again.
    assert secret not in client.get(reverse("accounts:api-tokens")).text


def test_the_secret_is_stored_only_as_its_sha256(client):
    applicant = UserFactory()
    token, secret = services.api_token_create(user=applicant, name="cli", session_mfa=False)
    token.refresh_from_db()
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    stored = [str(value) for value in ApiToken.objects.values_list().get()]
    assert [value for value in stored if secret[4:] in value] == []
    entry = AuditEntry.objects.get(action="accounts.api_token.created")
    assert secret[4:] not in str(entry.data)
    assert "cli" not in str(entry.data)  # the token's name is the person's text: on its row
    assert entry.data["mfa_verified"] is False
    assert entry.actor == applicant


@time_machine.travel(START, tick=False)
def test_applicant_tokens_expire_too_default_thirty_days_at_most_ninety():
    applicant = UserFactory()
    token, _secret = services.api_token_create(user=applicant, name="cli", session_mfa=False)
    assert token.expires_at == datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
    assert token.mfa_verified is False
    with pytest.raises(ValidationError) as refused:
        services.api_token_create(user=applicant, name="x", lifetime_days=91, session_mfa=False)
    assert refused.value.message_dict == {"lifetime_days": ["A token lives between 1 and 90 days."]}
    with pytest.raises(ValidationError) as unnamed:
        services.api_token_create(user=applicant, name="  ", session_mfa=False)
    assert unnamed.value.message_dict == {
        "name": ["Name the token after the script that will use it."]
    }
    assert ApiToken.objects.count() == 1


def test_the_page_refuses_a_lifetime_past_the_maximum(client, settings):
    settings.API_TOKEN_MAX_DAYS = 10
    sign_in(client, UserFactory(), mfa=False)
    response = create(client, days="11")
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "lifetime_days": ["Ensure this value is less than or equal to 10."]
    }
    assert ApiToken.objects.count() == 0


# Using -----------------------------------------------------------------------------------------


@time_machine.travel(START, tick=False)
def test_each_use_is_recorded_with_method_path_and_address():
    applicant = UserFactory(email="ada@example.eu")
    token, secret = services.api_token_create(user=applicant, name="cli", session_mfa=False)
    client = api(secret)
    response = client.get("/api/v1/me/", REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 200
    assert response.json()["email"] == "ada@example.eu"
    # The older DRF header keyword works too.
    assert api(secret, "Token").get("/api/v1/organisations/").status_code == 200
    uses = list(
        ApiTokenUse.objects.order_by("pk").values_list("token", "method", "path", "client_address")
    )
    assert uses == [
        (token.pk, "GET", "/api/v1/me/", "192.0.2.7"),
        (token.pk, "GET", "/api/v1/organisations/", "127.0.0.1"),
    ]
    token.refresh_from_db()
    assert token.last_used_at == START


def test_behind_trusted_proxies_the_address_is_the_one_they_saw(settings):
    settings.TRUSTED_PROXIES = 1
    _token, secret = services.api_token_create(user=UserFactory(), name="c", session_mfa=False)
    forged = "203.0.113.66, 198.51.100.4"  # the client wrote the first hop, the proxy the last
    api(secret).get("/api/v1/me/", HTTP_X_FORWARDED_FOR=forged, REMOTE_ADDR="10.0.0.2")
    assert ApiTokenUse.objects.get().client_address == "198.51.100.4"
    settings.TRUSTED_PROXIES = 3  # more proxies configured than hops: no error, the first hop
    api(secret).get("/api/v1/me/", HTTP_X_FORWARDED_FOR=forged, REMOTE_ADDR="10.0.0.2")
    assert ApiTokenUse.objects.order_by("pk").last().client_address == "203.0.113.66"


def test_an_expired_token_gets_401_with_its_expiry():
    with time_machine.travel(START, tick=False):
        _token, secret = services.api_token_create(
            user=UserFactory(), name="cli", lifetime_days=1, session_mfa=False
        )
    with time_machine.travel(START + timedelta(days=1), tick=False):
        response = api(secret).get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json() == {
        "detail": "This API token expired on 3 March 2026, 10:00: create a new one on your "
        "account page."
    }
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'
    assert ApiTokenUse.objects.count() == 0


def test_a_revoked_token_gets_401_with_the_revocation_time():
    owner = UserFactory()
    token, secret = services.api_token_create(user=owner, name="cli", session_mfa=False)
    with time_machine.travel(START, tick=False):
        services.api_token_revoke(token=token, actor=owner)
    response = api(secret).get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json() == {
        "detail": "This API token was revoked on 2 March 2026, 10:00 and no longer works."
    }
    assert ApiTokenUse.objects.count() == 0


@pytest.mark.parametrize(
    ("header", "detail"),
    [
        ("Bearer mgt_not-a-real-token", "Invalid API token."),
        (
            "Bearer",
            "Send the header as “Authorization: Bearer <token>”, with no spaces in the token.",
        ),
        (
            "Token a b",
            "Send the header as “Authorization: Bearer <token>”, with no spaces in the token.",
        ),
    ],
)
def test_an_unknown_or_malformed_token_gets_401(header, detail):
    response = APIClient().get("/api/v1/me/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json() == {"detail": detail}


def test_a_deactivated_owner_token_gets_401():
    owner = UserFactory()
    _token, secret = services.api_token_create(user=owner, name="cli", session_mfa=False)
    owner.is_active = False
    owner.save(update_fields=["is_active"])
    response = api(secret).get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json() == {"detail": "The owner of this API token is deactivated."}


def test_staff_token_from_an_mfa_session_reaches_the_payments_endpoint(client):
    staff = staff_with_totp()
    sign_in(client, staff)
    secret = create(client, name="payments").context["secret"]
    listing = api(secret).get("/api/v1/manage/payments/")
    assert listing.status_code == 200
    assert listing.json() == {"count": 0, "next": None, "previous": None, "results": []}
    assert api(secret).get("/api/v1/manage/vouchers/").status_code == 200
    applicant_token = services.api_token_create(user=UserFactory(), name="x", session_mfa=False)
    assert api(applicant_token[1]).get("/api/v1/manage/payments/").status_code == 403


def test_a_token_created_without_a_second_factor_stays_out_of_privileged_endpoints():
    # Made while its owner was an applicant; they became staff and enrolled a TOTP since.
    person = UserFactory()
    _token, secret = services.api_token_create(user=person, name="old", session_mfa=False)
    person.groups.add(Group.objects.get_or_create(name=roles.STAFF)[0])
    Authenticator.objects.create(user=person, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert api(secret).get("/api/v1/me/").status_code == 200
    refused = api(secret).get("/api/v1/manage/payments/")
    assert refused.status_code == 403
    _token, verified = services.api_token_create(user=person, name="new", session_mfa=True)
    assert api(verified).get("/api/v1/manage/payments/").status_code == 200


def test_turning_off_two_factor_revokes_the_tokens_created_after_it(client):
    evaluator = UserFactory(roles=[roles.EVALUATOR])
    Authenticator.objects.create(user=evaluator, type=Authenticator.Type.TOTP, data={"secret": "x"})
    verified, secret = services.api_token_create(user=evaluator, name="mfa", session_mfa=True)
    sign_in(client, evaluator)
    # allauth asks for the password again before removing a factor.
    client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=evaluator).count() == 0
    verified.refresh_from_db()
    assert verified.revoked_at is not None
    entry = AuditEntry.objects.get(action="accounts.api_token.revoked")
    assert entry.data == {"cause": "two_factor_turned_off"}
    assert api(secret).get("/api/v1/me/").status_code == 401


# Listing and revoking --------------------------------------------------------------------------


def test_owner_lists_and_revokes_with_confirmation(client):
    owner = UserFactory()
    sign_in(client, owner, mfa=False)
    kept, _secret = services.api_token_create(user=owner, name="kept", session_mfa=False)
    gone, _secret = services.api_token_create(user=owner, name="to revoke", session_mfa=False)
    services.api_token_create(user=UserFactory(), name="someone else's", session_mfa=False)
    page = client.get(reverse("accounts:api-tokens"))
    assert [t.name for t in page.context["page"].object_list] == ["to revoke", "kept"]
    assert "someone else&#x27;s" not in page.text
    url = reverse("accounts:api-token-revoke", args=[gone.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Do you really want to revoke the token “to revoke”?" in confirm.text
    gone.refresh_from_db()
    assert gone.revoked_at is None
    response = client.post(url, follow=True)
    assert response.redirect_chain == [(reverse("accounts:api-tokens"), 302)]
    assert "Token “to revoke” revoked." in response.text
    gone.refresh_from_db()
    kept.refresh_from_db()
    assert gone.revoked_at is not None
    assert kept.revoked_at is None
    entry = AuditEntry.objects.get(action="accounts.api_token.revoked")
    assert (entry.actor, entry.target_id, entry.data) == (
        owner,
        str(gone.pk),
        {},
    )
    # Revoking twice says so and changes nothing.
    again = client.post(url, follow=True)
    assert "This token is already revoked." in again.text
    assert AuditEntry.objects.filter(action="accounts.api_token.revoked").count() == 1


def test_nobody_else_can_revoke_a_token(client):
    owner = UserFactory()
    token, secret = services.api_token_create(user=owner, name="cli", session_mfa=False)
    intruder = staff_with_totp()
    sign_in(client, intruder)
    url = reverse("accounts:api-token-revoke", args=[token.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    with pytest.raises(PermissionDenied):
        services.api_token_revoke(token=token, actor=intruder)
    token.refresh_from_db()
    assert token.revoked_at is None
    assert api(secret).get("/api/v1/me/").status_code == 200


def test_token_list_queries_do_not_grow_with_tokens(client, django_assert_num_queries):
    owner = UserFactory()
    sign_in(client, owner, mfa=False)
    services.api_token_create(user=owner, name="one", session_mfa=False)
    client.get(reverse("accounts:api-tokens"))  # warm the session and role caches
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("accounts:api-tokens"))
    for name in ("two", "three"):
        services.api_token_create(user=owner, name=name, session_mfa=False)
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(reverse("accounts:api-tokens"))
    assert len(page.context["page"].object_list) == 3


# Pruning ---------------------------------------------------------------------------------------


def test_uses_older_than_the_retention_are_pruned(settings):
    settings.API_TOKEN_USE_RETENTION_DAYS = 180
    with time_machine.travel(START - timedelta(days=200), tick=False):
        _token, secret = services.api_token_create(
            user=UserFactory(), name="c", lifetime_days=90, session_mfa=False
        )
    for moment in (START - timedelta(days=181), START - timedelta(days=179)):
        with time_machine.travel(moment, tick=False):
            api(secret).get("/api/v1/me/")
    with time_machine.travel(START, tick=False):
        assert prune_api_token_uses.delay().get() == 1  # what the nightly beat entry runs
    assert settings.CELERY_BEAT_SCHEDULE["prune-api-token-uses"]["task"] == (
        "accounts.tasks.prune_api_token_uses"
    )
    assert list(ApiTokenUse.objects.values_list("at", flat=True)) == [START - timedelta(days=179)]


# Schema ----------------------------------------------------------------------------------------


def test_the_openapi_schema_describes_the_token_scheme():
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    schema = yaml.safe_load(out.getvalue())
    scheme = schema["components"]["securitySchemes"]["apiToken"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    assert "Authorization: Bearer <token>" in scheme["description"]
    assert "tokenAuth" not in schema["components"]["securitySchemes"]
    assert {"apiToken": []} in schema["paths"]["/api/v1/manage/payments/"]["get"]["security"]


# Admin -----------------------------------------------------------------------------------------


def test_admin_shows_tokens_and_their_uses_read_only(client):
    token, secret = services.api_token_create(user=UserFactory(), name="cli", session_mfa=False)
    api(secret).get("/api/v1/me/")
    sign_in(client, UserFactory(is_superuser=True, is_staff=True))
    listing = client.get(reverse("admin:accounts_apitoken_changelist"))
    assert listing.status_code == 200
    assert list(listing.context["cl"].result_list) == [token]
    assert (
        token.digest
        not in client.get(reverse("admin:accounts_apitoken_change", args=[token.pk])).text
    )
    uses = client.get(reverse("admin:accounts_apitokenuse_changelist"))
    assert [use.path for use in uses.context["cl"].result_list] == ["/api/v1/me/"]
    assert client.get(reverse("admin:accounts_apitoken_add")).status_code == 403
    assert (
        client.post(reverse("admin:accounts_apitoken_delete", args=[token.pk])).status_code == 403
    )
    assert ApiToken.objects.count() == 1
