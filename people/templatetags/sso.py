from django import template

from allauth.socialaccount.adapter import get_adapter

from ..adapters import sso_button_label

register = template.Library()

SSO_PROVIDERS = ("openid_connect", "saml")


@register.simple_tag(takes_context=True)
def sso_buttons(context):
    """The «Sign in with …» buttons of the configured OIDC and SAML apps: label and address."""
    request = context["request"]
    buttons = []
    for provider in get_adapter().list_providers(request):
        if provider.id in SSO_PROVIDERS:
            buttons.append(
                {"label": sso_button_label(provider), "url": provider.get_login_url(request)}
            )
    return buttons


@register.simple_tag(takes_context=True)
def sso_button(context, provider_id):
    """The «Sign in with …» button of one configured IdP (label and address), or None."""
    request = context["request"]
    for button_provider in get_adapter().list_providers(request):
        if button_provider.id in SSO_PROVIDERS and button_provider.sub_id == provider_id:
            return {
                "label": sso_button_label(button_provider),
                "url": button_provider.get_login_url(request),
            }
    return None
