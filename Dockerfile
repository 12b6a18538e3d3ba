# syntax=docker/dockerfile:1
#
# polibase-bi container image.
#
# Build stage: compiles the release binary. build.rs needs the pinned chart library in
# web/node_modules, so Node.js and npm come from Debian and `npm ci` runs in its own layer.
# Dependencies are compiled against stub sources first, so editing the dashboard's code
# rebuilds only the crate itself, not every dependency.
#
# Runtime stage: the binary alone on debian:bookworm-slim, as a non-root user. The binary is
# its own health probe (`polibase-bi healthcheck`), so the image needs no curl.
#
#   docker build -t polibase-bi .
#   docker run --rm -p 8050:8050 polibase-bi                       # demo database
#   docker run --rm -p 8050:8050 -e DATABASE_URL=postgresql://... polibase-bi

ARG RUST_IMAGE=rust:1-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

FROM ${RUST_IMAGE} AS build

# Debian's current versions are wanted here; the chart library itself is pinned by the lockfile.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /src

# 1. The chart library, pinned by web/package-lock.json (build.rs skips npm when it is present).
COPY web/package.json web/package-lock.json web/
RUN npm ci --no-audit --no-fund --prefix web

# 2. Every dependency, compiled against stub sources so this layer survives code changes.
COPY Cargo.toml Cargo.lock ./
RUN mkdir -p src \
    && echo 'fn main() {}' > src/main.rs \
    && touch src/lib.rs \
    && cargo build --release --locked \
    && rm -rf src target/release/polibase-bi target/release/deps/polibase_bi-* \
        target/release/deps/libpolibase_bi-* target/release/.fingerprint/polibase-bi-*

# 3. The dashboard itself. sqlx's compile-time checks, if any, use the committed .sqlx data.
ENV SQLX_OFFLINE=true
COPY . .
RUN touch src/main.rs src/lib.rs \
    && cargo build --release --locked \
    && install -D -m 0755 target/release/polibase-bi /out/polibase-bi


FROM ${RUNTIME_IMAGE} AS runtime

# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 polibase \
    && useradd --system --uid 10001 --gid polibase --home-dir /var/lib/polibase-bi \
        --shell /usr/sbin/nologin polibase \
    && install -d -o polibase -g polibase -m 0750 /var/lib/polibase-bi

COPY --from=build /out/polibase-bi /usr/local/bin/polibase-bi

# The working directory is writable: the demo database (BI_DEMO_PATH) is created here when
# DATABASE_URL is not set, and a mounted .env here is read at start.
WORKDIR /var/lib/polibase-bi
USER 10001:10001

ENV BIND_ADDRESS=0.0.0.0 \
    PORT=8050 \
    RUST_LOG=info \
    LOG_FORMAT=text

EXPOSE 8050
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["polibase-bi", "healthcheck"]

ENTRYPOINT ["polibase-bi"]
CMD ["serve"]
