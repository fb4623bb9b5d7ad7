# AskDoc: docker build -t askdoc . && docker run -e TELEGRAM_BOT_TOKEN=... -v askdoc-data:/data askdoc
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    ASKDOC_DB=/data/askdoc.db

WORKDIR /app
COPY pyproject.toml README.md LICENSE ./
COPY bot ./bot
RUN pip install . && useradd --system --uid 10001 --home-dir /app askdoc \
    && mkdir /data && chown askdoc /data
COPY config.yaml ./
COPY answers ./answers

USER askdoc
VOLUME ["/data"]
# Webhook mode listens here (telegram.webhook.port); polling needs no port.
EXPOSE 8443
CMD ["askdoc", "run", "--config", "/app/config.yaml"]
