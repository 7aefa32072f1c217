{{/* Object names: the release name, suffixed with the chart name unless it already contains it. */}}
{{- define "box.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/*
Standard app.kubernetes.io labels; pass (dict "ctx" $ "component" "web"), plus "version" when the
component runs another image than the box (the database keeps its pods when the box tag moves).
*/}}
{{- define "box.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .ctx.Chart.Name .ctx.Chart.Version | replace "+" "_" }}
{{ include "box.selectorLabels" . }}
app.kubernetes.io/version: {{ .version | default (include "box.imageTag" .ctx) | trunc 63 | trimSuffix "-" | quote }}
app.kubernetes.io/part-of: {{ .ctx.Chart.Name }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
{{- end -}}

{{/* The labels that select one component's pods; they never change after install. */}}
{{- define "box.selectorLabels" -}}
app.kubernetes.io/name: {{ .ctx.Chart.Name }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* The box image tag: the staging's tag, else the chart's major line (appVersion). */}}
{{- define "box.imageTag" -}}
{{- .Values.image.tag | default .Chart.AppVersion -}}
{{- end -}}

{{- define "box.image" -}}
{{- printf "%s:%s" .Values.image.repository (include "box.imageTag" .) -}}
{{- end -}}

{{/* The Secret holding the secret values; secrets never go through Helm. */}}
{{- define "box.secretName" -}}
{{- required "global.sitestack.secretName is required: the name of a Secret with the keys site.oidcClientSecret and database.password (sitestack's Staging component creates it)" .Values.global.sitestack.secretName -}}
{{- end -}}

{{- define "box.host" -}}
{{- if .Values.ingress.host -}}
{{- .Values.ingress.host -}}
{{- else -}}
{{- printf "%s.%s" .Release.Name (required "ingress.host or global.sitestack.baseDomain is required when ingress.enabled is true" .Values.global.sitestack.baseDomain) -}}
{{- end -}}
{{- end -}}

{{- define "box.databaseHost" -}}
{{- printf "%s-database" (include "box.fullname" .) -}}
{{- end -}}

{{/* Environment of box-sync (init container and sidecar): site settings and the OIDC secret. */}}
{{- define "box.syncEnv" -}}
envFrom:
  - configMapRef:
      name: {{ include "box.fullname" . }}-settings
env:
  - name: SITE_OIDC_CLIENT_SECRET
    valueFrom:
      secretKeyRef:
        name: {{ include "box.secretName" . }}
        key: site.oidcClientSecret
{{- end -}}
