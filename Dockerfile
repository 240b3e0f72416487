# copydesk API: gunicorn serving service:create_app(), as a non-root user.
# It needs a LanguageTool server at COPYDESK_LANGUAGETOOL_URL (docker-compose.yml runs one
# from Dockerfile.languagetool); this image has no Java and does not start its own.
#
# PYTHON_IMAGE is the base: the public image by default, or a stand-in built from Debian's
# packages by scripts/build-base-images on machines without an image registry.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# The locked dependencies, in a virtualenv the runtime stage copies whole. They come from the
# wheels in .cache/wheelhouse when `make wheelhouse` put them there (no PyPI needed inside the
# build), or from PyPI when it did not: the glob lets that folder be missing.
FROM ${PYTHON_IMAGE} AS deps
WORKDIR /build
COPY scripts/install-python-deps scripts/
COPY requirements.lock .cache/wheelhouse* wheelhouse/
RUN python3.11 -m venv /opt/venv \
    && scripts/install-python-deps --wheelhouse wheelhouse /opt/venv/bin/python wheelhouse/requirements.lock

FROM ${PYTHON_IMAGE}
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    COPYDESK_BIND=0.0.0.0:8000 \
    COPYDESK_DATA_DIR=/var/lib/copydesk
WORKDIR /app
COPY --from=deps /opt/venv /opt/venv
COPY openapi.yaml ./
COPY service/ service/

# COPYDESK_DATA_DIR is written at start-up and /tmp while it runs (metrics files, large request
# bodies); everything else can be mounted read-only.
RUN useradd --system --uid 10001 --no-create-home --home-dir /app copydesk \
    && mkdir -p /var/lib/copydesk \
    && chown copydesk /var/lib/copydesk
USER 10001

EXPOSE 8000
# Asks where COPYDESK_BIND listens (one set at `docker run` moved the API, not this check).
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; host, _, port = os.environ['COPYDESK_BIND'].rpartition(':'); host = {'0.0.0.0': '127.0.0.1', '[::]': '[::1]'}.get(host, host); urllib.request.urlopen(f'http://{host}:{port}/readyz', timeout=4)"]
CMD ["gunicorn", "-c", "python:service.gunicorn_conf"]
