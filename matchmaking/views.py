"""Pages of the partner directory (thin: read with selectors, write with services)."""

from dataclasses import astuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from matchmaking import directory, recommendations, search, selectors, services, tally
from matchmaking.filters import PartnerFilterSet
from matchmaking.forms import (
    ActingOrganisationForm,
    InterestForm,
    InviteContactForm,
    ItemFormSet,
    ProfileForm,
)
from matchmaking.models import ExpressionOfInterest, PartnerProfile

PAGE_SIZE = 20


def _errors(exc: ValidationError) -> list[str]:
    return exc.messages


def _acting(request: HttpRequest):
    """The organisation the person acts for: `org` (posted, or in the query string) if they
    belong to it, else their first; another organisation's id is refused (403, saying so)."""
    posted = request.method == "POST" and "org" in request.POST
    form = ActingOrganisationForm(
        request.POST if posted else request.GET,
        organisations=selectors.organisations_of(request.user),
    )
    if not form.is_valid():
        raise PermissionDenied(" ".join(form.errors["org"]))
    return form.acting()


def _facets_html(filters: directory.PartnerFilters) -> SafeString:
    """The filters' sidebar: every facet's values with their counts, rendered once per filters,
    language and version of the directory (its counts are the whole directory's, the same for
    everyone). At 100,000 profiles it holds several hundred checkboxes (a thousand NUTS regions
    on the landing page), which cost more to render than the rest of the page."""

    def render_facets() -> str:
        facets = [
            (name, directory.FACET_LABELS[name], values)
            for name, values in directory.facet_counts(filters).items()
        ]
        return render_to_string("matchmaking/_facets.html", {"facets": facets})

    key = f"facets-html:{get_language()}:{astuple(filters)!r}"
    return mark_safe(directory.directory_cache.cached(key, render_facets))  # noqa: S308 (our template's output)


def partner_directory(request: HttpRequest) -> HttpResponse:
    """Signed-in: search, facets, results. Anonymous: only counts and a prompt to sign up."""
    if not request.user.has_perm("matchmaking.view_directory"):
        # From the facet tally: counting 100,000 profiles twice cost ~65 ms a visit.
        total, countries = tally.published_and_countries()
        context = {"total": total, "countries": countries}
        return render(request, "matchmaking/directory_anonymous.html", context)
    filterset = PartnerFilterSet(request.GET, queryset=PartnerProfile.objects.none())
    if filterset.is_valid():
        filters = filterset.partner_filters()
    else:
        messages.error(request, " ".join(ValidationError(filterset.errors).messages))
        filters = directory.PartnerFilters()
    results = directory.search_profiles(
        filters,
        base=directory.listed_for(request.user),
        unfiltered_count=lambda: directory.listed_count(request.user),
    )
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filters": filters,
        "page": page,
        "facets_html": _facets_html(filters),
        "querystring": query.urlencode(),
        "sorts": directory.SORTS,
        # A search ranks at most this many matches (the newest): say so rather than let a
        # capped count pass for the whole truth.
        "search_capped": bool(filters.q)
        and search.uses_postgres_search()
        and page.paginator.count >= search.max_ranked_matches(),
        "max_ranked": search.max_ranked_matches(),
    }
    if request.htmx:
        return render(request, "matchmaking/_results.html", context)
    return render(request, "matchmaking/directory.html", context)


@login_required
def partners_for_you(request: HttpRequest) -> HttpResponse:
    organisation = _acting(request)
    profile = selectors.profile_of(organisation)
    items = recommendations.recommend(organisation) if organisation else []
    return render(
        request,
        "matchmaking/recommended.html",
        {"organisation": organisation, "profile": profile, "items": items},
    )


@login_required
def profile_detail(request: HttpRequest, pk: int) -> HttpResponse:
    profile = get_object_or_404(PartnerProfile.objects.select_related("organisation"), pk=pk)
    own = request.user.has_perm("matchmaking.act_for_organisation", profile.organisation)
    if not profile.is_published and not own:
        raise PermissionDenied(_("This profile is not published."))
    viewer = _acting(request)
    blocked = viewer is not None and selectors.is_blocked(
        blocker=viewer, blocked=profile.organisation
    )
    context = {
        "profile": profile,
        "own": own,
        "viewer": viewer,
        "blocked": blocked,
        "contact": selectors.revealed_contact(viewer=viewer, other=profile.organisation),
        "pending": selectors.pending_between(viewer, profile.organisation) if viewer else None,
        "form": InterestForm(),
    }
    return render(request, "matchmaking/profile_detail.html", context)


@login_required
@require_POST
def send_interest(request: HttpRequest, pk: int) -> HttpResponse:
    profile = get_object_or_404(PartnerProfile.objects.select_related("organisation"), pk=pk)
    sender = _acting(request)
    form = InterestForm(request.POST)
    if sender is None:
        messages.error(request, _("Register your organisation first."))
    elif form.is_valid():
        try:
            services.send_interest(
                sender=sender,
                receiver=profile.organisation,
                actor=request.user,
                message=form.cleaned_data["message"],
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Your expression of interest was sent."))
    else:
        messages.error(request, _("Write a short message (at most 1,000 characters)."))
    return redirect("matchmaking:profile", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def edit_profile(request: HttpRequest) -> HttpResponse:
    organisation = _acting(request)
    if organisation is None:
        messages.info(request, _("Register your organisation first."))
        return redirect("dashboard")
    if not request.user.has_perm("matchmaking.change_profile", organisation):
        raise PermissionDenied(_("Only an administrator of the organisation can edit its profile."))
    profile = selectors.profile_of(organisation)
    if request.method == "POST":
        form = ProfileForm(request.POST, organisation=organisation)
        offers = ItemFormSet(request.POST, prefix="offers")
        requests_ = ItemFormSet(request.POST, prefix="requests")
        if form.is_valid() and offers.is_valid() and requests_.is_valid():
            try:
                profile = services.save_profile(
                    organisation=organisation,
                    actor=request.user,
                    offers=[f.cleaned_data for f in offers.forms if f.cleaned_data],
                    requests=[f.cleaned_data for f in requests_.forms if f.cleaned_data],
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Profile saved."))
                return redirect("matchmaking:my-profile")
    else:
        form = ProfileForm(initial=ProfileForm.initial_from(profile), organisation=organisation)
        offers = ItemFormSet(initial=profile.offers if profile else [], prefix="offers")
        requests_ = ItemFormSet(initial=profile.requests if profile else [], prefix="requests")
    context = {
        "organisation": organisation,
        "profile": profile,
        "form": form,
        "offers": offers,
        "requests": requests_,
    }
    return render(request, "matchmaking/profile_form.html", context)


@login_required
@require_POST
def change_publication(request: HttpRequest, action: str) -> HttpResponse:
    organisation = _acting(request)
    profile = selectors.profile_of(organisation)
    if profile is None:
        messages.error(request, _("Save your profile first."))
        return redirect("matchmaking:my-profile")
    service = services.publish_profile if action == "publish" else services.unpublish_profile
    try:
        service(profile=profile, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Your profile is in the directory.")
            if action == "publish"
            else _("Your profile is no longer listed."),
        )
    return redirect("matchmaking:my-profile")


@login_required
def interest_list(request: HttpRequest) -> HttpResponse:
    organisation = _acting(request)
    if organisation is None:
        messages.info(request, _("Register your organisation first."))
        return redirect("dashboard")
    page = Paginator(selectors.interests_for(organisation), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    items = list(page.object_list)
    accepted_others = [
        i.receiver_id if i.sender_id == organisation.pk else i.sender_id
        for i in items
        if i.status == ExpressionOfInterest.Status.ACCEPTED
    ]
    contacts = selectors.contact_people(accepted_others) if accepted_others else {}
    rows = []
    for interest in items:
        incoming = interest.receiver_id == organisation.pk
        other = interest.sender if incoming else interest.receiver
        contact = (
            contacts.get(other.pk)
            if interest.status == ExpressionOfInterest.Status.ACCEPTED
            else None
        )
        rows.append(
            {"interest": interest, "incoming": incoming, "other": other, "contact": contact}
        )
    context = {
        "organisation": organisation,
        "page": page,
        "rows": rows,
        "blocks": selectors.blocks_made(organisation),
        "applications": selectors.draft_applications_led_by(organisation, request.user)
        if accepted_others
        else [],
    }
    return render(request, "matchmaking/interests.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def answer_interest(request: HttpRequest, pk: int, answer: str) -> HttpResponse:
    """GET asks for confirmation (accepting shares contact details); POST answers."""
    interest = get_object_or_404(
        ExpressionOfInterest.objects.select_related("sender", "receiver"), pk=pk
    )
    if not request.user.has_perm("matchmaking.answer_interest", interest):
        raise PermissionDenied(_("Only the receiving organisation can answer."))
    if request.method == "GET":
        return render(
            request, "matchmaking/confirm_answer.html", {"interest": interest, "answer": answer}
        )
    service = services.accept_interest if answer == "accept" else services.decline_interest
    try:
        service(interest=interest, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Accepted: you can now see each other's contact details.")
            if answer == "accept"
            else _("Declined."),
        )
    return redirect(reverse("matchmaking:interests"))


@login_required
@require_POST
def withdraw_interest(request: HttpRequest, pk: int) -> HttpResponse:
    interest = get_object_or_404(ExpressionOfInterest.objects.select_related("sender"), pk=pk)
    if not request.user.has_perm("matchmaking.act_for_organisation", interest.sender):
        raise PermissionDenied(_("Only the sending organisation can withdraw it."))
    try:
        services.withdraw_interest(interest=interest, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your expression of interest is withdrawn."))
    return redirect(reverse("matchmaking:interests"))


@login_required
@require_http_methods(["GET", "POST"])
def block(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Block (after a confirmation page) or unblock the organisation of profile `pk`."""
    profile = get_object_or_404(PartnerProfile.objects.select_related("organisation"), pk=pk)
    organisation = _acting(request)
    if organisation is None:
        raise PermissionDenied(_("Register your organisation first."))
    if request.method == "GET":
        return render(
            request, "matchmaking/confirm_block.html", {"profile": profile, "action": action}
        )
    service = services.block_organisation if action == "block" else services.unblock_organisation
    try:
        service(blocker=organisation, blocked=profile.organisation, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(org)s is blocked.") % {"org": profile.organisation.legal_name}
            if action == "block"
            else _("%(org)s is unblocked.") % {"org": profile.organisation.legal_name},
        )
    return redirect("matchmaking:interests")


@login_required
@require_POST
def invite_contact(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite the other side of accepted contact `pk` into one of our draft applications."""
    interest = get_object_or_404(
        ExpressionOfInterest.objects.select_related("sender", "receiver"), pk=pk
    )
    organisation = _acting(request)
    form = InviteContactForm(request.POST, organisation=organisation)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["application"]))
        return redirect("matchmaking:interests")
    application = form.cleaned_data["application"]
    try:
        member = services.invite_contact(
            interest=interest, application=application, actor=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(org)s is invited into %(application)s.")
            % {"org": member.organisation.legal_name, "application": application.display_name},
        )
    return redirect("matchmaking:interests")
