#!/usr/bin/env bash
# Installs what the project needs, idempotently: npm packages (Node 24 comes with them), etcd (Debian's
# etcd-server), and a kube-apiserver built from the k8s.io/kubernetes Go module (cached in ~/.cache/kube-local).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*" >&2; }

command -v npm >/dev/null 2>&1 || { say "npm is required (any Node.js >= 18 to bootstrap; the project brings its own Node 24)"; exit 1; }

if [ -z "${ETCD_BIN:-}" ] && ! command -v etcd >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing etcd (Debian package etcd-server)"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq etcd-server >/dev/null
  else
    say "etcd is missing: install it (sudo apt-get install etcd-server) or set ETCD_BIN"; exit 1
  fi
fi

# npm run images (and its test) unpack libc6, libstdc++6 and libgcc-s1 from Debian's packages: apt needs its lists.
if [ "$(id -u)" = 0 ] && command -v apt-cache >/dev/null 2>&1 && ! apt-cache show --no-all-versions libc6:amd64 >/dev/null 2>&1; then
  say "updating apt's package lists (for the images' base libraries)"
  apt-get update -qq >/dev/null
fi

# A real kube-local node (kube-local up --node, the node tests): Debian's container runtime, CNI plugins and
# network tools; the node components themselves are built below like kube-apiserver.
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  node_pkgs=()
  for pair in containerd:containerd runc:runc nft:nftables iptables:iptables conntrack:conntrack ip:iproute2; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || node_pkgs+=("${pair#*:}")
  done
  [ -x /usr/lib/cni/bridge ] || node_pkgs+=(containernetworking-plugins)
  if [ ${#node_pkgs[@]} -gt 0 ]; then
    say "installing ${node_pkgs[*]} (for kube-local's real node)"
    apt-cache show --no-all-versions containerd >/dev/null 2>&1 || apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${node_pkgs[@]}" >/dev/null
  fi
fi

if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # npm ci: exactly the committed lock (it lists every platform's optional packages, so it never needs rewriting).
  say "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

if [ -z "${KUBE_APISERVER_BIN:-}" ]; then
  command -v go >/dev/null 2>&1 || { say "Go (>= 1.25) is needed once to build kube-apiserver; install it or set KUBE_APISERVER_BIN"; exit 1; }
  bash tools/kube-local/scripts/build-kube-apiserver.sh >/dev/null
fi
# kubelet, kube-controller-manager, kube-scheduler, kube-proxy for the node tests (cached like the apiserver).
if [ "$(id -u)" = 0 ] && command -v go >/dev/null 2>&1; then
  bash tools/kube-local/scripts/build-kube-node.sh >/dev/null
fi

# The official Avi clients for the avi-controller's tests: avisdk (PyPI) in a venv, the Go SDK probe (Go module proxy).
if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing python3-venv (for avisdk)"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
  else
    say "python3 with venv is missing: install it (sudo apt-get install python3-venv)"; exit 1
  fi
fi
bash apps/avi-controller/test/official-clients/python/install-avisdk.sh >/dev/null
if command -v go >/dev/null 2>&1; then bash apps/avi-controller/test/official-clients/go/build.sh >/dev/null; fi
