from django import template

from vouchers import selectors

register = template.Library()


@register.simple_tag
def pay_form(forms: dict, split_id: int):
    """The payment form of one beneficiary split (a dict lookup templates cannot do)."""
    return forms.get(split_id)


@register.simple_tag
def my_vouchers(user) -> list:
    """The user's vouchers for the dashboard panel (one query)."""
    return list(selectors.vouchers_for_user(user)[:10])
