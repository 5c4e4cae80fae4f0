# syntax=docker/dockerfile:1
# The machine-translation engine: Apertium APy with the pairs AshChat uses (eng⇄spa, spa⇄fra).
# Build context: this directory (nothing of the repository is copied in).

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends apertium-apy apertium-eng-spa apertium-fr-es curl \
 && rm -rf /var/lib/apt/lists/*
# APy keeps nothing worth persisting; an unprivileged user and a writable working directory suffice.
RUN useradd --system --create-home --home-dir /var/lib/apy apy
USER apy
WORKDIR /var/lib/apy
EXPOSE 2737
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:2737/listPairs"]
CMD ["apertium-apy", "-p", "2737", "/usr/share/apertium/modes"]
