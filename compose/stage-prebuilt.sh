#!/usr/bin/env bash
# Stages executables built outside Docker for compose/prebuilt.Dockerfile:
#   stage-prebuilt.sh BIN_DIR     (e.g. .build/debug, or a --static-swift-stdlib release build)
# Copies districtctl and the five service executables into compose/prebuilt/bin, and the
# Swift runtime libraries they link (if any) into compose/prebuilt/swift-runtime.
set -euo pipefail
bin_dir="${1:?usage: stage-prebuilt.sh BIN_DIR}"
out="$(cd "$(dirname "$0")" && pwd)/prebuilt"
rm -rf "$out"
mkdir -p "$out/bin" "$out/swift-runtime"
products=(districtctl district-identity district-dispatch district-mediation district-legal district-notify)
for product in "${products[@]}"; do
    install -m 0755 "$bin_dir/$product" "$out/bin/$product"
    # Shrink debug executables; debug information is not needed to run them.
    strip --strip-debug "$out/bin/$product" 2>/dev/null || true
done
# Libraries from the Swift toolchain (a static build links none of them).
for product in "${products[@]}"; do
    ldd "$out/bin/$product" | awk '$3 ~ /\/usr\/lib\/swift\/linux\// { print $3 }'
done | sort -u | while read -r library; do
    cp -L "$library" "$out/swift-runtime/"
done
du -sh "$out/bin" "$out/swift-runtime" | sed 's/^/[stage-prebuilt] /'
