# The same runtime image as compose/Dockerfile, from executables built outside Docker
# (CI reuses the build its tests already made). compose/smoke-test.sh stages them:
#   prebuilt/bin/            districtctl and the five service executables
#   prebuilt/swift-runtime/  the Swift runtime libraries they link (empty for a
#                            --static-swift-stdlib build)
ARG RUNTIME_IMAGE=debian:bookworm-slim
FROM ${RUNTIME_IMAGE}
RUN groupadd --system --gid 10001 district \
    && useradd --system --uid 10001 --gid district --home-dir /var/lib/district --shell /usr/sbin/nologin district \
    && mkdir -p /certs /var/lib/district \
    && chown district:district /certs /var/lib/district
# A debug build links the Swift runtime from the toolchain's path, so put it there.
COPY prebuilt/swift-runtime/ /opt/swift/usr/lib/swift/linux/
COPY prebuilt/bin/ /usr/local/bin/
USER district
WORKDIR /var/lib/district
ENV DISTRICT_CERT_DIR=/certs \
    DISTRICT_LISTEN_HOST=0.0.0.0 \
    DISTRICT_METRICS_HOST=0.0.0.0 \
    DISTRICT_LOG_FORMAT=json
EXPOSE 7401 7402 7403 7404 7405 9401 9402 9403 9404 9405
CMD ["districtctl", "--help"]
