{{/* Names: <release>-copydesk unless the release's name already holds "copydesk". */}}
{{- define "copydesk.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* The labels every object carries; pass (dict "root" $ "component" "api"). */}}
{{- define "copydesk.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: copydesk
{{ include "copydesk.selectorLabels" . }}
{{- end -}}

{{/* The labels a component's pods are selected by (Deployments, Services, policies). */}}
{{- define "copydesk.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* How a component's pods spread: its values' topologySpreadConstraints, or without them one soft
spread across nodes, so that replicas (and what their PodDisruptionBudget keeps) do not all share a
node while others have room. ScheduleAnyway never leaves a pod pending, even on a one-node cluster.
Pass (dict "root" $ "component" "api"). */}}
{{- define "copydesk.topologySpreadConstraints" -}}
{{- with (index .root.Values .component).topologySpreadConstraints -}}
{{- toYaml . }}
{{- else -}}
- maxSkew: 1
  topologyKey: kubernetes.io/hostname
  whenUnsatisfiable: ScheduleAnyway
  labelSelector:
    matchLabels:
      {{- include "copydesk.selectorLabels" . | nindent 6 }}
{{- end }}
{{- end -}}

{{- define "copydesk.image" -}}
{{- printf "%s:%s" .image.repository (.image.tag | default .root.Chart.AppVersion) -}}
{{- end -}}

{{- define "copydesk.languagetoolUrl" -}}
{{- printf "http://%s-languagetool:%d" (include "copydesk.fullname" .) (int .Values.languagetool.service.port) -}}
{{- end -}}

{{- define "copydesk.redisUrl" -}}
{{- .Values.redis.url | default (printf "redis://%s-redis:6379/0" (include "copydesk.fullname" .)) -}}
{{- end -}}

{{/* The keys files the API reads (README "API keys"), each from a Secret mounted
read-only: its values block, the name of its Secret and volume, and the setting that names the
file. A YAML list, for fromYamlArray. */}}
{{- define "copydesk.keyFiles" -}}
- {values: apiKeys, name: api-keys, setting: COPYDESK_API_KEYS_FILE}
- {values: metricsKeys, name: metrics-keys, setting: COPYDESK_METRICS_KEYS_FILE}
{{- end -}}

{{/* A keys file's Secret, when it is on and the values name no Secret of the user's; pass
(dict "root" $ "file" <an entry of copydesk.keyFiles>). */}}
{{- define "copydesk.keysSecret" -}}
{{- $keys := index .root.Values .file.values -}}
{{- if and $keys.enabled (not $keys.existingSecret) -}}
{{- if not $keys.keys -}}
{{- fail (printf "%[1]s.enabled needs %[1]s.keys or %[1]s.existingSecret: copydesk does not start with a keys file that holds no key" .file.values) -}}
{{- end -}}
apiVersion: v1
kind: Secret
metadata:
  name: {{ include "copydesk.fullname" .root }}-{{ .file.name }}
  labels:
    {{- include "copydesk.labels" (dict "root" .root "component" "api") | nindent 4 }}
type: Opaque
stringData:
  {{ $keys.key }}: |
    {{- range $keys.keys }}
    {{ . }}
    {{- end }}
{{- end -}}
{{- end -}}

{{/* Settings the containers share: non-root, no privilege escalation, read-only root. */}}
{{- define "copydesk.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
{{- end -}}

{{- define "copydesk.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .uid }}
runAsGroup: {{ .uid }}
fsGroup: {{ .uid }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}
