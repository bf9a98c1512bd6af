# capex-watcher: a small image that runs the daemon on the embedded defaults (SQLite in /app/data).
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY watcher ./watcher
RUN python -m venv /opt/venv && /opt/venv/bin/pip install --no-cache-dir .

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 watcher
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY config ./config
COPY rules ./rules
RUN mkdir -p /app/data && chown watcher:watcher /app/data
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1
# Listen on every interface of the container (http.host defaults to 127.0.0.1), so that a
# published port reaches it: the web view (read without credentials) and /metrics are then
# reachable from the container network and wherever the port is published.
ENV WATCHER_HTTP__HOST=0.0.0.0
USER watcher
VOLUME ["/app/data"]
EXPOSE 8321
# The health port follows WATCHER_HTTP__PORT; with the endpoints turned off (0) there is
# nothing to ask, and the container counts as healthy while the process runs.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD python -c "import os, sys, urllib.request; port = os.environ.get('WATCHER_HTTP__PORT', '8321'); sys.exit(0 if port == '0' or urllib.request.urlopen(f'http://127.0.0.1:{port}/healthz', timeout=4).status == 200 else 1)"
CMD ["watcher", "run"]
