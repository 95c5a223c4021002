"""The vouchers tests' fixtures (media folder per test, staff with their second factor)."""

from tests.vouchers.conftest import (  # noqa: F401 (fixtures pytest finds by name)
    _media_root,
    signed_in,
    staff,
    staff2,
    staff3,
    staff_client,
)
