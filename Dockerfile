# syntax=docker/dockerfile:1
# Production image: gunicorn serving the site, or a classifier worker (same
# image, another command). Redis is a separate service (REDIS_URL).

# --- build: wheels of the project and its dependencies, with compilers at hand
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY captcha ./captcha
COPY classifiers ./classifiers
COPY moderation ./moderation
# The catalogs are compiled here so the wheel carries the .mo files.
RUN pip install babel && pybabel compile --domain messages --directory moderation/translations \
    && pip wheel --wheel-dir /wheels .

# --- run: only the installed wheels, a user without privileges
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    INSTANCE_PATH=/var/lib/moderation \
    PROMETHEUS_MULTIPROC_DIR=/tmp/metrics
COPY --from=build /wheels /wheels
RUN pip install --no-index --find-links=/wheels moderation && rm -rf /wheels \
    && useradd --system --home /var/lib/moderation --create-home moderation
USER moderation
WORKDIR /var/lib/moderation
EXPOSE 8000
# Asks /healthz on the port gunicorn listens on (PORT or BIND), not a fixed one.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-m", "moderation.healthcheck"]
# The metrics folder is emptied at each start: prometheus-client sums its files.
CMD ["sh", "-c", "rm -rf \"$PROMETHEUS_MULTIPROC_DIR\" && mkdir -p \"$PROMETHEUS_MULTIPROC_DIR\" && exec gunicorn -c python:moderation.gunicorn_conf 'moderation:create_app()'"]
