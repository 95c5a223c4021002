"""Open data: no authentication, rate-limited, cached, each list also as CSV (`?format=csv`)."""

import json
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from calls.models import Application, ConsortiumMember
from minegap.core.throttling import AnonRateThrottle
from public import csv_export, selectors
from public.cache import cached
from public.filters import BeneficiaryFilter, ProjectFilter
from public.pagination import PageFirstPaginator
from public.serializers import (
    BeneficiarySerializer,
    EventFiguresSerializer,
    ProjectSerializer,
    PublicCallFiguresSerializer,
    StatsSerializer,
)

FORMAT_PARAMETER = OpenApiParameter(
    "format", OpenApiTypes.STR, enum=["json", "csv"], description="`csv` downloads the whole list."
)


class PublicPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class PageFirstPagination(PublicPagination):
    """Reads the details of the page's rows only (`public.pagination`)."""

    details: Callable[[QuerySet], QuerySet]

    def django_paginator_class(self, queryset: QuerySet, page_size: int) -> PageFirstPaginator:
        return PageFirstPaginator(queryset, page_size, details=type(self).details)


class ProjectPagination(PageFirstPagination):
    details = staticmethod(selectors.project_page)


class BeneficiaryPagination(PageFirstPagination):
    details = staticmethod(selectors.beneficiary_page)


class PublicAPIMixin:
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [AnonRateThrottle]
    renderer_classes = [JSONRenderer, csv_export.CSVRenderer]


def _plain(data: Any) -> Any:
    """Serializer output as plain JSON types (cacheable, and free of serializer references)."""
    return json.loads(JSONRenderer().render(data))


class PublicListView(PublicAPIMixin, generics.ListAPIView):
    pagination_class = PublicPagination
    csv_name = ""
    csv_columns: Callable[[], list[csv_export.Column]]

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        is_csv = request.accepted_renderer.format == "csv"

        def build() -> Any:
            queryset = self.filter_queryset(self.get_queryset())
            if is_csv:
                return csv_export.table(queryset, type(self).csv_columns())
            page = self.paginate_queryset(queryset)
            return _plain(
                self.get_paginated_response(self.get_serializer(page, many=True).data).data
            )

        data = cached(f"api {request.build_absolute_uri()}", build)
        if is_csv:
            return Response(
                data,
                headers={
                    "Content-Disposition": f'attachment; filename="minegap-{self.csv_name}.csv"'
                },
            )
        return Response(data)


@extend_schema(
    summary="Public figures overall and per call", tags=["open data"], responses=StatsSerializer
)
class StatsView(PublicAPIMixin, APIView):
    renderer_classes = [JSONRenderer]

    def get(self, request: Request) -> Response:
        return Response(cached("stats", lambda: selectors.public_stats().as_api()))


@extend_schema(
    summary="The events' figures",
    tags=["open data"],
    responses=EventFiguresSerializer,
    parameters=[FORMAT_PARAMETER],
)
class EventFiguresView(PublicAPIMixin, APIView):
    def get(self, request: Request) -> Response:
        figures = selectors.cached_event_figures()
        if request.accepted_renderer.format == "csv":
            return Response(
                {"header": list(figures), "rows": [[str(v) for v in figures.values()]]},
                headers={
                    "Content-Disposition": 'attachment; filename="minegap-events-figures.csv"'
                },
            )
        return Response(figures)


@extend_schema(
    summary="Calls with their figures", tags=["open data"], parameters=[FORMAT_PARAMETER]
)
class CallListView(PublicListView):
    serializer_class = PublicCallFiguresSerializer
    csv_name = "calls"
    csv_columns = staticmethod(csv_export.call_columns)
    # Every call with its figures, a short list computed whole: it takes no filters.
    filter_backends: list = []

    def get_queryset(self) -> list:
        return selectors.calls_with_figures()


@extend_schema(summary="Funded projects", tags=["open data"], parameters=[FORMAT_PARAMETER])
class ProjectListView(PublicListView):
    serializer_class = ProjectSerializer
    pagination_class = ProjectPagination
    filterset_class = ProjectFilter
    csv_name = "projects"
    csv_columns = staticmethod(csv_export.project_columns)

    def get_queryset(self) -> QuerySet:
        # The filter set selects the rows (`ProjectFilter.select`): building the whole list's
        # query here as well cost a request ~20 ms of Python for a query never run.
        return Application.objects.none()


@extend_schema(
    summary="Beneficiaries: the publication list, one row per award",
    tags=["open data"],
    parameters=[FORMAT_PARAMETER],
)
class BeneficiaryListView(PublicListView):
    serializer_class = BeneficiarySerializer
    pagination_class = BeneficiaryPagination
    filterset_class = BeneficiaryFilter
    csv_name = "beneficiaries"
    csv_columns = staticmethod(csv_export.beneficiary_columns)

    def get_queryset(self) -> QuerySet:
        return ConsortiumMember.objects.none()  # the filter set selects (see ProjectListView)
