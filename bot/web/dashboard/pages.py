"""The dashboard's routes. Every page is behind `viewer_required` (rendering.py): signed
in with Slack, and allowed by the database at this request (bot/domain/dashboard_access.py);
a person who is not is refused with a page that says why, never a bare error. Each page
module (pulse_page.py, recognition_page.py, ...) adds its own routes with
`register(blueprint)`, in the navigation's order.

Pages send no scripts (the charts are SVG drawn on the server), and headers that keep
them out of frames and caches.
"""

from __future__ import annotations

from flask import Blueprint, Response, redirect, request, url_for
from flask_wtf.csrf import generate_csrf, validate_csrf
from wtforms.validators import ValidationError

from bot.web.dashboard import (
    adoption_page,
    policies_page,
    pulse_page,
    recognition_page,
    signin,
    story_wall_page,
)
from bot.web.dashboard.rendering import message_page, signed_in_locale
from bot.web.dashboard.signin import SignInConfig

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
    for page in (pulse_page, adoption_page, recognition_page, story_wall_page, policies_page):
        page.register(blueprint)
    blueprint.add_url_rule("/logout", "logout", logout, methods=["POST"])
    return blueprint


def home() -> Response:
    return redirect(url_for("dashboard.pulse"))


def logout() -> Response | tuple[str, int]:
    try:
        validate_csrf(request.form.get("csrf_token", ""))
    except ValidationError:  # missing, expired, or not this session's
        return message_page("dashboard.refused.title", "dashboard.errors.csrf", status=400)
    locale = signed_in_locale()
    signin.sign_out()
    return message_page(
        "dashboard.signed_out.title", "dashboard.signed_out.text", locale=locale, sign_in=True
    )


def signin_failed(key: str) -> Response:
    body, status = message_page("dashboard.signin.failed_title", key, status=400, sign_in=True)
    return Response(body, status=status)


def _secured(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response
