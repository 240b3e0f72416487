# copydesk API: gunicorn serving service:create_app(), as a non-root user.
# It needs a LanguageTool server at COPYDESK_LANGUAGETOOL_URL (docker-compose.yml runs one
# from Dockerfile.languagetool); this image has no Java and does not start its own.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    COPYDESK_BIND=0.0.0.0:8000 \
    COPYDESK_DATA_DIR=/var/lib/copydesk

WORKDIR /app

# Dependencies first, from the same lock file and script that `make` and CI use.
COPY requirements.lock ./
COPY scripts/install-python-deps scripts/
RUN scripts/install-python-deps python requirements.lock

COPY openapi.yaml ./
COPY service/ service/

RUN useradd --system --uid 10001 --no-create-home --home-dir /app copydesk \
    && mkdir -p /var/lib/copydesk \
    && chown copydesk /var/lib/copydesk
USER 10001

EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=4)"]
CMD ["gunicorn", "-c", "python:service.gunicorn_conf"]
