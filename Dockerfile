# AskDoc: docker build -t askdoc . && docker run -e TELEGRAM_BOT_TOKEN=... -v askdoc-data:/data askdoc
# scripts/docker-check builds this image and runs it against the emulator (README, "Docker").
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    ASKDOC_DB=/data/askdoc.db \
    ASKDOC_HEARTBEAT=/tmp/askdoc-heartbeat

# The runtime user, with a home of its own that it can write (onnxruntime and friends keep
# per-user files there), and the database volume's mount point.
RUN useradd --uid 10001 --create-home --home-dir /home/askdoc --shell /usr/sbin/nologin \
        askdoc \
    && mkdir /data && chown askdoc /data

WORKDIR /app
# The dependencies (and the build backend) in a layer that depends on pyproject.toml alone,
# so a code edit reuses it instead of downloading everything again.
COPY pyproject.toml ./
RUN python -c 'import tomllib; project = tomllib.load(open("pyproject.toml", "rb")); \
print("\n".join(project["project"]["dependencies"] + project["build-system"]["requires"]))' \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# AskDoc itself: only this layer and the ones after it are rebuilt when the code changes.
COPY README.md LICENSE ./
COPY bot ./bot
RUN pip install --no-deps --no-build-isolation . && rm -rf build askdoc.egg-info
COPY config.yaml ./
COPY answers ./answers

USER askdoc
VOLUME ["/data"]
# Webhook mode listens here (telegram.webhook.port); polling needs no port.
EXPOSE 8443
# `askdoc run` touches $ASKDOC_HEARTBEAT every 10 s while it serves; `askdoc health` fails once
# the file is a minute old. The start period covers embedding a large bank at the first start.
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s CMD ["askdoc", "health"]
CMD ["askdoc", "run", "--config", "/app/config.yaml"]
