from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from .adapters import SSO_END_SESSION_KEY


@require_GET
def signed_out(request):
    """After signing out of Actitud, the page that sends the browser on to the company's
    IdP to end its session there too (RP-initiated logout): a meta refresh and a link,
    since the site's CSP lets no form or script leave for another origin."""
    end_session = request.session.pop(SSO_END_SESSION_KEY, None)
    if not end_session:
        return redirect("account_login")
    return render(request, "people/sso/signed_out.html", {"end_session_url": end_session})
