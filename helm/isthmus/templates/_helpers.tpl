{{/* Name of a component's objects: <release>-<component>, cut to 63 characters. */}}
{{- define "isthmus.fullname" -}}
{{- printf "%s-%s" .root.Release.Name .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "isthmus.labels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/part-of: isthmus
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{- define "isthmus.selectorLabels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{/* Secret that holds the database user and password. */}}
{{- define "isthmus.dbSecret" -}}
{{- if .Values.postgresql.existingSecret -}}
{{ .Values.postgresql.existingSecret }}
{{- else -}}
{{ printf "%s-db" .Release.Name | trunc 63 | trimSuffix "-" }}
{{- end -}}
{{- end -}}

{{/* Secret that holds the Keycloak client secrets of the nfvo and the vnfm. */}}
{{- define "isthmus.oidcSecret" -}}
{{- if .Values.keycloak.existingSecret -}}
{{ .Values.keycloak.existingSecret }}
{{- else -}}
{{ printf "%s-oidc" .Release.Name | trunc 63 | trimSuffix "-" }}
{{- end -}}
{{- end -}}

{{/* In-cluster URL of a component. */}}
{{- define "isthmus.url" -}}
{{- $svc := index .root.Values .name -}}
{{- printf "http://%s:%v" (include "isthmus.fullname" .) $svc.port -}}
{{- end -}}

{{/* Deployment and Service of one component; called with (dict "root" $ "name" "nfvo"). */}}
{{- define "isthmus.component" -}}
{{- $root := .root -}}
{{- $v := index $root.Values .name -}}
{{- if $v.enabled }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "isthmus.fullname" . }}
  labels:
    {{- include "isthmus.labels" . | nindent 4 }}
spec:
  replicas: {{ $v.replicas }}
  selector:
    matchLabels:
      {{- include "isthmus.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "isthmus.selectorLabels" . | nindent 8 }}
      {{- with $root.Values.common.podAnnotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    spec:
      {{- if and (eq .name "vim") $v.kubernetesDriver.enabled }}
      serviceAccountName: {{ include "isthmus.fullname" . }}
      {{- end }}
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ .name }}
          image: "{{ $root.Values.image.registry }}/{{ $root.Values.image.repositoryPrefix }}{{ .name }}:{{ $root.Values.image.tag | default $root.Chart.AppVersion }}"
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          ports:
            - name: http
              containerPort: {{ $v.port }}
          env:
            - name: ISTHMUS_DB_URL
              value: {{ $root.Values.postgresql.url | quote }}
            - name: ISTHMUS_DB_USER
              valueFrom:
                secretKeyRef:
                  name: {{ include "isthmus.dbSecret" $root }}
                  key: {{ $root.Values.postgresql.userKey }}
            - name: ISTHMUS_DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: {{ include "isthmus.dbSecret" $root }}
                  key: {{ $root.Values.postgresql.passwordKey }}
            - name: ISTHMUS_OIDC_URL
              value: {{ $root.Values.keycloak.oidcUrl | quote }}
            {{- if or (eq .name "nfvo") (eq .name "vnfm") }}
            # its own Keycloak client secret; the service does not start without it
            - name: ISTHMUS_{{ upper .name }}_CLIENT_SECRET
              valueFrom:
                secretKeyRef:
                  name: {{ include "isthmus.oidcSecret" $root }}
                  key: {{ index $root.Values.keycloak (printf "%sClientSecretKey" .name) }}
            # the key that seals subscribers' callback passwords at rest (SOL013 subscription authentication)
            - name: ISTHMUS_CALLBACK_SECRETS_KEY
              valueFrom:
                secretKeyRef:
                  name: {{ include "isthmus.oidcSecret" $root }}
                  key: {{ $root.Values.keycloak.callbackSecretsKeyKey }}
            # its own key for the secrets of VNF configurations (writeOnly in a VNF type's schema) at rest
            - name: ISTHMUS_{{ upper .name }}_SECRETS_KEY
              valueFrom:
                secretKeyRef:
                  name: {{ include "isthmus.oidcSecret" $root }}
                  key: {{ index $root.Values.keycloak (printf "%sSecretsKeyKey" .name) }}
            {{- end }}
            - name: ISTHMUS_NFVO_URL
              value: {{ include "isthmus.url" (dict "root" $root "name" "nfvo") | quote }}
            - name: ISTHMUS_VNFM_URL
              value: {{ include "isthmus.url" (dict "root" $root "name" "vnfm") | quote }}
            - name: ISTHMUS_VIM_URL
              value: {{ include "isthmus.url" (dict "root" $root "name" "vim") | quote }}
            - name: ISTHMUS_{{ upper .name }}_PORT
              value: {{ $v.port | quote }}
            {{- if eq .name "vim" }}
            - name: ISTHMUS_VIM_RUNTIME
              value: {{ $v.runtime | quote }}
            - name: ISTHMUS_VIM_RUNTIME_IMAGE
              value: {{ $v.runtimeImage | quote }}
            {{- end }}
            {{- with $root.Values.common.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
            {{- with $v.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          startupProbe:
            httpGet: {path: /q/health/started, port: http}
            periodSeconds: 5
            failureThreshold: 36
          readinessProbe:
            httpGet: {path: /q/health/ready, port: http}
            periodSeconds: 10
          livenessProbe:
            httpGet: {path: /q/health/live, port: http}
            periodSeconds: 20
          resources:
            {{- toYaml $v.resources | nindent 12 }}
          securityContext:
            {{- toYaml $root.Values.common.securityContext | nindent 12 }}
      {{- with $root.Values.common.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $root.Values.common.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $root.Values.common.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ include "isthmus.fullname" . }}
  labels:
    {{- include "isthmus.labels" . | nindent 4 }}
spec:
  type: {{ $v.service.type }}
  selector:
    {{- include "isthmus.selectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: {{ $v.port }}
      targetPort: http
{{- end }}
{{- end -}}
