"""The call of a staff page and its voucher types, read through compiled queries
(`calls.staff_call`): every field as the ORM reads it, nothing for an unknown slug."""

from decimal import Decimal

import pytest
from django.urls import reverse

from calls.models import Call, VoucherType
from calls.staff_call import call_by_slug, voucher_types_of
from tests.calls.factories import CallFactory

pytestmark = pytest.mark.django_db


def test_the_call_is_read_whole_by_its_slug():
    call = CallFactory(slug="ore-sorting", title="Ore sorting", cap_per_project=Decimal("60000"))
    CallFactory(slug="other-call")

    read = call_by_slug("ore-sorting")

    assert (read.pk, read.slug, read.title, read.cap_per_project) == (
        call.pk,
        "ore-sorting",
        "Ore sorting",
        Decimal("60000.00"),
    )
    assert read._state.adding is False
    expected = Call.objects.get(pk=call.pk)
    assert {f.attname: getattr(read, f.attname) for f in Call._meta.concrete_fields} == {
        f.attname: getattr(expected, f.attname) for f in Call._meta.concrete_fields
    }
    assert call_by_slug("no-such-call") is None


def test_the_voucher_types_come_in_their_order():
    call = CallFactory()
    call.voucher_types.all().delete()
    second = VoucherType.objects.create(
        call=call, name="Demonstration", order=2, cap_per_sme=Decimal("60000")
    )
    first = VoucherType.objects.create(
        call=call, name="Proof of concept", order=1, cap_per_sme=Decimal("60000")
    )
    VoucherType.objects.create(
        call=CallFactory(), name="Elsewhere", order=0, cap_per_sme=Decimal("60000")
    )

    assert [(v.pk, v.name, v.call_id) for v in voucher_types_of(call)] == [
        (first.pk, "Proof of concept", call.pk),
        (second.pk, "Demonstration", call.pk),
    ]


def test_the_list_of_an_unknown_call_is_not_found(staff_client):
    response = staff_client.get(reverse("calls:manage-applications", args=["no-such-call"]))

    assert response.status_code == 404
