{{/* Labels on every object of the release. */}}
{{- define "amko.labels" -}}
app.kubernetes.io/name: amko
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* The ServiceAccount AMKO runs as: serviceAccount.name, else amko-sa as in the Go chart. */}}
{{- define "amko.serviceAccountName" -}}
{{- default "amko-sa" .Values.serviceAccount.name -}}
{{- end -}}

{{/*
The cluster-scoped RBAC (GSLBHostRules and their Events in any namespace) is named for the release namespace, so
several AMKOs (each in its own namespace) can be installed on one cluster.
*/}}
{{- define "amko.clusterRoleName" -}}
amko-cr-{{ .Release.Namespace }}
{{- end -}}

{{/* "true" when the leader-side objects (AMKO itself, its RBAC, GSLBConfig, GDP, Secret) are rendered. */}}
{{- define "amko.leader" -}}
{{- if not (and .Values.memberRBAC.enabled .Values.memberRBAC.memberOnly) -}}true{{- end -}}
{{- end -}}

{{/* Settings this AMKO does not implement fail the install with a clear message instead of being ignored. */}}
{{- define "amko.validate" -}}
{{- if or (lt (int .Values.replicaCount) 1) (gt (int .Values.replicaCount) 2) -}}
{{- fail "replicaCount must be 1, or 2 for HA (active/passive on Lease amko-lease-lock)" -}}
{{- end -}}
{{- if .Values.multiClusterIngress.enable -}}
{{- fail "multiClusterIngress.enable: this AMKO does not implement MultiClusterIngress service discovery; set it to false" -}}
{{- end -}}
{{- if .Values.rbac.pspEnable -}}
{{- fail "rbac.pspEnable: PodSecurityPolicy was removed in Kubernetes 1.25; set it to false" -}}
{{- end -}}
{{- if .Values.configs.useCustomGlobalFqdn -}}
{{- fail "configs.useCustomGlobalFqdn: this AMKO does not implement custom global FQDNs; set it to false" -}}
{{- end -}}
{{- with .Values.configs.amkoUUID -}}
{{- if ne (len (toString .)) 36 -}}
{{- fail "configs.amkoUUID must be 36 characters (a UUID) or empty" -}}
{{- end -}}
{{- end -}}
{{- if not (.Values.federation).currentCluster -}}
{{- fail "federation.currentCluster must name this cluster's context (AMKOCluster spec.clusterContext)" -}}
{{- end -}}
{{- if and .Values.memberRBAC.memberOnly (not .Values.memberRBAC.enabled) -}}
{{- fail "memberRBAC.memberOnly needs memberRBAC.enabled: true" -}}
{{- end -}}
{{- end -}}

{{/*
V8's old-space cap: 1/2 of the memory limit (Mi or Gi), so the heap is collected before the kernel kills the pod.
Half, not 3/4: about 75 MiB of AMKO's RSS is not V8 heap (code, buffers), and AMKO's passes make garbage that V8
otherwise lets grow far above the live heap (bench:amko, 1000 FQDNs: live heap ~40 MiB; peak RSS 232 MiB uncapped,
144 MiB with 150).
*/}}
{{- define "amko.heapMiB" -}}
{{- $limit := toString (default "" ((.Values.resources).limits).memory) -}}
{{- if hasSuffix "Mi" $limit -}}
{{- div (int (trimSuffix "Mi" $limit)) 2 -}}
{{- else if hasSuffix "Gi" $limit -}}
{{- div (mul (int (trimSuffix "Gi" $limit)) 1024) 2 -}}
{{- end -}}
{{- end -}}

{{/*
The AMKO image: image.repository (default avi-k8s/amko) with image.tag (default the chart's appVersion). The Go
chart's default repository (the Go AMKO's image) stands for the default as well.
*/}}
{{- define "amko.image" -}}
{{- $repo := .Values.image.repository | default "avi-k8s/amko" -}}
{{- if eq $repo "projects.packages.broadcom.com/ako/amko" -}}{{- $repo = "avi-k8s/amko" -}}{{- end -}}
{{- printf "%s:%s" $repo (toString (.Values.image.tag | default .Chart.AppVersion)) -}}
{{- end -}}
