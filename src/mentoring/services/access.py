"""The sign-in gate of a shared deployment: who may use the app, from the secrets' allow-list.

>>> access_decision(None, False, None)
'open'
>>> access_decision(("ana@example.org",), True, "Ana@Example.org")
'allowed'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    pass

__all__ = ["Access", "access_decision", "allowed_emails"]

Access = Literal["open", "sign_in", "denied", "allowed"]


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


def access_decision(allowed: Sequence[str] | None, logged_in: bool, email: str | None) -> Access:
    """Whether to show the app: ``open`` (no sign-in configured), ``sign_in``, ``denied`` or
    ``allowed``.

    Parameters
    ----------
    allowed : sequence of str or None
        From :func:`allowed_emails`.
    logged_in : bool
        ``st.user.is_logged_in``.
    email : str or None
        ``st.user.email``; compared without case.

    Returns
    -------
    {"open", "sign_in", "denied", "allowed"}

    Examples
    --------
    >>> access_decision(None, False, None)
    'open'
    >>> access_decision(("kim@ala.org",), False, None)
    'sign_in'
    >>> access_decision(("kim@ala.org",), True, "KIM@ala.org"), access_decision(
    ...     ("kim@ala.org",), True, "eve@evil.example")
    ('allowed', 'denied')
    """
    if allowed is None:
        return "open"
    if not logged_in:
        return "sign_in"
    if email and email.strip().lower() in set(allowed):
        return "allowed"
    return "denied"
