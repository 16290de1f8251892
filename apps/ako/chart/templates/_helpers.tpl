{{/*
Scalar values as the strings AKO's own values parser makes of them (String(v) in JavaScript): whole numbers
without an exponent (helm reads YAML numbers as float64 and would print 1e+06), booleans as true/false.
*/}}
{{- define "ako.str" -}}
{{- if and (kindIs "float64" .) (eq (float64 (int64 .)) .) -}}
{{- int64 . -}}
{{- else -}}
{{- toString . -}}
{{- end -}}
{{- end -}}

{{/*
A JSON string literal as JSON.stringify writes it. helm's toJson escapes <, >, & and U+2028/U+2029 for HTML;
those characters are kept literal by encoding the text between them and putting them back unescaped.
*/}}
{{- define "ako.jsonString" -}}
{{- $pattern := "[<>&\u2028\u2029]" -}}
{{- $parts := regexSplit $pattern . -1 -}}
{{- $separators := regexFindAll $pattern . -1 -}}
"{{- range $i, $part := $parts -}}
{{- $part | toJson | trimPrefix "\"" | trimSuffix "\"" -}}
{{- if lt $i (len $separators) -}}{{- index $separators $i -}}{{- end -}}
{{- end -}}"
{{- end -}}

{{/* A JSON list of strings. */}}
{{- define "ako.jsonStringList" -}}
[{{- range $i, $s := . -}}{{- if $i -}},{{- end -}}{{- include "ako.jsonString" (toString $s) -}}{{- end -}}]
{{- end -}}

{{/*
A JSON list of networks with their keys in AKO's order (networkName, networkUUID, cidr, v6cidr, cidrs), only the
keys that are set; helm's toJson would sort them.
*/}}
{{- define "ako.jsonNetworkList" -}}
[{{- range $i, $n := . -}}
{{- if $i -}},{{- end -}}
{{- $fields := list -}}
{{- range $key := list "networkName" "networkUUID" "cidr" "v6cidr" -}}
{{- if hasKey $n $key -}}
{{- $fields = append $fields (printf "%q:%s" $key (include "ako.jsonString" (toString (get $n $key)))) -}}
{{- end -}}
{{- end -}}
{{- if hasKey $n "cidrs" -}}
{{- $fields = append $fields (printf "%q:%s" "cidrs" (include "ako.jsonStringList" (get $n "cidrs"))) -}}
{{- end -}}
{ {{- join "," $fields -}} }
{{- end -}}]
{{- end -}}

{{/* Labels on every object of the release. */}}
{{- define "ako.labels" -}}
app.kubernetes.io/name: ako
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* "true" when a chart boolean (true, 'True', 1, ...) is set. */}}
{{- define "ako.isTrue" -}}
{{- has (include "ako.str" . | lower) (list "true" "1" "t") -}}
{{- end -}}

{{/* Settings this AKO does not implement fail the install with a clear message instead of being ignored. */}}
{{- define "ako.validate" -}}
{{- if gt (int .Values.replicaCount) 2 -}}
{{- fail "replicaCount must be 1 or 2" -}}
{{- end -}}
{{- if and (gt (int .Values.replicaCount) 1) (not (include "ako.str" .Values.AKOSettings.primaryInstance | eq "true")) -}}
{{- fail "replicaCount 2 (HA) needs AKOSettings.primaryInstance: true" -}}
{{- end -}}
{{- if .Values.featureGates.GatewayAPI -}}
{{- fail "featureGates.GatewayAPI: this AKO does not implement the Gateway API; set it to false" -}}
{{- end -}}
{{- if .Values.rbac.pspEnable -}}
{{- fail "rbac.pspEnable: PodSecurityPolicy was removed in Kubernetes 1.25; set it to false" -}}
{{- end -}}
{{- if eq (include "ako.isTrue" .Values.AKOSettings.enableEVH) "true" -}}
{{- if eq (include "ako.str" .Values.L7Settings.shardVSSize) "DEDICATED" -}}
{{- fail "AKOSettings.enableEVH with L7Settings.shardVSSize DEDICATED: dedicated EVH virtual services are not implemented by this AKO; use a shared shardVSSize (LARGE, MEDIUM, SMALL) or enableEVH false" -}}
{{- end -}}
{{- if eq (include "ako.isTrue" .Values.L7Settings.noPGForSNI) "true" -}}
{{- fail "AKOSettings.enableEVH with L7Settings.noPGForSNI: noPGForSNI is not implemented in EVH mode by this AKO; set it to false" -}}
{{- end -}}
{{- end -}}
{{- if eq (include "ako.isTrue" .Values.AKOSettings.servicesAPI) "true" -}}
{{- fail "AKOSettings.servicesAPI: the Gateway API (servicesAPI) is not implemented by this AKO; set it to false" -}}
{{- end -}}
{{- if eq (include "ako.isTrue" .Values.AKOSettings.vipPerNamespace) "true" -}}
{{- fail "AKOSettings.vipPerNamespace: a shard VS per namespace (vipPerNamespace) is not implemented by this AKO; set it to false" -}}
{{- end -}}
{{- if eq (include "ako.isTrue" .Values.ControllerSettings.dedicatedTenantMode) "true" -}}
{{- fail "ControllerSettings.dedicatedTenantMode: dedicatedTenantMode is not implemented by this AKO; set it to false" -}}
{{- end -}}
{{- if eq (include "ako.isTrue" .Values.AKOSettings.istioEnabled) "true" -}}
{{- fail "AKOSettings.istioEnabled: Istio (istioEnabled) is not implemented by this AKO; set it to false" -}}
{{- end -}}
{{- if eq (include "ako.isTrue" .Values.L7Settings.enableMCI) "true" -}}
{{- fail "L7Settings.enableMCI: multi-cluster Ingress (enableMCI) is not implemented by this AKO; set it to false" -}}
{{- end -}}
{{- if eq (include "ako.isTrue" .Values.AKOSettings.useDefaultSecretsOnly) "true" -}}
{{- fail "AKOSettings.useDefaultSecretsOnly: useDefaultSecretsOnly (OpenShift Routes) is not implemented by this AKO; set it to false" -}}
{{- end -}}
{{- if eq (include "ako.isTrue" .Values.AKOSettings.vpcMode) "true" -}}
{{- fail "AKOSettings.vpcMode: vpcMode (NSX VPC) is not implemented by this AKO; set it to false" -}}
{{- end -}}
{{- if eq (include "ako.str" .Values.AKOSettings.ipFamily | upper) "V6" -}}
{{- fail "AKOSettings.ipFamily: IPv6 VIPs (ipFamily V6) are not implemented by this AKO; set it to V4 or leave it empty" -}}
{{- end -}}
{{- if .Values.NetworkSettings.nodeNetworkList -}}
{{- fail "NetworkSettings.nodeNetworkList: SE placement networks for node traffic are not implemented by this AKO; leave it empty" -}}
{{- end -}}
{{- if not (has (.Values.AKOSettings.cniPlugin | default "" | toString | lower) (list "" "flannel" "canal" "antrea")) -}}
{{- fail "AKOSettings.cniPlugin: this AKO reads pod CIDRs from Node spec.podCIDR only (flannel, canal, antrea or empty); calico block affinities, cilium, ovn-kubernetes, ncp and openshift are not implemented" -}}
{{- end -}}
{{- end -}}

{{/*
The names of the cluster-scoped RBAC objects: ako-cr/ako-crb as in the ako chart for the primary AKO; a secondary
AKO (primaryInstance false) gets its own, suffixed with its namespace, so both releases can be installed.
*/}}
{{- define "ako.clusterRoleName" -}}
{{- if eq (include "ako.str" .Values.AKOSettings.primaryInstance) "true" -}}
ako-cr
{{- else -}}
ako-cr-{{ .Release.Namespace }}
{{- end -}}
{{- end -}}
{{- define "ako.clusterRoleBindingName" -}}
{{- if eq (include "ako.str" .Values.AKOSettings.primaryInstance) "true" -}}
ako-crb
{{- else -}}
ako-crb-{{ .Release.Namespace }}
{{- end -}}
{{- end -}}

{{/* V8's old-space cap: 3/4 of the memory limit (Mi or Gi), so the heap is collected before the kernel kills the pod. */}}
{{- define "ako.heapMiB" -}}
{{- $limit := toString (default "" ((.Values.resources).limits).memory) -}}
{{- if hasSuffix "Mi" $limit -}}
{{- div (mul (int (trimSuffix "Mi" $limit)) 3) 4 -}}
{{- else if hasSuffix "Gi" $limit -}}
{{- div (mul (int (trimSuffix "Gi" $limit)) 3072) 4 -}}
{{- end -}}
{{- end -}}

{{/*
The AKO image: image.repository (default avi-k8s/ako) with image.tag (default the chart's appVersion). The Go
chart's default repository, an internal build registry no user can pull from, stands for the default as well.
*/}}
{{- define "ako.image" -}}
{{- $repo := .Values.image.repository | default "avi-k8s/ako" -}}
{{- if eq $repo "10.79.172.11:5000/avi-buildops/ako" -}}{{- $repo = "avi-k8s/ako" -}}{{- end -}}
{{- printf "%s:%s" $repo (toString (.Values.image.tag | default .Chart.AppVersion)) -}}
{{- end -}}
