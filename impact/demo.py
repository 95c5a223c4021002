"""Demo impact data (idempotent): `python manage.py seed_demo` calls `seed` after the vouchers.

MINE.THE.GAP call 1 asks six presets; every beneficiary that signed its voucher reports its
baseline, and those whose project ended report the final figures, all through the services as
the organisation's administrator. One signed beneficiary of a running project has not reported
yet, so the baseline reads "n = 6 of 7". The values are made up, the same on every run.
"""

import hashlib
from decimal import Decimal

from accounts.models import User
from accounts.selectors import organisation_admins
from calls.models import Call
from impact import selectors, services
from impact.models import ImpactReport, Indicator, ReportingStage

STAFF_EMAIL = "staff@minegap.eu"
CALL_SLUG = "mine-the-gap-open-call-1"
PRESETS = ["turnover", "employees", "new_products", "mine_pilots", "investment", "co2_saved"]


def _seed_number(text: str) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)


def demo_value(indicator: Indicator, organisation_name: str, stage: str) -> Decimal:
    """A plausible figure for a small mining-technology SME, growing from baseline to final."""
    n = _seed_number(f"{indicator.preset}:{organisation_name}")
    growth = Decimal(110 + n % 40) / 100 if stage == ReportingStage.FINAL else Decimal(1)
    base = {
        "turnover": Decimal(250_000 + (n % 40) * 45_000),
        "employees": Decimal(4 + n % 30),
        "new_products": Decimal(1 + n % 3),
        "mine_pilots": Decimal(1 + n % 2),
        "investment": Decimal((n % 6) * 50_000),
        "co2_saved": Decimal(20 + n % 300),
    }[indicator.preset]
    if indicator.preset in ("new_products", "mine_pilots", "investment", "co2_saved"):
        return base
    return (base * growth).quantize(Decimal("1") if indicator.kind == "number" else Decimal("0.01"))


def seed(stdout) -> None:
    staff = User.objects.filter(email=STAFF_EMAIL).first()
    call = Call.objects.filter(slug=CALL_SLUG).first()
    if staff is None or call is None:
        stdout.write("impact: call 1 or the demo staff are missing, skipped.")
        return
    services.add_presets(call=call, actor=staff, keys=PRESETS)
    shares = list(selectors.call_shares(call))
    reported = 0
    running = [s for s in shares if selectors.window_of(s, ReportingStage.FINAL).opens is None]
    late = running[-1] if len(shares) > 1 and running else None  # has not reported yet
    for share in [s for s in shares if s != late]:
        admin = organisation_admins([share.organisation]).order_by("pk").first()
        if admin is None:
            continue
        for stage in (ReportingStage.BASELINE, ReportingStage.FINAL):
            done = ImpactReport.objects.filter(share=share, stage=stage).exists()
            if done or selectors.window_of(share, stage).opens is None:
                continue  # reported on an earlier run, or not asked yet (the project runs)
            indicators = selectors.indicators_of(call, stage)
            name = share.organisation.legal_name
            services.submit_report(
                share=share,
                stage=stage,
                actor=admin,
                values={i.pk: demo_value(i, name, stage) for i in indicators},
            )
            reported += 1
    stdout.write(f"impact: {reported} demo impact reports for {call.title}.")
