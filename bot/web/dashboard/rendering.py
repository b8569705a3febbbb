"""What every dashboard page shares, apart from the routes (pages.py) so that page modules
(pulse, recognition, ...) can use it while pages.py registers them:

    viewer_required       a page only for a person signed in and allowed (`g.viewer`)
    render                a template with the viewer, the language and `t`
    message_page          a page that says one thing (a refusal, "signed out", ...)
    viewer_locale         the language a viewer reads the dashboard in
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import g, redirect, render_template, request, session, url_for

from bot.domain.dashboard_access import DashboardViewer, dashboard_viewer
from bot.domain.errors import DomainError
from bot.i18n import resolve_locale, translator
from bot.web.dashboard import signin
from bot.web.unit_of_work import request_session


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
            return message_page(
                "dashboard.refused.title", refusal.key, status=403, locale=signed_in_locale()
            )
        return page(*args, **kwargs)

    return guarded


def render(template: str, locale: str, title: str, **context: Any) -> str:
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


def message_page(
    title_key: str,
    text_key: str,
    *,
    status: int = 200,
    locale: str | None = None,
    sign_in: bool = False,
) -> tuple[str, int]:
    locale = locale or signed_in_locale()
    t = translator(locale)
    body = render(
        "dashboard_message.html", locale, t(title_key), message=t(text_key), sign_in=sign_in
    )
    return body, status


def viewer_locale(viewer: DashboardViewer) -> str:
    return resolve_locale(viewer.locale, signed_in_locale())


def signed_in_locale() -> str:
    viewer = session.get(signin.VIEWER) or {}
    return resolve_locale(viewer.get("locale") if isinstance(viewer, dict) else None)
