"""GET /healthz (the process answers), /readyz (it can reach its database) and /metrics
(Prometheus)."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Response, jsonify, request
from sqlalchemy import Engine, text

from bot import metrics

log = logging.getLogger(__name__)

METRICS_PATH = "/metrics"


def health_blueprint(engine: Engine) -> Blueprint:
    health = Blueprint("health", __name__)

    @health.get("/healthz")
    def healthz() -> Any:
        return jsonify(ok=True)

    @health.get("/readyz")
    def readyz() -> Any:
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception as error:  # any failure means "not ready", and says why
            log.warning("readiness check failed: %s", error)
            return jsonify(ok=False, error="database_unavailable"), 503
        return jsonify(ok=True)

    @health.get(METRICS_PATH)
    def prometheus_metrics() -> Any:
        body, content_type = metrics.exposition(request.headers.get("Accept"))
        return Response(body, content_type=content_type)

    return health
