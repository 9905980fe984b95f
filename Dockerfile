# telco-emulator: docker build -t telco-emulator . && docker run -p 8080:8080 telco-emulator
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
COPY pyproject.toml README.md ./
COPY emulator ./emulator
COPY scenarios ./scenarios
RUN pip install --no-cache-dir . \
    && useradd --create-home --uid 10001 emulator \
    && mkdir -p /scenarios \
    && chown emulator /scenarios

# A relative EMULATOR_SCENARIO (or --scenario) is looked up here: mount your files here.
WORKDIR /scenarios
USER 10001

ENV EMULATOR_PORT=8080
EXPOSE 8080

# The base image has no curl or wget: its own Python asks for the health endpoint.
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/_emulator/health' % os.environ.get('EMULATOR_PORT', '8080'), timeout=2)"]

ENTRYPOINT ["telco-emulator", "serve", "--host", "0.0.0.0"]
