"""REST API of the vouchers app (mounted under /api/v1/).

Staff (with MFA): vouchers, instalments and payments, list and detail; record a payment with an
``Idempotency-Key`` header (a repeated key answers the first payment, 200 instead of 201).
Beneficiaries: their own vouchers only.
"""

from decimal import Decimal

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from calls import selectors as calls_selectors
from minegap.core.api import HasMFA
from minegap.core.permissions import NamedPermission
from vouchers import selectors, services
from vouchers.filters import InstalmentFilter, PaymentFilter, VoucherFilter
from vouchers.models import (
    BeneficiaryShare,
    Instalment,
    InstalmentShare,
    Payment,
    Voucher,
)


class IsStaff(NamedPermission):
    message = _("Only consortium staff.")
    permission = "vouchers.manage_vouchers"


STAFF_PERMISSIONS = [IsAuthenticated, IsStaff, HasMFA]


class ShareSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.legal_name")
    country = serializers.CharField(source="organisation.country")

    class Meta:
        model = BeneficiaryShare
        fields = ["id", "organisation", "country", "amount", "signed_at", "refused_at"]


class SplitSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="share.organisation.legal_name")

    class Meta:
        model = InstalmentShare
        fields = ["id", "organisation", "amount", "paid_amount"]


class InstalmentSerializer(serializers.ModelSerializer):
    voucher = serializers.CharField(source="voucher.agreement_number")
    splits = SplitSerializer(many=True)

    class Meta:
        model = Instalment
        fields = [
            "id",
            "voucher",
            "sequence",
            "label",
            "percent",
            "amount",
            "trigger",
            "state",
            "due_at",
            "approved_amount",
            "paid_amount",
            "recovered_amount",
            "withheld_reason",
            "recovery_reason",
            "splits",
        ]


class VoucherListSerializer(serializers.ModelSerializer):
    call = serializers.CharField(source="call.slug")
    application = serializers.CharField(source="application.reference")
    project = serializers.CharField(source="submitted_name")

    class Meta:
        model = Voucher
        fields = ["id", "agreement_number", "call", "application", "project", "amount", "state"]


class VoucherDetailSerializer(VoucherListSerializer):
    shares = ShareSerializer(many=True)
    instalments = InstalmentSerializer(many=True)

    class Meta(VoucherListSerializer.Meta):
        fields = [
            *VoucherListSerializer.Meta.fields,
            "signed_at",
            "countersigned_at",
            "closed_at",
            "state_reason",
            "shares",
            "instalments",
        ]


class PaymentSerializer(serializers.ModelSerializer):
    voucher = serializers.CharField(source="instalment.voucher.agreement_number")
    instalment = serializers.IntegerField(source="instalment.sequence")
    organisation = serializers.CharField(source="beneficiary.organisation.legal_name")
    recorded_by = serializers.EmailField(source="recorded_by.email")
    approved_by = serializers.EmailField(source="approved_by.email")

    class Meta:
        model = Payment
        fields = [
            "id",
            "voucher",
            "instalment",
            "split",
            "organisation",
            "amount",
            "value_date",
            "bank_reference",
            "idempotency_key",
            "recorded_by",
            "approved_by",
            "recorded_at",
        ]


class RecordPaymentSerializer(serializers.Serializer):
    split = serializers.IntegerField(help_text=_("The beneficiary's split of the instalment."))
    amount = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        required=False,
        min_value=Decimal("0.01"),
        help_text=_("Defaults to what is still owed to that beneficiary."),
    )
    value_date = serializers.DateField()
    bank_reference = serializers.CharField(max_length=100)


def _prefetched_instalments():
    return Instalment.objects.select_related("voucher").prefetch_related(
        "splits__share__organisation"
    )


def _instalments_prefetch() -> Prefetch:
    return Prefetch("instalments", queryset=_prefetched_instalments().order_by("sequence"))


def _voucher_queryset():
    return (
        Voucher.objects.select_related("call", "application")
        .annotate(**calls_selectors.submitted_name_fields("application"))
        .order_by("agreement_number")
    )


@extend_schema(tags=["vouchers (staff)"])
class StaffVoucherViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = STAFF_PERMISSIONS
    filterset_class = VoucherFilter

    def get_serializer_class(self):
        return VoucherDetailSerializer if self.action == "retrieve" else VoucherListSerializer

    def get_queryset(self):
        queryset = _voucher_queryset()
        if self.action == "retrieve":
            return queryset.prefetch_related(
                "shares__organisation",
                _instalments_prefetch(),
            )
        return queryset


@extend_schema(tags=["vouchers (staff)"])
class StaffInstalmentViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = STAFF_PERMISSIONS
    serializer_class = InstalmentSerializer
    filterset_class = InstalmentFilter

    def get_queryset(self):
        return _prefetched_instalments().order_by("voucher__agreement_number", "sequence")


@extend_schema(tags=["vouchers (staff)"])
class StaffPaymentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    permission_classes = STAFF_PERMISSIONS
    serializer_class = PaymentSerializer
    filterset_class = PaymentFilter

    def get_queryset(self):
        return selectors.staff_payments()

    @extend_schema(
        request=RecordPaymentSerializer,
        responses={
            201: PaymentSerializer,
            200: OpenApiResponse(PaymentSerializer, description=_("Replay of the same key.")),
            400: OpenApiResponse(description=_("Rule broken, or the key names another payment.")),
        },
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                location=OpenApiParameter.HEADER,
                required=True,
                description=_("A unique key per payment: retrying with it records nothing new."),
            )
        ],
    )
    def create(self, request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key:
            raise ValidationError({"detail": _("Send an Idempotency-Key header.")})
        data = RecordPaymentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        split = get_object_or_404(InstalmentShare, pk=data.validated_data["split"])
        payment, created = services.record_payment_once(
            split=split,
            actor=request.user,
            idempotency_key=key,
            value_date=data.validated_data["value_date"],
            bank_reference=data.validated_data["bank_reference"],
            amount=data.validated_data.get("amount"),
        )
        payment = selectors.staff_payments().get(pk=payment.pk)
        return Response(
            PaymentSerializer(payment).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


@extend_schema(tags=["vouchers"])
class MyVoucherViewSet(viewsets.ReadOnlyModelViewSet):
    """The vouchers in which one of the user's organisations holds a share."""

    permission_classes = [IsAuthenticated]

    def get_serializer_class(self):
        return VoucherDetailSerializer if self.action == "retrieve" else VoucherListSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Voucher.objects.none()
        queryset = selectors.vouchers_for_user(self.request.user)
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("shares__organisation", _instalments_prefetch())
        return queryset
