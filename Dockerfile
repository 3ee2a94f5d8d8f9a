# pixelgan service image: the torch-free package with its face extra (dlib-bin, for
# /pixelate?crop=face) and the shipped generators.
#   docker build -t pixelgan . && docker run -p 8000:8000 pixelgan
# Works with BuildKit and with the classic builder (no heredocs, no RUN --mount).
FROM python:3.11-slim AS build
WORKDIR /src
COPY . .
RUN python -m venv /opt/pixelgan \
 && /opt/pixelgan/bin/pip install --no-cache-dir --disable-pip-version-check ".[face]" \
 && /opt/pixelgan/bin/pip uninstall -y -q pip setuptools \
 && find /opt/pixelgan -type d -name tests -prune -exec rm -rf {} +
# No image without its model: every installed generator file must load and render a face,
# and the default one must be there, or the build stops here (not the container at start).
RUN /opt/pixelgan/bin/python deploy/check_weights.py

FROM python:3.11-slim
COPY --from=build /opt/pixelgan /opt/pixelgan
RUN useradd --system --uid 10001 --no-create-home pixelgan
USER pixelgan
# MALLOC_ARENA_MAX=2: glibc gives each threadpool thread a malloc arena of its own; two
# arenas took one worker from 101 to 95 MB RSS after 10,000 requests (benchmarks/memory.py).
ENV PATH=/opt/pixelgan/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    MALLOC_ARENA_MAX=2 \
    PIXELGAN_HOST=0.0.0.0 \
    PIXELGAN_PORT=8000 \
    PIXELGAN_WORKERS=1
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import urllib.request, sys; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2); sys.exit(0)"]
CMD ["pixelgan", "serve"]
