"""REST API of the partner directory (signed-in users only): search, profiles, own profile,
recommendations and expressions of interest. Service errors answer 400/403 (core handler)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Organisation, User
from calls.models import Application, Call
from matchmaking import directory, recommendations, selectors, services, vocab
from matchmaking.filters import PartnerFilterSet
from matchmaking.models import ExpressionOfInterest, PartnerProfile


class PartnerPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


# Serializers ------------------------------------------------------------------------------------


class OrganisationBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    legal_name = serializers.CharField()
    short_name = serializers.CharField()
    country = serializers.CharField()
    nuts_region = serializers.CharField()


class ItemSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    description = serializers.CharField(max_length=1000, allow_blank=True, required=False)


class PartnerSerializer(serializers.Serializer):
    """A directory entry. Never carries contact details."""

    id = serializers.IntegerField()
    organisation = OrganisationBriefSerializer()
    summary = serializers.CharField()
    role_sought = serializers.CharField()
    trl = serializers.IntegerField(allow_null=True)
    stages = serializers.ListField(child=serializers.CharField())
    sectors = serializers.ListField(child=serializers.CharField())
    raw_materials = serializers.ListField(child=serializers.CharField())
    keywords = serializers.ListField(child=serializers.CharField())
    call = serializers.IntegerField(source="call_id", allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)


class ContactSerializer(serializers.Serializer):
    name = serializers.CharField()
    email = serializers.EmailField()


class PartnerDetailSerializer(PartnerSerializer):
    expertise = serializers.CharField()
    offers = ItemSerializer(many=True)
    requests = ItemSerializer(many=True)
    languages = serializers.ListField(child=serializers.CharField())
    contact = ContactSerializer(
        allow_null=True,
        help_text="Contact person and e-mail: only once an expression of interest between your "
        "organisations was accepted; null otherwise.",
    )


class OwnProfileSerializer(PartnerDetailSerializer):
    status = serializers.CharField()
    contact_person = serializers.IntegerField(source="contact_person_id", allow_null=True)
    contact = None


class ProfileInputSerializer(serializers.Serializer):
    summary = serializers.CharField(max_length=1000)
    role_sought = serializers.ChoiceField(choices=vocab.Role.choices)
    expertise = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    offers = ItemSerializer(many=True, required=False)
    requests = ItemSerializer(many=True, required=False)
    stages = serializers.ListField(
        child=serializers.ChoiceField(choices=vocab.Stage.choices), required=False
    )
    sectors = serializers.ListField(
        child=serializers.ChoiceField(choices=vocab.Sector.choices), required=False
    )
    raw_materials = serializers.ListField(
        child=serializers.ChoiceField(choices=vocab.RawMaterial.choices), required=False
    )
    keywords = serializers.ListField(child=serializers.CharField(max_length=40), required=False)
    trl = serializers.IntegerField(min_value=1, max_value=9, required=False, allow_null=True)
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=vocab.LANGUAGE_CHOICES), required=False
    )
    contact_person = serializers.IntegerField(
        required=False, allow_null=True, help_text="User id of a member of your organisation."
    )
    call = serializers.PrimaryKeyRelatedField(
        queryset=Call.objects.all(), required=False, allow_null=True
    )


@extend_schema_field({"oneOf": [{"type": "string"}, {"type": "integer"}]})
class FacetValueField(serializers.JSONField):
    """A vocabulary or country code, or a number: a TRL, or a call's id."""


class FacetValueSerializer(serializers.Serializer):
    value = FacetValueField(help_text="A code; a number for the `trl` and `call` facets.")
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


@extend_schema_serializer(many=False)  # the page itself, not a list of pages
class PartnerPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = PartnerSerializer(many=True)
    facets = serializers.DictField(
        child=FacetValueSerializer(many=True),
        required=False,
        help_text="Per facet, its values with their counts (with `facets=true`).",
    )

    class Meta:
        ref_name = "PartnerPage"


class RecommendationSerializer(serializers.Serializer):
    partner = PartnerSerializer(source="profile")
    score = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField())
    summary = serializers.CharField()


class InterestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sender = OrganisationBriefSerializer()
    receiver = OrganisationBriefSerializer()
    message = serializers.CharField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()
    answered_at = serializers.DateTimeField(allow_null=True)
    contact = serializers.SerializerMethodField(
        help_text="The other side's contact person, once accepted; null otherwise."
    )

    @extend_schema_field(ContactSerializer(allow_null=True))
    def get_contact(self, interest: ExpressionOfInterest) -> dict | None:
        contacts = self.context.get("contacts", {})
        organisation = self.context["organisation"]
        if interest.status != ExpressionOfInterest.Status.ACCEPTED:
            return None
        other = (
            interest.receiver_id if interest.sender_id == organisation.pk else interest.sender_id
        )
        person = contacts.get(other)
        return {"name": person.full_name, "email": person.email} if person else None


class InterestInputSerializer(serializers.Serializer):
    receiver = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), help_text="Organisation id of the receiver."
    )
    message = serializers.CharField(max_length=1000)
    organisation = serializers.IntegerField(
        required=False, help_text="Your organisation, if you belong to several."
    )


# Views ------------------------------------------------------------------------------------------

ORGANISATION_PARAM = OpenApiParameter(
    "organisation", OpenApiTypes.INT, description="Act for this organisation (default: your first)."
)


class ActingOrganisationSerializer(serializers.Serializer):
    """The `organisation` a caller acts for, from the query string or the body."""

    organisation = serializers.IntegerField(required=False, allow_null=True, min_value=1)


def _chosen_organisation(data) -> int | None:
    serializer = ActingOrganisationSerializer(data=data)
    serializer.is_valid(raise_exception=True)  # 400: {"organisation": [what is wrong]}
    return serializer.validated_data.get("organisation")


def viewing_organisation(request: Request) -> Organisation | None:
    """The organisation asked for (query string, else body) if the caller belongs to it, else
    their first; None for someone in no organisation. Another organisation's id is a 403."""
    chosen = _chosen_organisation(request.query_params)
    if chosen is None and isinstance(request.data, dict):
        chosen = _chosen_organisation(request.data)
    organisation = selectors.acting_organisation(request.user, chosen)
    if chosen is not None and organisation is None:
        raise PermissionDenied(f"You do not belong to the organisation {chosen}.")
    return organisation


def acting_organisation(request: Request) -> Organisation:
    organisation = viewing_organisation(request)
    if organisation is None:
        raise PermissionDenied("Register an organisation (or join one) first.")
    return organisation


def _detail(profile: PartnerProfile, viewer: Organisation | None) -> dict:
    data = PartnerDetailSerializer(profile).data
    data["contact"] = selectors.revealed_contact(viewer=viewer, other=profile.organisation)
    return data


@extend_schema_view(
    get=extend_schema(operation_id="partners_list", responses=PartnerPageSerializer)
)
class PartnerListView(ListAPIView):
    """Published partner profiles: search, facets that combine, pagination."""

    serializer_class = PartnerSerializer
    pagination_class = PartnerPagination
    # Validates the query string (400 with a message per parameter) and searches.
    filterset_class = PartnerFilterSet

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return PartnerProfile.objects.none()
        return directory.listed_for(self.request.user)

    def list(self, request: Request, *args, **kwargs) -> Response:
        response = super().list(request, *args, **kwargs)
        filterset = PartnerFilterSet(request.query_params, queryset=PartnerProfile.objects.none())
        if filterset.is_valid() and filterset.wants_facet_counts():
            response.data["facets"] = directory.cached_facet_counts(filterset.partner_filters())
        return response


class PartnerDetailView(APIView):
    @extend_schema(
        operation_id="partners_retrieve",
        parameters=[ORGANISATION_PARAM],
        responses=PartnerDetailSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        profile = get_object_or_404(PartnerProfile.objects.select_related("organisation"), pk=pk)
        if not profile.is_published and not request.user.has_perm(
            "matchmaking.act_for_organisation", profile.organisation
        ):
            raise Http404
        viewer = viewing_organisation(request)
        return Response(_detail(profile, viewer))


class OwnProfileView(APIView):
    """Your organisation's profile: read, create or replace (PUT), change some fields (PATCH)."""

    def _profile(self, organisation: Organisation) -> PartnerProfile:
        profile = selectors.profile_of(organisation)
        if profile is None:
            raise Http404
        return profile

    @extend_schema(
        operation_id="partners_me_retrieve",
        parameters=[ORGANISATION_PARAM],
        responses=OwnProfileSerializer,
    )
    def get(self, request: Request) -> Response:
        return Response(OwnProfileSerializer(self._profile(acting_organisation(request))).data)

    def _save(self, request: Request, *, partial: bool) -> Response:
        organisation = acting_organisation(request)
        current = selectors.profile_of(organisation)
        if partial and current is None:
            raise Http404
        serializer = ProfileInputSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        if "contact_person" in values:
            # Only members can be chosen; an unknown id and a stranger get the same answer.
            person_id = values["contact_person"]
            values["contact_person"] = (
                User.objects.filter(pk=person_id, memberships__organisation=organisation).first()
                if person_id is not None
                else None
            )
            if person_id is not None and values["contact_person"] is None:
                raise ValidationError({"contact_person": "The contact person must be a member."})
        if partial:
            values = {**_current_values(current), **values}
        profile = services.save_profile(organisation=organisation, actor=request.user, **values)
        created = current is None
        return Response(
            OwnProfileSerializer(profile).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        operation_id="partners_me_update",
        parameters=[ORGANISATION_PARAM],
        request=ProfileInputSerializer,
        responses=OwnProfileSerializer,
    )
    def put(self, request: Request) -> Response:
        return self._save(request, partial=False)

    @extend_schema(
        operation_id="partners_me_partial_update",
        parameters=[ORGANISATION_PARAM],
        request=ProfileInputSerializer,
        responses=OwnProfileSerializer,
    )
    def patch(self, request: Request) -> Response:
        return self._save(request, partial=True)


def _current_values(profile: PartnerProfile) -> dict:
    fields = ProfileInputSerializer().fields
    values = {
        name: getattr(profile, name) for name in fields if name not in ("contact_person", "call")
    }
    values["contact_person"] = profile.contact_person
    values["call"] = profile.call
    return values


class OwnProfilePublicationView(APIView):
    action = "publish"

    @extend_schema(parameters=[ORGANISATION_PARAM], request=None, responses=OwnProfileSerializer)
    def post(self, request: Request) -> Response:
        profile = selectors.profile_of(acting_organisation(request))
        if profile is None:
            raise Http404
        service = (
            services.publish_profile if self.action == "publish" else services.unpublish_profile
        )
        return Response(OwnProfileSerializer(service(profile=profile, actor=request.user)).data)


class RecommendationListView(APIView):
    @extend_schema(
        operation_id="partners_recommendations",
        parameters=[ORGANISATION_PARAM],
        responses=RecommendationSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        """'Partners for you': best matches for your organisation, each with its reasons."""
        items = recommendations.recommend(acting_organisation(request))
        return Response(RecommendationSerializer(items, many=True).data)


class InterestListCreateView(APIView):
    @extend_schema(
        operation_id="interests_list",
        parameters=[ORGANISATION_PARAM],
        responses=InterestSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        """Expressions of interest sent or received by your organisation, newest first."""
        organisation = acting_organisation(request)
        paginator = PartnerPagination()
        page = paginator.paginate_queryset(
            selectors.interests_for(organisation), request, view=self
        )
        others = [
            i.receiver_id if i.sender_id == organisation.pk else i.sender_id
            for i in page
            if i.status == ExpressionOfInterest.Status.ACCEPTED
        ]
        context = {
            "organisation": organisation,
            "contacts": selectors.contact_people(others) if others else {},
        }
        return paginator.get_paginated_response(
            InterestSerializer(page, many=True, context=context).data
        )

    @extend_schema(
        operation_id="interests_create",
        request=InterestInputSerializer,
        responses={201: InterestSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = InterestInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        sender = acting_organisation(request)
        interest = services.send_interest(
            sender=sender,
            receiver=serializer.validated_data["receiver"],
            actor=request.user,
            message=serializer.validated_data["message"],
        )
        data = InterestSerializer(interest, context={"organisation": sender}).data
        return Response(data, status=status.HTTP_201_CREATED)


class InterestAnswerView(APIView):
    answer = "accept"

    @extend_schema(request=None, responses=InterestSerializer)
    def post(self, request: Request, pk: int) -> Response:
        interest = get_object_or_404(
            ExpressionOfInterest.objects.select_related("sender", "receiver"), pk=pk
        )
        if not request.user.has_perm("matchmaking.view_interest", interest):
            raise Http404
        service = services.accept_interest if self.answer == "accept" else services.decline_interest
        interest = service(interest=interest, actor=request.user)
        contacts = {}
        if interest.status == ExpressionOfInterest.Status.ACCEPTED:
            contacts = selectors.contact_people([interest.sender_id])
        context = {"organisation": interest.receiver, "contacts": contacts}
        return Response(InterestSerializer(interest, context=context).data)


class InterestWithdrawView(APIView):
    @extend_schema(operation_id="interests_withdraw", request=None, responses=InterestSerializer)
    def post(self, request: Request, pk: int) -> Response:
        """Withdraw an expression of interest your organisation sent, while it is pending."""
        interest = get_object_or_404(
            ExpressionOfInterest.objects.select_related("sender", "receiver"), pk=pk
        )
        if not request.user.has_perm("matchmaking.view_interest", interest):
            raise Http404
        interest = services.withdraw_interest(interest=interest, actor=request.user)
        return Response(
            InterestSerializer(interest, context={"organisation": interest.sender}).data
        )


class InviteInputSerializer(serializers.Serializer):
    application = serializers.IntegerField(help_text="Id of a draft application you lead.")


class InvitedMemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    application = serializers.IntegerField(source="application_id")
    organisation = OrganisationBriefSerializer()
    status = serializers.CharField()


class InterestInviteView(APIView):
    @extend_schema(
        operation_id="interests_invite",
        parameters=[ORGANISATION_PARAM],
        request=InviteInputSerializer,
        responses={201: InvitedMemberSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        """Invite the other side of an accepted contact into your draft application."""
        serializer = InviteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organisation = acting_organisation(request)
        interest = get_object_or_404(
            ExpressionOfInterest.objects.select_related("sender", "receiver"), pk=pk
        )
        if organisation.pk not in (interest.sender_id, interest.receiver_id):
            raise Http404
        application = get_object_or_404(
            Application,
            pk=serializer.validated_data["application"],
            lead_organisation=organisation,
        )
        member = services.invite_contact(
            interest=interest, application=application, actor=request.user
        )
        return Response(InvitedMemberSerializer(member).data, status=status.HTTP_201_CREATED)
