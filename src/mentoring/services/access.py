"""The sign-in gate of a shared deployment: who may use the app, from the secrets' allow-list.

An address on the list lets its owner in only when the sign-in provider says it verified that
the person owns it (the ``email_verified`` claim): otherwise anyone could register the address
of a coordinator with a provider that does not check, and sign in as them.

>>> access_decision(None, False, None)
'open'
>>> access_decision(("ana@example.org",), True, "Ana@Example.org", True)
'allowed'
>>> access_decision(("ana@example.org",), True, "ana@example.org", False)
'unverified'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    pass

__all__ = [
    "UNVERIFIED_SENTENCE",
    "Access",
    "access_decision",
    "allowed_emails",
    "requires_verified_email",
]

Access = Literal["open", "sign_in", "denied", "unverified", "allowed"]

UNVERIFIED_SENTENCE = (
    "Your sign-in provider has not confirmed that this email address belongs to you, so the "
    "app cannot let it in, even though the address is on the list of coordinators. Confirm the "
    "address with your provider (look for its verification email), then sign out and in again."
)
"""What the app says to a coordinator whose address the provider has not verified."""


def allowed_emails(secrets: Mapping[str, Any]) -> tuple[str, ...] | None:
    """The coordinator allow-list from the app's secrets, or ``None`` when sign-in is off.

    Sign-in is on only when ``secrets`` has an ``[auth]`` section (Streamlit's OIDC settings)
    and ``[mentoring] allowed_emails``; with no secrets at all the app is open, for local use.

    Parameters
    ----------
    secrets : mapping
        ``st.secrets`` or a plain dict read from ``secrets.toml``.

    Returns
    -------
    tuple of str or None
        Lower-cased, stripped, sorted addresses.

    Raises
    ------
    ValueError
        When only one of the two sections is present, or the list is not a list of addresses:
        a half-configured gate must not silently leave the app open.

    Examples
    --------
    >>> allowed_emails({}) is None
    True
    >>> allowed_emails({"auth": {"redirect_uri": "x"},
    ...                 "mentoring": {"allowed_emails": [" Kim@ALA.org "]}})
    ('kim@ala.org',)
    """
    section = secrets.get("mentoring") or {}
    listed = section.get("allowed_emails") if isinstance(section, Mapping) else None
    has_auth = bool(secrets.get("auth"))
    if listed is None and not has_auth:
        return None
    if listed is None:
        raise ValueError(
            "secrets.toml has an [auth] section but no [mentoring] allowed_emails list; add "
            'allowed_emails = ["coordinator@example.org"] so that only coordinators get in.'
        )
    if not has_auth:
        raise ValueError(
            "secrets.toml lists [mentoring] allowed_emails but has no [auth] section; add the "
            "OIDC settings described in docs/deployment.md, or remove the list for local use."
        )
    if isinstance(listed, str) or not all(isinstance(e, str) and "@" in e for e in listed):
        raise ValueError(
            f"expected [mentoring] allowed_emails as a list of email addresses, got {listed!r}"
        )
    return tuple(sorted({e.strip().lower() for e in listed}))


def requires_verified_email(secrets: Mapping[str, Any]) -> bool:
    """Whether the gate requires the provider's ``email_verified`` claim (the default).

    ``[mentoring] require_verified_email = false`` turns it off, for providers that never send
    the claim and only hold addresses they manage themselves (a company directory).

    Parameters
    ----------
    secrets : mapping
        ``st.secrets`` or a plain dict read from ``secrets.toml``.

    Returns
    -------
    bool

    Raises
    ------
    ValueError
        When the setting is there but not ``true`` or ``false``.

    Examples
    --------
    >>> requires_verified_email({})
    True
    >>> requires_verified_email({"mentoring": {"require_verified_email": False}})
    False
    """
    section = secrets.get("mentoring") or {}
    value = section.get("require_verified_email", True) if isinstance(section, Mapping) else True
    if not isinstance(value, bool):
        raise ValueError(
            f"expected [mentoring] require_verified_email as true or false, got {value!r}"
        )
    return value


def _verified(claim: Any) -> bool:
    # Most providers send a JSON boolean; some (AWS Cognito) send the text "true".
    return claim is True or (isinstance(claim, str) and claim.strip().lower() == "true")


def access_decision(
    allowed: Sequence[str] | None,
    logged_in: bool,
    email: str | None,
    email_verified: Any = None,
    *,
    require_verified: bool = True,
) -> Access:
    """Whether to show the app: ``open`` (no sign-in configured), ``sign_in``, ``denied``,
    ``unverified`` (on the list, but the provider has not verified the address) or ``allowed``.

    Parameters
    ----------
    allowed : sequence of str or None
        From :func:`allowed_emails`.
    logged_in : bool
        ``st.user.is_logged_in``.
    email : str or None
        ``st.user.email``; compared without case.
    email_verified : bool or str or None
        ``st.user.email_verified``, the provider's claim that the person owns ``email``;
        ``True`` or ``"true"`` count as verified, anything else (missing included) does not.
    require_verified : bool
        From :func:`requires_verified_email`; ``False`` skips the claim.

    Returns
    -------
    {"open", "sign_in", "denied", "unverified", "allowed"}

    Examples
    --------
    >>> access_decision(None, False, None)
    'open'
    >>> access_decision(("kim@ala.org",), False, None)
    'sign_in'
    >>> access_decision(("kim@ala.org",), True, "KIM@ala.org", True), access_decision(
    ...     ("kim@ala.org",), True, "eve@evil.example", True)
    ('allowed', 'denied')
    >>> access_decision(("kim@ala.org",), True, "kim@ala.org", None)
    'unverified'
    >>> access_decision(("kim@ala.org",), True, "kim@ala.org", None, require_verified=False)
    'allowed'
    """
    if allowed is None:
        return "open"
    if not logged_in:
        return "sign_in"
    if not (email and email.strip().lower() in set(allowed)):
        return "denied"
    if require_verified and not _verified(email_verified):
        return "unverified"
    return "allowed"
