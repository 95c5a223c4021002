"""REST API of blocks: the organisations yours blocked (list, block one, unblock it).

A block hides the two organisations from each other in the directory and "Partners for you",
and the blocked one can no longer send yours expressions of interest.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Organisation
from matchmaking import blocks, services
from matchmaking.api import ORGANISATION_PARAM, OrganisationBriefSerializer, acting_organisation


class BlockSerializer(serializers.Serializer):
    organisation = OrganisationBriefSerializer(source="blocked")
    created_at = serializers.DateTimeField()


class BlockInputSerializer(serializers.Serializer):
    blocked = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), help_text="Organisation id to block."
    )
    organisation = serializers.IntegerField(
        required=False, help_text="Your organisation, if you belong to several."
    )


class BlockListCreateView(APIView):
    @extend_schema(
        operation_id="blocks_list",
        parameters=[ORGANISATION_PARAM],
        responses=BlockSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        """The organisations your organisation blocked, by name."""
        return Response(
            BlockSerializer(blocks.blocks_made(acting_organisation(request)), many=True).data
        )

    @extend_schema(
        operation_id="blocks_create",
        request=BlockInputSerializer,
        responses={201: BlockSerializer},
    )
    def post(self, request: Request) -> Response:
        """Block an organisation (its pending expressions of interest to you are declined)."""
        serializer = BlockInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        block = services.block_organisation(
            blocker=acting_organisation(request),
            blocked=serializer.validated_data["blocked"],
            actor=request.user,
        )
        return Response(BlockSerializer(block).data, status=status.HTTP_201_CREATED)


class BlockDetailView(APIView):
    @extend_schema(
        operation_id="blocks_destroy",
        parameters=[ORGANISATION_PARAM],
        request=None,
        responses={204: None},
    )
    def delete(self, request: Request, organisation_id: int) -> Response:
        """Unblock the organisation `organisation_id`."""
        blocked = get_object_or_404(Organisation, pk=organisation_id)
        services.unblock_organisation(
            blocker=acting_organisation(request), blocked=blocked, actor=request.user
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
