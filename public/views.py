"""Public pages (no sign-in): home, funded projects, beneficiaries, figures, decisions, open data.

Views are thin: figures come from `public.selectors` (cached), lists from the same filter sets as
the open-data API, so a page and its CSV show the same rows.
"""

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET

from accounts.countries import country_name
from calls import selectors as calls_selectors
from calls.downloads import file_download
from calls.models import Application, CallState, ConsortiumMember
from evaluation import selectors_decision as decision_selectors
from matchmaking import vocab
from minegap.core import personal_data
from minegap.core.formatting import format_money
from minegap.core.page_cache import cache_anonymous_page
from public import selectors, views_impact
from public.cache import cached
from public.charts import bar_chart
from public.filters import BeneficiaryFilter, ProjectFilter
from public.pagination import PageFirstPaginator

PROJECTS_PER_PAGE = 20
BENEFICIARIES_PER_PAGE = 50


def _stats() -> selectors.Stats:
    return cached("stats-object", selectors.public_stats)


@require_GET
@cache_anonymous_page
def home(request: HttpRequest) -> HttpResponse:
    upcoming = [
        call
        for call in calls_selectors.published_calls()
        if call.effective_state in (CallState.OPEN, CallState.PUBLISHED)
    ]
    return render(
        request,
        "public/home.html",
        {
            "calls": upcoming,
            "stats": _stats().overall,
            # The latest six sort every funded project: read once per data version, not once a
            # request (public.cache: any change to what they show replaces the version).
            "latest": cached(
                "home-latest-projects", lambda: list(selectors.funded_projects(sort="-date")[:6])
            ),
        },
    )


def _filter_form_context(request: HttpRequest, filterset, per_page: int, details) -> dict:
    valid = filterset.is_valid()
    rows = filterset.qs if valid else filterset.queryset.none()
    filters = request.GET.copy()
    filters.pop("page", None)
    count_key = f"{request.path}?{filters.urlencode()}" if valid else None
    page = PageFirstPaginator(rows, per_page, details=details, count_key=count_key).get_page(
        request.GET.get("page")
    )
    return {
        "filter": filterset,
        "page_obj": page,
        "calls": selectors.public_calls(),
        "query": request.GET.urlencode(),
    }


@require_GET
@cache_anonymous_page
def projects(request: HttpRequest) -> HttpResponse:
    filterset = ProjectFilter(request.GET, queryset=Application.objects.none())
    context = _filter_form_context(request, filterset, PROJECTS_PER_PAGE, selectors.project_page)
    context["voucher_types"] = selectors.funded_voucher_types()
    context["csv_url"] = reverse("api-public-projects") + "?" + _csv_query(request)
    return render(request, "public/projects.html", context)


def _with_duration(row):
    row.duration_months, row.duration_planned = selectors.duration_months(row)
    return row


@require_GET
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.funded_project(pk)
    if project is None:
        raise Http404(_("No funded project has this number."))
    for member in project.beneficiaries:
        member.country_name = country_name(member.organisation.country)
        member.stage_labels = [str(vocab.Stage(code).label) for code in member.stages]
        member.sector_labels = [str(vocab.Sector(code).label) for code in member.sectors]
        member.material_labels = [
            str(vocab.RawMaterial(code).label) for code in member.raw_materials
        ]
    return render(
        request,
        "public/project_detail.html",
        {
            "project": _with_duration(project),
            "deliverables": selectors.project_deliverables(project),
        },
    )


@require_GET
def deliverable_file(request: HttpRequest, pk: int, version_pk: int) -> FileResponse:
    """A public deliverable's accepted file: only while it is public and accepted, and its
    project a public funded project. Named after the deliverable, not the uploaded file."""
    version = selectors.deliverable_file(pk, version_pk)
    if version is None:
        raise Http404(_("No public deliverable has this number."))
    name = slugify(version.deliverable.title) or "deliverable"
    return file_download(version.file, name=name, kind=version.kind)


@require_GET
@cache_anonymous_page
def beneficiaries(request: HttpRequest) -> HttpResponse:
    filterset = BeneficiaryFilter(request.GET, queryset=ConsortiumMember.objects.none())
    context = _filter_form_context(
        request, filterset, BENEFICIARIES_PER_PAGE, selectors.beneficiary_page
    )
    for member in context["page_obj"].object_list:
        _with_duration(member)
    context["csv_url"] = reverse("api-public-beneficiaries") + "?" + _csv_query(request)
    return render(request, "public/beneficiaries.html", context)


def _csv_query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    query["format"] = "csv"
    return query.urlencode()


@require_GET
@cache_anonymous_page
def figures(request: HttpRequest) -> HttpResponse:
    stats = _stats()
    by_country = cached("by-country", selectors.funding_by_country)
    by_voucher = cached("by-voucher", selectors.funding_by_voucher_type)
    by_region = cached("by-region", selectors.funding_by_region)
    for row in by_country:
        row["name"] = country_name(row["country"])
    for row in by_voucher:
        row["name"] = row["voucher"] or _("Not recorded (imported)")
    per_call = [(call, stats.per_call[call.slug]) for call in stats.calls]
    facets = cached("by-facets", selectors.funding_by_facets)
    return render(
        request,
        "public/figures.html",
        {
            "stats": stats.overall,
            "events": selectors.cached_event_figures(),
            "per_call": per_call,
            # A success rate means something once the committee decided; before, it reads 0 %.
            "decided_states": [CallState.DECIDED, CallState.RESULTS_PUBLISHED, CallState.ARCHIVED],
            "by_country": by_country,
            "by_voucher": by_voucher,
            "by_region": by_region,
            "country_chart": _money_chart(_("Amount awarded by country"), by_country),
            "voucher_chart": _money_chart(_("Amount awarded by voucher type"), by_voucher),
            "by_stage": facets["stages"],
            "by_sector": facets["sectors"],
            "by_material": facets["raw_materials"],
            "stage_chart": _money_chart(
                _("Amount awarded by value-chain stage"), facets["stages"]["rows"]
            ),
            "sector_chart": _money_chart(_("Amount awarded by sector"), facets["sectors"]["rows"]),
            "material_chart": _money_chart(
                _("Amount awarded by critical raw material"), facets["raw_materials"]["rows"]
            ),
            "calls_chart": bar_chart(
                _("Projects funded per call"),
                [(call.title, f.projects_funded, str(f.projects_funded)) for call, f in per_call],
            ),
            **views_impact.overview_context(),
        },
    )


def _money_chart(title: str, rows: list[dict]):
    """A chart of amounts: rows with a "name" and a "total" in euros, labelled as money."""
    return bar_chart(
        title, [(row["name"], row["total"], format_money(row["total"])) for row in rows]
    )


@require_GET
def decisions(request: HttpRequest) -> HttpResponse:
    """Each adopted committee decision with its hash and ledger entry: no personal data."""
    return render(
        request, "public/decisions.html", {"decisions": decision_selectors.public_decisions()}
    )


@require_GET
def decision_document(request: HttpRequest, slug: str) -> HttpResponse:
    """The canonical decision document (the exact bytes that were hashed), once the call's
    results are published."""
    content = decision_selectors.public_decision_document(slug)
    if content is None:
        raise Http404
    response = HttpResponse(content, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{slug}-decision.json"'
    return response


@require_GET
def open_data(request: HttpRequest) -> HttpResponse:
    endpoints = [
        (reverse("api-public-stats"), _("Figures overall and per call (JSON)."), False),
        (reverse("api-public-calls"), _("Calls with their figures."), True),
        (reverse("api-public-projects"), _("Funded projects with their beneficiaries."), True),
        (reverse("api-public-beneficiaries"), _("Beneficiaries: one row per award."), True),
        (
            reverse("api-public-impact"),
            _("Impact reported by the funded SMEs: per call, country and value-chain stage."),
            False,
        ),
        (
            reverse("api-public-event-figures"),
            _("Events held, participants, meetings held and consortia formed."),
            True,
        ),
    ]
    return render(request, "public/open_data.html", {"endpoints": endpoints})


# (purpose, legal basis) under GDPR art. 6(1); what the notice states the platform does.
PROCESSING_PURPOSES = [
    (
        _lazy("Registration and the SME declaration: your account, your organisation and its size"),
        _lazy("Steps at your request before a grant agreement (art. 6(1)(b))"),
    ),
    (
        _lazy("Matchmaking: your organisation's profile and the interest you show in partners"),
        _lazy("Your consent, which you may withdraw by hiding your profile (art. 6(1)(a))"),
    ),
    (
        _lazy("Applications to open calls, with the consortium's members and documents"),
        _lazy("Steps at your request before a grant agreement (art. 6(1)(b))"),
    ),
    (
        _lazy("Evaluation by independent experts, and the experts' own scores and comments"),
        _lazy("Task in the public interest of running the open call (art. 6(1)(e))"),
    ),
    (
        _lazy("Decisions of the Transparency Committee, recorded in the audit ledger"),
        _lazy("Legal obligation to account for the funds (art. 6(1)(c))"),
    ),
    (
        _lazy("Voucher agreements, deliverables and payments"),
        _lazy(
            "Performance of the voucher agreement (art. 6(1)(b)) and legal obligation (art. 6(1)(c))"
        ),
    ),
    (
        _lazy(
            "Publication of the beneficiaries: organisations, countries and amounts, never people"
        ),
        _lazy("Legal obligation to publish who receives funding (art. 6(1)(c))"),
    ),
    (
        _lazy("E-mails about your account, applications, evaluations and payments"),
        _lazy("Performance of the steps above (art. 6(1)(b))"),
    ),
]


@require_GET
def privacy_notice(request: HttpRequest) -> HttpResponse:
    controller = {
        "name": settings.PRIVACY_CONTROLLER_NAME,
        "address": settings.PRIVACY_CONTROLLER_ADDRESS,
        "contact_email": settings.PRIVACY_CONTACT_EMAIL,
        "dpo_email": settings.PRIVACY_DPO_EMAIL,
    }
    context = {
        "controller": controller,
        "purposes": PROCESSING_PURPOSES,
        "retention_rules": personal_data.retention_rules(),
    }
    return render(request, "public/privacy.html", context)
