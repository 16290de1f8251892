#!/usr/bin/env bash
# Builds kube-apiserver from the k8s.io/kubernetes Go module and caches the binary by version.
# Usage: build-kube-apiserver.sh [VERSION]   (prints the binary's path as its last line)
set -euo pipefail
version="${1:-${KUBE_VERSION:-1.35.4}}"
cache="${KUBE_LOCAL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kube-local}"
out="$cache/kube-apiserver-v$version"
if [ -x "$out" ]; then echo "$out"; exit 0; fi
command -v go >/dev/null 2>&1 || { echo "kube-local: the Go toolchain (go) is needed to build kube-apiserver v$version; install Go or set KUBE_APISERVER_BIN" >&2; exit 3; }
minor="${version#*.}"; minor="${minor%%.*}"; patch="${version##*.}"
staging="0.$minor.$patch"
work="$(mktemp -d "${TMPDIR:-/tmp}/kube-apiserver-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cd "$work"
printf 'module kubelocalbuild\n\ngo 1.25\n' > go.mod
echo "kube-local: building kube-apiserver v$version (first run only; takes several minutes)" >&2
gomod="$(go mod download -json "k8s.io/kubernetes@v$version" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
[ -n "$gomod" ] || { echo "kube-local: could not download k8s.io/kubernetes@v$version" >&2; exit 4; }
{
  printf 'require k8s.io/kubernetes v%s\n' "$version"
  sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/src/.*#replace \1 => \1 v'"$staging"'#p' "$gomod"
} >> go.mod
# A blank import of the apiserver lets `go mod tidy` resolve its whole dependency graph.
printf 'package main\n\nimport _ "k8s.io/kubernetes/cmd/kube-apiserver/app"\n\nfunc main() {}\n' > tools.go
GOFLAGS=-mod=mod go mod tidy >&2
mkdir -p "$cache"
CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=v$version -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor" -o "$out.tmp" k8s.io/kubernetes/cmd/kube-apiserver >&2
mv "$out.tmp" "$out"
echo "$out"
