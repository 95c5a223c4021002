"""Human messages (translated) for what an infeasible assignment is missing."""

from __future__ import annotations

from django.utils.translation import gettext, ngettext

from .problem import AssignmentResult, Bottleneck, Exclusion, Shortfall

#: Names listed in a message before "and N more".
MAX_LISTED = 10


def _exclusion_phrase(reason: Exclusion, count: int) -> str:
    if reason is Exclusion.EMPLOYER:
        return ngettext(
            "%(count)d works for a consortium member",
            "%(count)d work for a consortium member",
            count,
        ) % {"count": count}
    if reason is Exclusion.CONFLICT:
        return ngettext(
            "%(count)d declared a conflict of interest",
            "%(count)d declared a conflict of interest",
            count,
        ) % {"count": count}
    if reason is Exclusion.COUNTRY:
        return ngettext(
            "%(count)d shares the applicants' country",
            "%(count)d share the applicants' country",
            count,
        ) % {"count": count}
    return ngettext(
        "%(count)d has no load left",
        "%(count)d have no load left",
        count,
    ) % {"count": count}


def _names(labels: tuple[str, ...]) -> str:
    shown = ", ".join(labels[:MAX_LISTED])
    if len(labels) > MAX_LISTED:
        return gettext("%(names)s and %(count)d more") % {
            "names": shown,
            "count": len(labels) - MAX_LISTED,
        }
    return shown


def shortfall_message(shortfall: Shortfall) -> str:
    """E.g. "P-0007 needs 3 evaluators, only 2 eligible: 4 share the applicants' country, ..."."""
    head = ngettext(
        "%(label)s needs %(count)d evaluator",
        "%(label)s needs %(count)d evaluators",
        shortfall.reviewers,
    ) % {"label": shortfall.label, "count": shortfall.reviewers}
    if shortfall.manual:
        head += " " + ngettext(
            "(%(count)d assigned by hand)", "(%(count)d assigned by hand)", shortfall.manual
        ) % {"count": shortfall.manual}
    reasons = ", ".join(
        _exclusion_phrase(reason, count)
        for reason, count in sorted(
            shortfall.excluded.items(), key=lambda item: list(Exclusion).index(item[0])
        )
    )
    tail = ngettext(
        "only %(count)d more is eligible",
        "only %(count)d more are eligible",
        shortfall.eligible,
    ) % {"count": shortfall.eligible}
    if reasons:
        return f"{head}, {tail}: {reasons}."
    return f"{head}, {tail}."


def bottleneck_message(bottleneck: Bottleneck) -> str:
    return gettext(
        "%(proposals)s need %(demand)d more evaluators together, but the evaluators eligible "
        "for them (%(evaluators)s) can take only %(places)d of them (maximum loads, one place "
        "per proposal each)."
    ) % {
        "proposals": _names(bottleneck.proposal_labels),
        "demand": bottleneck.demand,
        "evaluators": _names(bottleneck.evaluator_labels) or gettext("none"),
        "places": bottleneck.places,
    }


def capacity_message(result: AssignmentResult) -> str:
    return gettext("The pool has %(capacity)d evaluator places left for %(demand)d needed.") % {
        "capacity": result.capacity,
        "demand": result.demand,
    }


def result_messages(result: AssignmentResult) -> list[str]:
    """What is missing, most specific first; empty when the assignment is feasible."""
    if result.feasible:
        return []
    messages = [shortfall_message(s) for s in result.shortfalls]
    messages += [bottleneck_message(b) for b in result.bottlenecks]
    messages.append(capacity_message(result))
    return messages
