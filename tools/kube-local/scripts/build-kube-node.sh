#!/usr/bin/env bash
# Builds the node components (kubelet, kube-controller-manager, kube-scheduler, kube-proxy) from the
# k8s.io/kubernetes Go module, as build-kube-apiserver.sh builds the apiserver, and caches each binary by version.
# Usage: build-kube-node.sh [VERSION]   (prints the cache directory as its last line)
set -euo pipefail
version="${1:-${KUBE_VERSION:-1.35.4}}"
cache="${KUBE_LOCAL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kube-local}"
components=(kubelet kube-controller-manager kube-scheduler kube-proxy)
missing=()
for c in "${components[@]}"; do [ -x "$cache/$c-v$version" ] || missing+=("$c"); done
if [ ${#missing[@]} -eq 0 ]; then echo "$cache"; exit 0; fi
command -v go >/dev/null 2>&1 || { echo "kube-local: the Go toolchain (go) is needed to build ${missing[*]} v$version; install Go" >&2; exit 3; }
minor="${version#*.}"; minor="${minor%%.*}"; patch="${version##*.}"
staging="0.$minor.$patch"
work="$(mktemp -d "${TMPDIR:-/tmp}/kube-node-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cd "$work"
printf 'module kubelocalbuild\n\ngo 1.25\n' > go.mod
echo "kube-local: building ${missing[*]} v$version (first run only; takes several minutes)" >&2
gomod="$(go mod download -json "k8s.io/kubernetes@v$version" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
[ -n "$gomod" ] || { echo "kube-local: could not download k8s.io/kubernetes@v$version" >&2; exit 4; }
{
  printf 'require k8s.io/kubernetes v%s\n' "$version"
  sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/src/.*#replace \1 => \1 v'"$staging"'#p' "$gomod"
} >> go.mod
# Blank imports of the commands' packages let `go mod tidy` resolve the whole dependency graph.
{
  printf 'package main\n\nimport (\n'
  for c in "${missing[@]}"; do printf '\t_ "k8s.io/kubernetes/cmd/%s/app"\n' "$c"; done
  printf ')\n\nfunc main() {}\n'
} > tools.go
GOFLAGS=-mod=mod go mod tidy >&2
mkdir -p "$cache"
for c in "${missing[@]}"; do
  start=$(date +%s)
  CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=v$version -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor" -o "$cache/$c-v$version.tmp" "k8s.io/kubernetes/cmd/$c" >&2
  mv "$cache/$c-v$version.tmp" "$cache/$c-v$version"
  echo "kube-local: built $c v$version in $(( $(date +%s) - start )) s" >&2
done
echo "$cache"
