#!/usr/bin/env bash
# Creates (idempotently) the venv with the pinned avisdk that the avi-controller's official-client tests run.
# Usage: install-avisdk.sh   (prints the venv's python as its last line)
# The venv lives in ${AVISDK_VENV:-$XDG_CACHE_HOME/avi-k8s/avisdk-venv}; it is rebuilt when requirements.txt changes.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${AVISDK_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/avi-k8s/avisdk-venv}"
req="$here/requirements.txt"
if [ -x "$venv/bin/python" ] && cmp -s "$req" "$venv/installed-requirements.txt"; then echo "$venv/bin/python"; exit 0; fi
python3 -m venv --help >/dev/null 2>&1 && python3 -c 'import ensurepip' >/dev/null 2>&1 || {
  echo "avisdk: python3 with venv and ensurepip is needed (Debian: apt-get install python3-venv)" >&2; exit 3; }
echo "avisdk: creating $venv" >&2
rm -rf "$venv"
mkdir -p "$(dirname "$venv")"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$req" >&2
"$venv/bin/python" -c 'import avi.sdk.avi_api, avi.sdk.utils.api_utils' >&2
cp "$req" "$venv/installed-requirements.txt"
echo "$venv/bin/python"
