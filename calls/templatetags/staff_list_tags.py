"""The rows of the staff applications list, written in Python.

Fifty rows drawn by the template engine cost the page about 8 ms of CPU (issue #15): a URL
reversed, a date and a sum formatted, two strings translated and a dozen variables looked up,
filtered and escaped per row. Here the link's pattern (`id_url`), the date and money formats
and the strings are looked up once a list, and each row is one `str.format` of its values
escaped as the template escapes them (`html.escape`, which Django's `escape` calls without its
lazy-string wrapper).
"""

from collections.abc import Sequence
from html import escape

from django import template
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from calls.models import Call
from calls.staff_list import StaffRow
from minegap.core.addresses import id_url
from minegap.core.formatting import moment_formatter, money_formatter

register = template.Library()

_ROW = (
    '<tr><td>{}</td><td><a href="{}{}{}">{}</a> <span class="muted">{}</span></td><td>{}</td>'
    '<td>{}</td><td class="num">{}</td><td><span class="badge">{}</span>{}</td><td>{}</td></tr>'
)


@register.simple_tag
def staff_application_rows(rows: Sequence[StaffRow], call: Call) -> SafeString:
    """The `<tr>` of each row: reference, project (linked), consortium, voucher type, requested
    sum, state (and whether it was edited since its last submission), submission time."""
    link = id_url("calls:apply-home")
    if call.is_open:
        edited = _("Edited since its last submission")
    else:
        edited = _(
            "Edited after its last submission: the edits were never submitted and do not count"
        )
    edited = format_html(' <span class="badge warn">{}</span>', edited)
    # As `{{ moment|date:"DATETIME_FORMAT" }}` shows it: in the current time zone.
    submitted = moment_formatter(get_format("DATETIME_FORMAT"))
    money = money_formatter()
    return mark_safe(  # noqa: S308 - every value is escaped, the link's parts are a reversed URL
        "\n".join(
            _ROW.format(
                escape(row.application.reference or "—"),
                link.before,
                row.application.pk,
                link.after,
                escape(row.acronym or str(row.application.pk)),
                escape(row.title),
                escape(row.member_names),
                escape(row.voucher_type or "—"),
                escape(money(row.requested_total)),
                escape(row.state_label),
                edited if row.application.has_unsubmitted_changes else "",
                escape(
                    submitted(row.application.submitted_at) if row.application.submitted_at else "—"
                ),
            )
            for row in rows
        )
    )
