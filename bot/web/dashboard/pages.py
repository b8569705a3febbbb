"""The dashboard's routes. Every page is behind `viewer_required`: signed in with Slack,
and allowed by the database at this request (bot/domain/dashboard_access.py); a person
who is not is refused with a page that says why, never a bare error.

Pages send no scripts (the charts are SVG drawn on the server), and headers that keep
them out of frames and caches.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, Response, g, redirect, render_template, request, session, url_for
from flask_wtf.csrf import generate_csrf, validate_csrf
from wtforms.validators import ValidationError

from bot.db.types import utcnow
from bot.domain.dashboard_access import Audience, DashboardViewer, dashboard_viewer
from bot.domain.errors import DomainError
from bot.i18n import resolve_locale, translator
from bot.web.dashboard import signin
from bot.web.dashboard.pulse_page import groups_csv, pulse_page
from bot.web.dashboard.signin import SignInConfig
from bot.web.unit_of_work import request_session

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def dashboard_blueprint(config: SignInConfig) -> Blueprint:
    blueprint = Blueprint(
        "dashboard", __name__, url_prefix="/dashboard", template_folder="templates"
    )
    blueprint.after_request(_secured)
    blueprint.app_context_processor(lambda: {"csrf_token": generate_csrf})
    signin.register(blueprint, config, failed=signin_failed)
    blueprint.add_url_rule("/", "home", home)
    blueprint.add_url_rule("/pulse", "pulse", pulse)
    blueprint.add_url_rule("/pulse.csv", "pulse_csv", pulse_csv)
    blueprint.add_url_rule("/logout", "logout", logout, methods=["POST"])
    return blueprint


def viewer_required(page: Callable[..., Any]) -> Callable[..., Any]:
    """The page for a person signed in and allowed to read the dashboard (`g.viewer`)."""

    @wraps(page)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        who = signin.signed_in()
        if who is None:
            return redirect(url_for("dashboard.login", next=request.full_path.rstrip("?")))
        try:
            g.viewer = dashboard_viewer(request_session(), *who)
        except DomainError as refusal:
            return _message(
                "dashboard.refused.title", refusal.key, status=403, locale=_signed_in_locale()
            )
        return page(*args, **kwargs)

    return guarded


def home() -> Response:
    return redirect(url_for("dashboard.pulse"))


@viewer_required
def pulse() -> str:
    viewer: DashboardViewer = g.viewer
    locale = _locale(viewer)
    page = pulse_page(request_session(), viewer, locale, utcnow())
    if viewer.audience is Audience.TEAM:
        title = translator(locale)("dashboard.pulse.team_title", team=viewer.team_name or "–")
    else:
        title = translator(locale)("dashboard.pulse.title")
    return _render("dashboard_pulse.html", locale, title, page=page)


@viewer_required
def pulse_csv() -> Response:
    viewer: DashboardViewer = g.viewer
    page = pulse_page(request_session(), viewer, _locale(viewer), utcnow())
    name = f"motbot-pulse-{page.period or 'none'}.csv"
    return Response(
        groups_csv(page),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def logout() -> Response | tuple[str, int]:
    try:
        validate_csrf(request.form.get("csrf_token", ""))
    except ValidationError:  # missing, expired, or not this session's
        return _message("dashboard.refused.title", "dashboard.errors.csrf", status=400)
    locale = _signed_in_locale()
    signin.sign_out()
    return _message(
        "dashboard.signed_out.title", "dashboard.signed_out.text", locale=locale, sign_in=True
    )


def signin_failed(key: str) -> Response:
    body, status = _message("dashboard.signin.failed_title", key, status=400, sign_in=True)
    return Response(body, status=status)


# --- rendering --------------------------------------------------------------------------


def _render(template: str, locale: str, title: str, **context: Any) -> str:
    viewer: DashboardViewer | None = g.get("viewer")
    return render_template(
        template,
        t=translator(locale),
        lang=locale,
        title=title,
        viewer=viewer,
        viewer_name=viewer.name if viewer else "",
        **context,
    )


def _message(
    title_key: str,
    text_key: str,
    *,
    status: int = 200,
    locale: str | None = None,
    sign_in: bool = False,
) -> tuple[str, int]:
    locale = locale or _signed_in_locale()
    t = translator(locale)
    body = _render(
        "dashboard_message.html", locale, t(title_key), message=t(text_key), sign_in=sign_in
    )
    return body, status


def _locale(viewer: DashboardViewer) -> str:
    return resolve_locale(viewer.locale, _signed_in_locale())


def _signed_in_locale() -> str:
    viewer = session.get(signin.VIEWER) or {}
    return resolve_locale(viewer.get("locale") if isinstance(viewer, dict) else None)


def _secured(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response
