#!/usr/bin/env bash
# Builds the alb-sdk-probe (the official Go SDK driving the avi-controller, for its tests) once per source
# version and caches the binary in ${XDG_CACHE_HOME:-$HOME/.cache}/avi-k8s/. Prints the binary's path last.
# The Go SDK comes from the Go module proxy at the version go.mod pins, checked against the committed go.sum.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
command -v go >/dev/null 2>&1 || { echo "alb-sdk-probe: the Go toolchain (go) is needed to build the Go SDK probe" >&2; exit 3; }
cache="${XDG_CACHE_HOME:-$HOME/.cache}/avi-k8s"
key="$(cd "$here" && { go version; cat go.mod go.sum ./*.go; } | sha256sum | cut -c1-16)"
out="$cache/alb-sdk-probe-$key"
if [ -x "$out" ]; then echo "$out"; exit 0; fi
mkdir -p "$cache"
echo "alb-sdk-probe: building $out" >&2
(cd "$here" && CGO_ENABLED=0 GOFLAGS="-mod=readonly -buildvcs=false" go build -trimpath -o "$out.tmp.$$" .)
mv "$out.tmp.$$" "$out"
find "$cache" -maxdepth 1 -name 'alb-sdk-probe-*' ! -name "$(basename "$out")" -mmin +60 -delete 2>/dev/null || true
echo "$out"
