# Production image: gunicorn serving the app; Redis is external (REDIS_URL).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    INSTANCE_PATH=/var/lib/moderation

WORKDIR /app
COPY pyproject.toml README.md ./
COPY captcha ./captcha
COPY classifiers ./classifiers
COPY moderation ./moderation
RUN pip install . && useradd --system --home /var/lib/moderation --create-home moderation

USER moderation
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--workers", "2", "--no-control-socket", \
     "--access-logfile", "-", "moderation:create_app()"]
