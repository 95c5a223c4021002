"""The call a staff page of a call is about, and its voucher types, read by the call's slug.

Every visit of the staff applications list reads both; building and compiling the two ORM
queries cost about as much as running them (issue #15), so they are compiled once per process
and database (`minegap.core.compiled_queries`) and the models are made from their rows as the
ORM makes them (`Model.from_db`, every field loaded).
"""

from django.db.models import QuerySet

from calls.models import Call, VoucherType
from minegap.core.compiled_queries import CompiledQuery, model_columns


def _call(slug: str) -> QuerySet[Call]:
    return Call.objects.filter(slug=slug).order_by().values_list(*model_columns(Call))


def _voucher_types(call: int) -> QuerySet[VoucherType]:
    # In the model's order, as `call.voucher_types.all()` reads them.
    return VoucherType.objects.filter(call_id=call).values_list(*model_columns(VoucherType))


_CALL = CompiledQuery(_call, texts=("slug",))
_VOUCHER_TYPES = CompiledQuery(_voucher_types, "call")


def call_by_slug(slug: str) -> Call | None:
    """The call whose slug this is (None: there is none)."""
    using = Call.objects.db
    row = _CALL.first(using=using, slug=slug)
    return None if row is None else Call.from_db(using, model_columns(Call), row)


def voucher_types_of(call: Call) -> list[VoucherType]:
    """The call's voucher types, in their order."""
    using = VoucherType.objects.db
    return [
        VoucherType.from_db(using, model_columns(VoucherType), row)
        for row in _VOUCHER_TYPES.rows(using=using, call=call.pk)
    ]
