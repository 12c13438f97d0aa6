from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from allauth.socialaccount.models import SocialApp

from .models import Role, Team, User
from .policy import can_administer_accounts, can_configure_identity_providers
from .sso import IdentityProvider, SignInEvent, SsoDomain
from .sso_config import saml_settings


class AccountAdminPermissionPolicy(BasePermissionPolicy):
    """Wagtail's user admin — its list, create, edit, delete and bulk actions (assign a group,
    deactivate) — is where privileges are granted, so only superusers may use it, whatever
    model permissions a group holds (people.policy.can_administer_accounts)."""

    def user_has_permission(self, user, action):
        return can_administer_accounts(user)

    def users_with_any_permission(self, actions):
        return User.objects.filter(is_active=True, is_superuser=True)


# Registered before Wagtail's user viewset asks the registry for the user model's policy.
register_permission_policy(User, AccountAdminPermissionPolicy(User), exact_class=True)


class TeamForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisors"].queryset = User.objects.with_role(Role.SUPERVISOR)


class TeamViewSet(SnippetViewSet):
    """HR manages teams in the Wagtail admin; people join them through the HR pages."""

    model = Team
    icon = "group"
    menu_label = _("Teams")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "created_at"]
    search_fields = ["name"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("supervisors", widget=forms.CheckboxSelectMultiple),
        ],
        base_form_class=TeamForm,
    )


register_snippet(TeamViewSet)


class AdminUserFieldsMixin:
    """Our user model has a full name and an employee number, not first and last names."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name"):
            self.fields.pop(name, None)


class AdminUserCreationForm(AdminUserFieldsMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = ["email", "full_name", "employee_number", "is_superuser", "groups"]


class AdminUserEditForm(AdminUserFieldsMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = ["email", "full_name", "employee_number", "is_active", "is_superuser", "groups"]


class UserViewSet(WagtailUserViewSet):
    template_prefix = "people/admin/users/"

    def get_form_class(self, for_update=False):
        return AdminUserEditForm if for_update else AdminUserCreationForm


class IdentityProviderViewSet(SnippetViewSet):
    """HR's rules per identity provider: people created on first sign-in, matching by
    employee number, the claims that carry name, employee number and team (people.sso)."""

    model = IdentityProvider
    icon = "key"
    menu_label = _("Single sign-on")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["provider_id", "label", "create_people"]


class SsoDomainViewSet(SnippetViewSet):
    """Email domains whose people must sign in through an identity provider."""

    model = SsoDomain
    icon = "mail"
    menu_label = _("Single sign-on domains")
    menu_order = 311
    add_to_admin_menu = True
    list_display = ["domain", "identity_provider"]


class SignInEventViewSet(SnippetViewSet):
    """The audit of single sign-on: every sign-in through an IdP and every refusal."""

    model = SignInEvent
    icon = "history"
    menu_label = _("Single sign-on audit")
    menu_order = 312
    add_to_admin_menu = True
    list_display = ["at", "provider_id", "outcome", "email", "person", "reason"]
    list_filter = ["outcome", "provider_id"]


class IdentityProviderAppPermissionPolicy(BasePermissionPolicy):
    """The IdPs' apps are the superusers' (people.policy.can_configure_identity_providers)."""

    def user_has_permission(self, user, action):
        return can_configure_identity_providers(user)

    def users_with_any_permission(self, actions):
        return User.objects.filter(is_active=True, is_superuser=True)


register_permission_policy(SocialApp, IdentityProviderAppPermissionPolicy(SocialApp))

SSO_APP_PROVIDERS = [("openid_connect", "OpenID Connect"), ("saml", "SAML 2.0")]


class IdentityProviderAppForm(WagtailAdminModelForm):
    """allauth's SocialApp, as its own admin form has it, for the two SSO providers: the id
    in the sign-in address is required (it names the app and HR's rules for it)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"] = forms.ChoiceField(label=_("protocol"), choices=SSO_APP_PROVIDERS)
        self.fields["provider_id"].required = True
        self.fields["provider_id"].help_text = _(
            "In the sign-in address (e.g. «entra»); HR's rules use the same id. For SAML, "
            "give the client id the same value."
        )
        self.fields["settings"].help_text = _(
            'JSON. OpenID Connect: {"server_url": "<issuer>"}. SAML: {"idp": {"entity_id": '
            '"…", "metadata_url": "…"}}; signed assertions are required, as for the apps '
            "of the environment (README)."
        )

    def clean(self):
        """A SAML app gets the environment's apps' defaults (people.sso_config.saml_settings)."""
        cleaned = super().clean()
        if cleaned.get("provider") == "saml" and isinstance(cleaned.get("settings"), dict):
            cleaned["settings"] = saml_settings(cleaned["settings"])
        return cleaned


class IdentityProviderAppViewSet(SnippetViewSet):
    """The identity providers' apps kept in the database instead of the environment
    (allauth's SocialApp records: SSO_OIDC_PROVIDERS / SSO_SAML_PROVIDERS have the same
    fields). Each one shows its «Sign in with …» button at once."""

    model = SocialApp
    icon = "link"
    menu_label = _("Single sign-on apps")
    menu_order = 313
    add_to_admin_menu = True
    list_display = ["name", "provider", "provider_id", "client_id"]
    edit_handler = ObjectList(
        [
            FieldPanel("provider"),
            FieldPanel("provider_id"),
            FieldPanel("name"),
            FieldPanel("client_id"),
            FieldPanel("secret"),
            FieldPanel("settings"),
        ],
        base_form_class=IdentityProviderAppForm,
    )


register_snippet(IdentityProviderViewSet)
register_snippet(SsoDomainViewSet)
register_snippet(SignInEventViewSet)
register_snippet(IdentityProviderAppViewSet)
