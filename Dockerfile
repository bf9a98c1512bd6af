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
USER watcher
VOLUME ["/app/data"]
EXPOSE 8321
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8321/healthz', timeout=4).status == 200 else 1)"
CMD ["watcher", "run"]
