"""REST API: the person signed in, and their organisations (list and register)."""

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import roles, selectors, services
from accounts.models import Membership, Organisation


class SMEStatusSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    category = serializers.CharField()
    signed_at = serializers.DateTimeField()


class OrganisationSerializer(serializers.ModelSerializer):
    sme_status = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = [
            "id",
            "legal_name",
            "short_name",
            "type",
            "country",
            "vat_number",
            "nuts_region",
            "pic",
            "founding_year",
            "website",
            "description",
            "sme_status",
        ]
        read_only_fields = ["id", "sme_status"]

    @extend_schema(responses=SMEStatusSerializer(allow_null=True))
    def get_sme_status(self, organisation: Organisation) -> dict | None:
        current = getattr(organisation, "current_declarations", None)
        if current is None:
            current = list(selectors.current_declarations().filter(organisation=organisation))
        if not current:
            return None
        return SMEStatusSerializer(current[0]).data


class OrganisationInputSerializer(serializers.Serializer):
    """Shapes only; the service checks VAT, NUTS, PIC, year and uniqueness (400 with fields)."""

    legal_name = serializers.CharField(max_length=200)
    short_name = serializers.CharField(max_length=60, required=False, allow_blank=True)
    type = serializers.ChoiceField(choices=Organisation.Type.choices, default=Organisation.Type.SME)
    country = serializers.CharField(max_length=2)
    vat_number = serializers.CharField(max_length=30)
    nuts_region = serializers.CharField(max_length=8, required=False, allow_blank=True)
    pic = serializers.CharField(max_length=12, required=False, allow_blank=True)
    founding_year = serializers.IntegerField(required=False, allow_null=True)
    website = serializers.URLField(required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)


class MembershipSerializer(serializers.ModelSerializer):
    organisation = OrganisationSerializer()

    class Meta:
        model = Membership
        fields = ["role", "organisation"]


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    full_name = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    memberships = MembershipSerializer(many=True)


class MeView(APIView):
    @extend_schema(responses=MeSerializer, summary="The person signed in, roles and organisations")
    def get(self, request: Request) -> Response:
        user = request.user
        names = set(user.groups.values_list("name", flat=True))
        data = {
            "id": user.pk,
            "email": user.email,
            "full_name": user.full_name,
            "roles": [name for name in roles.ROLE_LABELS if name in names],
            "memberships": list(selectors.memberships_for_user(user)),
        }
        return Response(MeSerializer(data).data)


class OrganisationListCreateView(generics.ListCreateAPIView):
    serializer_class = OrganisationSerializer
    queryset = Organisation.objects.none()  # for the schema; get_queryset() is the real one

    def get_queryset(self) -> QuerySet[Organisation]:
        if getattr(self, "swagger_fake_view", False):
            return Organisation.objects.none()
        return selectors.organisations_for_user(self.request.user).prefetch_related(
            Prefetch(
                "sme_declarations",
                queryset=selectors.current_declarations(),
                to_attr="current_declarations",
            )
        )

    @extend_schema(
        request=OrganisationInputSerializer,
        responses={201: OrganisationSerializer},
        summary="Register an organisation (you become its administrator)",
    )
    def post(self, request: Request, *args, **kwargs) -> Response:
        serializer = OrganisationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organisation = services.organisation_create(
            user=request.user, data=dict(serializer.validated_data)
        )
        return Response(OrganisationSerializer(organisation).data, status=201)
