# alliance-audit as a container image: the binary alone on a small Debian base, run as
# an unprivileged user. Built in two stages so the image holds no compiler:
#
#   docker build -t alliance-audit .
#   docker run --rm alliance-audit --help
#
# The same image runs `crawl`, `worker`, `history`, `report`, ... (see compose.yaml).

FROM rust:1-bookworm AS build
WORKDIR /src
# Dependencies first, so a source change does not rebuild them.
COPY Cargo.toml Cargo.lock ./
RUN mkdir -p src benches \
    && echo 'fn main() {}' > src/main.rs && touch src/lib.rs && echo 'fn main() {}' > benches/extract.rs \
    && cargo fetch --locked
COPY . .
RUN cargo build --release --locked --bin alliance-audit \
    && strip target/release/alliance-audit

FROM debian:bookworm-slim
# CA certificates for HTTPS sites (TLS itself is rustls, in the binary).
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --create-home --home-dir /work audit
COPY --from=build /src/target/release/alliance-audit /usr/local/bin/alliance-audit
USER audit
WORKDIR /work
ENTRYPOINT ["alliance-audit"]
CMD ["--help"]
