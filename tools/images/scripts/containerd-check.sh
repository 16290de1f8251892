#!/usr/bin/env bash
# The images read by skopeo (both archive forms) and run in a real container runtime: Debian's containerd + runc, started here with a private config, state
# and socket (nothing of the machine's is used or changed). It imports dist/images/{avi-controller,ako}.tar with
# `ctr -n k8s.io images import`, runs the controller and AKO from them with host networking (user 65532, the
# images' entrypoints) against a kube-local cluster set up with the chart's ConfigMap, Secret and RBAC, and checks
# that AKO becomes ready (/readyz) as ako-sa and gives a LoadBalancer Service its VIP.
#
#   bash tools/images/scripts/containerd-check.sh      # as root; installs containerd, runc, skopeo with apt if missing
#
# Not part of npm test (it needs root and starts a container runtime). This VM drops CAP_SYS_RESOURCE, hence
# restrict_oom_score_adj = true for the CRI plugin in the private config.
set -euo pipefail
cd "$(dirname "$0")/../../.."
ROOT=$PWD
say() { printf 'containerd-check: %s\n' "$*" >&2; }
[ "$(id -u)" = 0 ] || { say "run as root (containerd needs it)"; exit 1; }
if ! command -v containerd >/dev/null || ! command -v runc >/dev/null || ! command -v skopeo >/dev/null; then
  say "installing containerd, runc and skopeo (Debian packages)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq containerd runc skopeo >/dev/null
fi
NODE=$ROOT/node_modules/.bin/node
[ -f dist/images/ako.tar ] && [ -f dist/images/avi-controller.tar ] || npm run images --silent
KUBECTL=$("$NODE" -e "import('$ROOT/tools/helm/dist/index.js').then(async (m) => console.log(await m.kubectlBinary()))")
HELM=$("$NODE" -e "import('$ROOT/tools/helm/dist/index.js').then(async (m) => console.log(await m.helmBinary()))")
free_port() { "$NODE" -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

D=$(mktemp -d /tmp/containerd-check.XXXXXX)
SOCK=$D/containerd.sock
ctr_() { ctr -a "$SOCK" -n k8s.io "$@"; }
cleanup() {
  set +e
  for c in ako ctl; do ctr_ tasks kill -s SIGKILL "$c" >/dev/null 2>&1; done
  sleep 1
  for c in ako ctl; do ctr_ tasks rm -f "$c" >/dev/null 2>&1; ctr_ containers rm "$c" >/dev/null 2>&1; done
  [ -f "$D/containerd.pid" ] && kill "$(cat "$D/containerd.pid")" 2>/dev/null
  "$NODE" tools/kube-local/bin/kube-local.js down --dir "$D/clusters" >/dev/null 2>&1
  sleep 1
  umount -R "$D/state" 2>/dev/null
  rm -rf "$D"
}
[ -n "${KEEP:-}" ] || trap cleanup EXIT

cat > "$D/config.toml" <<EOF
version = 2
root = "$D/root"
state = "$D/state"
[grpc]
  address = "$SOCK"
[ttrpc]
  address = "$SOCK.ttrpc"
[debug]
  address = "$D/debug.sock"
[plugins."io.containerd.grpc.v1.cri"]
  restrict_oom_score_adj = true
EOF
containerd --config "$D/config.toml" >"$D/containerd.log" 2>&1 &
echo $! >"$D/containerd.pid"
for _ in $(seq 50); do ctr -a "$SOCK" version >/dev/null 2>&1 && break; sleep 0.2; done
say "containerd $(containerd --version | awk '{print $3}'), runc $(runc --version | awk 'NR==1{print $3}')"

# The archives as docker load reads them (docker save's manifest.json) and as an OCI layout: skopeo copies every
# blob out of each form, checking its digest.
for app in ako amko avi-controller; do
  skopeo copy -q "docker-archive:dist/images/$app.tar" "oci:$D/skopeo-docker:$app" >/dev/null
  skopeo copy -q "oci-archive:dist/images/$app.tar" "oci:$D/skopeo-oci:$app" >/dev/null
done
say "skopeo $(skopeo --version | awk '{print $3}') reads all three archives as docker-archive and oci-archive"
for app in avi-controller ako; do
  ctr_ images import "dist/images/$app.tar" >/dev/null
done
VERSION=$("$NODE" -p "require('./apps/ako/package.json').version")
CTL_IMAGE=docker.io/avi-k8s/avi-controller:$("$NODE" -p "require('./apps/avi-controller/package.json').version")
AKO_IMAGE=docker.io/avi-k8s/ako:$VERSION
say "imported $(ctr_ images ls -q | grep -c avi-k8s) images: $CTL_IMAGE, $AKO_IMAGE"
# The entrypoint each image declares (ctr run's arguments replace the process, so it is given explicitly).
json_field() { "$NODE" -p "const v=JSON.parse(require('fs').readFileSync(0,'utf8'));($1)"; }
entrypoint() {
  local tar=dist/images/$1.tar manifest config
  manifest=$(tar -xOf "$tar" index.json | json_field "v.manifests[0].digest.slice(7)")
  config=$(tar -xOf "$tar" "blobs/sha256/$manifest" | json_field "v.config.digest.slice(7)")
  tar -xOf "$tar" "blobs/sha256/$config" | json_field "v.config.Entrypoint.join(' ')"
}
CTL_ENTRY=$(entrypoint avi-controller)
AKO_ENTRY=$(entrypoint ako)

KUBECONFIG_ADMIN=$("$NODE" tools/kube-local/bin/kube-local.js up --name img --dir "$D/clusters")
say "kube-local cluster up ($KUBECONFIG_ADMIN)"
k() { "$KUBECTL" --kubeconfig "$KUBECONFIG_ADMIN" "$@"; }

CTL_PORT=$(free_port)
mkdir -p "$D/ctl" && chown 65532:65532 "$D/ctl" && chmod 700 "$D/ctl"
PASSWORD=Check-$(date +%s)
# shellcheck disable=SC2086
ctr_ run -d --log-uri "file://$D/ctl.log" --net-host --env AVI_ADMIN_PASSWORD="$PASSWORD" --mount "type=bind,src=$D/ctl,dst=/data,options=rbind:rw" \
  "$CTL_IMAGE" ctl $CTL_ENTRY serve --listen "127.0.0.1:$CTL_PORT" --data-dir /data --dataplane >/dev/null
for _ in $(seq 100); do curl -skf "https://127.0.0.1:$CTL_PORT/api/initial-data" >/dev/null && break; sleep 0.2; done
curl -skf "https://127.0.0.1:$CTL_PORT/api/initial-data" >/dev/null || { say "the controller did not start; its log:"; tail -20 "$D/ctl.log" >&2; exit 1; }
say "avi-controller from its image on 127.0.0.1:$CTL_PORT"

# The chart's objects, configured for this controller.
API_PORT=$(free_port)
"$HELM" template ako apps/ako/chart --namespace avi-system --include-crds \
  --set AKOSettings.clusterName=imgcheck --set "ControllerSettings.controllerHost=https://127.0.0.1:$CTL_PORT" \
  --set "AKOSettings.apiServerPort=$API_PORT" --set AKOSettings.logLevel=WARNING --set L7Settings.shardVSSize=SMALL \
  --set 'NetworkSettings.vipNetworkList[0].networkName=vip-network' --set 'NetworkSettings.vipNetworkList[0].cidr=127.100.0.0/24' \
  --set avicredentials.username=admin --set "avicredentials.password=$PASSWORD" \
  --set-file "avicredentials.certificateAuthorityData=$D/ctl/pki/ca.crt" >"$D/chart.yaml"
k create namespace avi-system >/dev/null
# The StatefulSet too: without a kubelet it is only an object; AKO runs from containerd below.
k apply -f "$D/chart.yaml" >/dev/null
# AKO acts as ako-sa (the chart's RBAC), with a token kubeconfig readable by the image's user only.
SERVER=$(k config view --minify -o jsonpath='{.clusters[0].cluster.server}')
TOKEN=$(k create token ako-sa -n avi-system --duration 1h)
mkdir -p "$D/kube"
k config view --raw --minify -o jsonpath='{.clusters[0].cluster.certificate-authority-data}' | base64 -d >"$D/kube/ca.crt"
cat >"$D/kube/config" <<EOF
apiVersion: v1
kind: Config
clusters: [{name: img, cluster: {server: "$SERVER", certificate-authority: /kube/ca.crt}}]
users: [{name: ako-sa, user: {token: "$TOKEN"}}]
contexts: [{name: img, context: {cluster: img, user: ako-sa}}]
current-context: img
EOF
chown -R 65532:65532 "$D/kube" && chmod 700 "$D/kube"
# shellcheck disable=SC2086
ctr_ run -d --log-uri "file://$D/ako.log" --net-host --env POD_NAMESPACE=avi-system --env POD_NAME=ako-0 --mount "type=bind,src=$D/kube,dst=/kube,options=rbind:ro" \
  "$AKO_IMAGE" ako $AKO_ENTRY --kubeconfig /kube/config >/dev/null
READY=
for _ in $(seq 600); do
  if curl -sf "http://127.0.0.1:$API_PORT/readyz" >/dev/null; then READY=1; break; fi
  sleep 0.2
done
if [ -z "$READY" ]; then
  say "AKO did not become ready; its log:"; tail -20 "$D/ako.log" >&2; exit 1
fi
say "AKO from its image is ready on 127.0.0.1:$API_PORT (as ako-sa; user $(ctr_ containers info ako | "$NODE" -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const p=JSON.parse(s).Spec.process.user;console.log(p.uid+':'+p.gid)})"))"

k create namespace shop >/dev/null
k -n shop apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {type: LoadBalancer, ports: [{name: http, port: 80, targetPort: 8080}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: web-1, labels: {kubernetes.io/service-name: web}}
addressType: IPv4
ports: [{name: http, port: 8080, protocol: TCP}]
endpoints: [{addresses: [10.244.0.10], conditions: {ready: true}}]
EOF
VIP=
for _ in $(seq 150); do
  VIP=$(k -n shop get service web -o jsonpath='{.status.loadBalancer.ingress[0].ip}')
  [ -n "$VIP" ] && break
  sleep 0.2
done
[ -n "$VIP" ] || { say "Service shop/web got no VIP; AKO's log:"; tail -20 "$D/ako.log" >&2; exit 1; }
say "Service shop/web has VIP $VIP from AKO in containerd"
curl -s "http://127.0.0.1:$API_PORT/metrics" -o /dev/null -w '%{http_code}' | grep -q 404 && say "/metrics is off (featureGates.EnablePrometheus false)"
say "OK"
