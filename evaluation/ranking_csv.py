"""The whole ranking of a call as CSV (formula-injection safe, `minegap.core.csv`)."""

from collections.abc import Iterator

from django.utils.translation import gettext as _

from evaluation.ranking_pages import RankingLine, StoredRanking
from evaluation.ranking_rules import describe_decided_by
from minegap.core.csv import csv_lines


def ranking_csv_lines(ranking: StoredRanking) -> Iterator[str]:
    """A header, then every ranked application in rank order: the page's columns, plus the
    requested sum and the budget used up to it, with plain numbers (dot decimals)."""
    criteria = ranking.summary.criteria
    labels = {c.code: c.label or c.code for c in criteria}
    total = _("total")

    def row(line: RankingLine) -> list:
        return [
            line.position,
            "" if line.rank is None else line.rank,
            line.reference,
            line.proposed_outcome,
            *("" if score is None else f"{score:.2f}" for score in line.scores),
            f"{line.total:.2f}",
            f"{line.weighted_total:.4f}",
            "yes" if line.passed else "no",
            describe_decided_by(line.decided_by, criteria) if line.details else "",
            "; ".join(
                f"{labels[failed.criterion] if failed.criterion else total} "
                f"{failed.score:.2f} < {failed.threshold:.2f}"
                for failed in line.failed_thresholds
            ),
            f"{line.requested:.2f}",
            "" if line.cumulative_requested is None else f"{line.cumulative_requested:.2f}",
        ]

    yield from csv_lines(
        [
            _("Position"),
            _("Rank"),
            _("Application"),
            _("Proposed outcome"),
            *(c.label for c in criteria),
            _("Total"),
            _("Weighted total"),
            _("Passed"),
            _("Why here"),
            _("Failed thresholds"),
            _("Requested (EUR)"),
            _("Budget used (EUR)"),
        ],
        map(row, ranking),
    )
