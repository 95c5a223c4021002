from vouchers.models.agreement import (
    BeneficiaryShare,
    Deliverable,
    DeliverableState,
    DeliverableVersion,
    Milestone,
    Voucher,
    VoucherState,
)
from vouchers.models.payments import (
    Instalment,
    InstalmentShare,
    InstalmentState,
    InstalmentTrigger,
    Payment,
    PaymentRequest,
    PaymentRequestState,
)
from vouchers.models.support import SupportService, SupportType

__all__ = [
    "BeneficiaryShare",
    "Deliverable",
    "DeliverableState",
    "DeliverableVersion",
    "Instalment",
    "InstalmentShare",
    "InstalmentState",
    "InstalmentTrigger",
    "Milestone",
    "Payment",
    "PaymentRequest",
    "PaymentRequestState",
    "SupportService",
    "SupportType",
    "Voucher",
    "VoucherState",
]
