{{/* Names: <release>-copydesk unless the release is already called copydesk-something. */}}
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
