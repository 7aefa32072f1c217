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

{{- define "box.siteCode" -}}
{{- .Values.site.code | default .Release.Name -}}
{{- end -}}

{{/* A volume name from a path, as BoxSite names them: /var/run/apache2 -> w-var-run-apache2. */}}
{{- define "box.volumeName" -}}
{{- printf "w-%s" (regexReplaceAll "[^a-z0-9]+" (lower .) "-" | trimAll "-") | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* A box-sync container; pass (dict "ctx" $ "name" "box-sync" "mode" "watch"). */}}
{{- define "box.syncContainer" -}}
{{- $v := .ctx.Values -}}
name: {{ .name }}
image: {{ include "box.image" .ctx }}
imagePullPolicy: {{ $v.image.pullPolicy }}
command:
  {{- toYaml $v.sync.command | nindent 2 }}
env:
  - name: BOX_SYNC_MODE
    value: {{ .mode }}
  - name: BOX_SYNC_SOURCE
    value: {{ $v.sync.source | quote }}
  - name: BOX_SYNC_DIR
    value: {{ $v.sync.themesPath | quote }}
  - name: BOX_SYNC_MARKER_FILE
    value: {{ $v.sync.markerFile | quote }}
  - name: BOX_SITE_ID
    value: {{ $v.site.id | quote }}
  - name: BOX_SITE_CODE
    value: {{ include "box.siteCode" .ctx | quote }}
  {{- if eq .mode "watch" }}
  - name: BOX_SYNC_INTERVAL_SECONDS
    value: {{ $v.sync.intervalSeconds | quote }}
  {{- end }}
securityContext:
  {{- toYaml $v.containerSecurityContext | nindent 2 }}
resources:
  {{- toYaml $v.sync.resources | nindent 2 }}
volumeMounts:
  - name: themes
    mountPath: {{ $v.sync.themesPath }}
  - name: sync-tmp
    mountPath: /tmp
{{- end -}}
