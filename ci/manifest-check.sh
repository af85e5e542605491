#!/usr/bin/env bash
# Check the Kustomize manifests under k8s/: yamllint, rendering of every
# overlay, strict schema validation (Kubernetes kinds with
# kubernetes-validate, OpenShift kinds with check-jsonschema), checkov with
# the skip list in k8s/.checkov.yaml, and the cross-checks in
# tests/deploy/test_manifests.py.
#
# Python tools go into virtual environments under build/, made once and
# reused while the pinned versions below stay the same.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR="$REPO_ROOT/build"
RENDER_DIR="$BUILD_DIR/rendered"
OPENSHIFT_SCHEMAS="$REPO_ROOT/../shared/schemas/openshift-v4.15"
OVERLAYS=(openshift kubernetes)
# OpenShift 4.15 runs Kubernetes 1.28. The newest release that
# kubernetes-validate 1.37 bundles is checked too, to catch removed fields.
KUBERNETES_VERSIONS=(1.28.0 1.37.0)

TOOLS=(PyYAML==6.0.4 yamllint==1.38.0 kubernetes-validate==1.37.0 check-jsonschema==0.39.0)
# checkov pins many libraries of its own, so it gets a separate environment.
CHECKOV=(checkov==3.3.30)

step() { printf '\n==> %s\n' "$*"; }

# Create or reuse a venv, and reinstall only when the requested packages change.
ensure_venv() {
  local venv=$1
  shift
  local stamp="$venv/.requested"
  local requested
  requested=$(printf '%s\n' "$@" | sort)
  if [[ -f $stamp && $(cat "$stamp") == "$requested" ]]; then
    return
  fi
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "$@"
  printf '%s' "$requested" >"$stamp"
}

step "Installing the checking tools under build/"
KUBECTL=$(command -v kubectl || true)
if [[ -z $KUBECTL ]]; then
  echo "kubectl not found: install it (these machines have /usr/bin/kubectl)" >&2
  exit 1
fi
ensure_venv "$BUILD_DIR/venv-manifests" "${TOOLS[@]}" -r "$REPO_ROOT/requirements-dev.txt"
ensure_venv "$BUILD_DIR/venv-checkov" "${CHECKOV[@]}"
TOOLS_BIN="$BUILD_DIR/venv-manifests/bin"
"$KUBECTL" version --client | head -n 2

step "yamllint k8s/"
"$TOOLS_BIN/yamllint" --strict -c "$REPO_ROOT/k8s/.yamllint.yaml" "$REPO_ROOT/k8s"
echo "ok: yamllint found no problems"

step "Rendering every overlay with kubectl kustomize"
rm -rf "$RENDER_DIR"
mkdir -p "$RENDER_DIR"
for overlay in "${OVERLAYS[@]}"; do
  "$KUBECTL" kustomize "$REPO_ROOT/k8s/overlays/$overlay" >"$RENDER_DIR/$overlay.yaml"
  "$TOOLS_BIN/python" "$REPO_ROOT/ci/split_manifests.py" \
    "$RENDER_DIR/$overlay.yaml" "$RENDER_DIR/$overlay"
  echo "ok: $overlay renders $(ls "$RENDER_DIR/$overlay" | wc -l) resources"
done

step "Validating Kubernetes kinds with kubernetes-validate --strict"
for overlay in "${OVERLAYS[@]}"; do
  core_files=()
  while IFS= read -r file; do core_files+=("$file"); done < <(
    find "$RENDER_DIR/$overlay" -name '*.yaml' \
      ! -name 'Route-*' ! -name 'ImageStream-*' ! -name 'BuildConfig-*' | sort
  )
  for version in "${KUBERNETES_VERSIONS[@]}"; do
    "$TOOLS_BIN/kubernetes-validate" --strict --quiet -k "$version" "${core_files[@]}"
    echo "ok: $overlay, ${#core_files[@]} resources, Kubernetes $version"
  done
done

step "Validating OpenShift kinds against the OpenShift 4.15 JSON schemas"
if [[ -d $OPENSHIFT_SCHEMAS ]]; then
  for kind_schema in \
    Route:route_route.openshift.io_v1.json \
    ImageStream:imagestream_image.openshift.io_v1.json \
    BuildConfig:buildconfig_build.openshift.io_v1.json; do
    kind=${kind_schema%%:*}
    files=("$RENDER_DIR"/openshift/"$kind"-*.yaml)
    printf "%s: " "$kind"
    "$TOOLS_BIN/check-jsonschema" --schemafile "$OPENSHIFT_SCHEMAS/${kind_schema#*:}" "${files[@]}"
  done
else
  echo "SKIPPED: $OPENSHIFT_SCHEMAS not found, so Route, ImageStream and"
  echo "BuildConfig are not validated. CI has it beside the repository."
fi

step "Scanning with checkov (skip list and reasons: k8s/.checkov.yaml)"
for overlay in "${OVERLAYS[@]}"; do
  "$BUILD_DIR/venv-checkov/bin/checkov" --config-file "$REPO_ROOT/k8s/.checkov.yaml" \
    --quiet --compact -f "$RENDER_DIR/$overlay.yaml"
  echo "ok: checkov found no failed checks in $overlay"
done

step "Cross-checking the manifests with pytest (tests/deploy)"
cd "$REPO_ROOT"
"$TOOLS_BIN/python" -m pytest -q -p no:cacheprovider tests/deploy

step "Manifest checks passed"
