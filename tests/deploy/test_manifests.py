"""Cross-check the rendered Kustomize overlays against each other and the app.

Each overlay under k8s/overlays is rendered with `kubectl kustomize`, so the
checks see exactly what an operator applies. Tests skip when kubectl is not
installed, and ci/manifest-check.sh runs them where it is.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

# PyYAML is not among the app's requirements, so ci/manifest-check.sh installs it.
yaml = pytest.importorskip("yaml", reason="PyYAML is needed to read manifests")

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
OVERLAYS = ["openshift", "kubernetes"]
APP_IMAGE_NAMES = {
    "openshift": "dogsite:latest",
    "kubernetes": "registry.example.com/dogsite/dogsite:1.0.0",
}
WORKLOAD_KINDS = {"Deployment", "Job", "CronJob"}
# Example Secrets may contain only these placeholder values.
PLACEHOLDER = re.compile(r"REPLACE_WITH_[A-Z_]+")


def render(overlay):
    """Return the documents that `kubectl kustomize` renders for *overlay*."""
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not installed; ci/manifest-check.sh needs it")
    result = subprocess.run(
        [kubectl, "kustomize", str(REPOSITORY_ROOT / "k8s" / "overlays" / overlay)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return [document for document in yaml.safe_load_all(result.stdout) if document]


@pytest.fixture(scope="module", params=OVERLAYS)
def overlay(request):
    return request.param


@pytest.fixture(scope="module")
def documents(overlay):
    return render(overlay)


def find(documents, kind, name):
    matches = [
        document
        for document in documents
        if document["kind"] == kind and document["metadata"]["name"] == name
    ]
    assert len(matches) == 1, f"expected one {kind} {name}, found {len(matches)}"
    return matches[0]


def pod_spec(workload):
    if workload["kind"] == "CronJob":
        return workload["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return workload["spec"]["template"]["spec"]


def pod_labels(workload):
    if workload["kind"] == "CronJob":
        return workload["spec"]["jobTemplate"]["spec"]["template"]["metadata"]["labels"]
    return workload["spec"]["template"]["metadata"]["labels"]


def all_containers(workload):
    spec = pod_spec(workload)
    return spec.get("initContainers", []) + spec["containers"]


def workloads(documents):
    return [document for document in documents if document["kind"] in WORKLOAD_KINDS]


def labels_match(selector_labels, labels):
    return all(labels.get(key) == value for key, value in selector_labels.items())


def config_data(documents):
    """Return the data of the generated dogsite-config ConfigMap."""
    maps = [
        document
        for document in documents
        if document["kind"] == "ConfigMap"
        and document["metadata"]["name"].startswith("dogsite-config")
    ]
    assert len(maps) == 1
    return maps[0]["data"]


def public_host(documents, overlay):
    if overlay == "openshift":
        return find(documents, "Route", "dogsite")["spec"]["host"]
    return find(documents, "Ingress", "dogsite")["spec"]["rules"][0]["host"]


# Selectors and ports


def test_deployment_selectors_match_pod_labels(documents):
    for deployment in [d for d in documents if d["kind"] == "Deployment"]:
        selector = deployment["spec"]["selector"]["matchLabels"]
        labels = deployment["spec"]["template"]["metadata"]["labels"]

        assert labels_match(selector, labels), deployment["metadata"]["name"]


def test_services_select_a_deployment(documents):
    deployments = [d for d in documents if d["kind"] == "Deployment"]
    for service in [d for d in documents if d["kind"] == "Service"]:
        selector = service["spec"]["selector"]
        selected = [d for d in deployments if labels_match(selector, pod_labels(d))]

        assert len(selected) == 1, service["metadata"]["name"]


def test_service_ports_name_container_ports(documents):
    deployments = [d for d in documents if d["kind"] == "Deployment"]
    for service in [d for d in documents if d["kind"] == "Service"]:
        (deployment,) = [
            d
            for d in deployments
            if labels_match(service["spec"]["selector"], pod_labels(d))
        ]
        container_ports = {
            port["name"]: port["containerPort"]
            for container in pod_spec(deployment)["containers"]
            for port in container.get("ports", [])
        }
        for port in service["spec"]["ports"]:
            assert port["targetPort"] in container_ports, service["metadata"]["name"]


def test_web_listens_on_port_8080(documents):
    web = find(documents, "Deployment", "dogsite-web")
    (container,) = [c for c in pod_spec(web)["containers"] if c["name"] == "web"]

    assert container["ports"] == [
        {"name": "http", "containerPort": 8080, "protocol": "TCP"}
    ]


def test_route_or_ingress_targets_web_port(documents, overlay):
    service = find(documents, "Service", "dogsite-web")
    port_names = {port["name"] for port in service["spec"]["ports"]}

    if overlay == "openshift":
        route = find(documents, "Route", "dogsite")
        assert route["spec"]["to"]["name"] == "dogsite-web"
        assert route["spec"]["port"]["targetPort"] in port_names
        assert route["spec"]["tls"]["termination"] == "edge"
        assert route["spec"]["tls"]["insecureEdgeTerminationPolicy"] == "Redirect"
    else:
        ingress = find(documents, "Ingress", "dogsite")
        backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]
        assert backend["service"]["name"] == "dogsite-web"
        assert backend["service"]["port"]["name"] in port_names
        assert ingress["spec"]["tls"][0]["hosts"] == [public_host(documents, overlay)]


def test_autoscaler_and_budget_select_web(documents):
    web = find(documents, "Deployment", "dogsite-web")
    autoscaler = find(documents, "HorizontalPodAutoscaler", "dogsite-web")
    budget = find(documents, "PodDisruptionBudget", "dogsite-web")

    assert autoscaler["spec"]["scaleTargetRef"]["name"] == "dogsite-web"
    assert autoscaler["spec"]["minReplicas"] >= 2
    assert labels_match(budget["spec"]["selector"]["matchLabels"], pod_labels(web))


def test_network_policies_select_pods(documents):
    pods = [pod_labels(w) for w in workloads(documents)]
    for policy in [d for d in documents if d["kind"] == "NetworkPolicy"]:
        selector = policy["spec"]["podSelector"]["matchLabels"]

        assert any(labels_match(selector, labels) for labels in pods), policy[
            "metadata"
        ]["name"]


def test_default_deny_covers_every_pod(documents):
    policy = find(documents, "NetworkPolicy", "dogsite-default-deny")
    selector = policy["spec"]["podSelector"]["matchLabels"]

    for workload in workloads(documents):
        assert labels_match(selector, pod_labels(workload)), workload["metadata"][
            "name"
        ]


def test_web_egress_allows_dns_and_https(documents):
    policy = find(documents, "NetworkPolicy", "dogsite-web-egress")
    ports = {
        (port["protocol"], port["port"])
        for rule in policy["spec"]["egress"]
        for port in rule["ports"]
    }

    for expected in [
        ("UDP", 53),
        ("UDP", 5353),
        ("TCP", 5432),
        ("TCP", 6379),
        ("TCP", 443),
    ]:
        assert expected in ports


# Web Deployment


def test_web_rollout_keeps_capacity(documents):
    web = find(documents, "Deployment", "dogsite-web")

    assert web["spec"]["replicas"] >= 2
    assert web["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0


def test_web_probes_use_health_paths(documents):
    web = find(documents, "Deployment", "dogsite-web")
    (container,) = [c for c in pod_spec(web)["containers"] if c["name"] == "web"]

    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["startupProbe"]["httpGet"]["path"] == "/healthz"
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        assert container[probe]["httpGet"]["port"] == "http"


def test_web_drains_before_stopping(documents):
    web = find(documents, "Deployment", "dogsite-web")
    spec = pod_spec(web)
    (container,) = [c for c in spec["containers"] if c["name"] == "web"]
    pause = int(container["lifecycle"]["preStop"]["exec"]["command"][-1])

    # gunicorn.conf.py gives requests in flight 20 s after SIGTERM.
    assert spec["terminationGracePeriodSeconds"] > pause + 20


def test_web_waits_for_migrations(documents):
    web = find(documents, "Deployment", "dogsite-web")
    (init,) = pod_spec(web)["initContainers"]

    assert "migrate --check" in " ".join(init["command"])


def test_web_spreads_over_zones_and_nodes(documents):
    web = find(documents, "Deployment", "dogsite-web")
    keys = {c["topologyKey"] for c in pod_spec(web)["topologySpreadConstraints"]}

    assert keys == {"topology.kubernetes.io/zone", "kubernetes.io/hostname"}


# Every container


# Plain Kubernetes assigns no user, so there the bundled third-party images
# must name the user they were built for.
BUNDLED_SERVICE_IDS = {"redis": (999, None), "postgresql": (26, 26)}


def test_containers_have_restricted_security_context(documents, overlay):
    for workload in workloads(documents):
        name = workload["metadata"]["name"]
        spec = pod_spec(workload)
        pod_context = spec["securityContext"]

        assert pod_context["runAsNonRoot"] is True, name
        assert pod_context["seccompProfile"]["type"] == "RuntimeDefault", name
        if overlay == "kubernetes" and name in BUNDLED_SERVICE_IDS:
            continue
        for forbidden in ("runAsUser", "runAsGroup", "fsGroup"):
            assert forbidden not in pod_context, f"{name} sets {forbidden}"
        for container in all_containers(workload):
            context = container["securityContext"]
            assert context["allowPrivilegeEscalation"] is False, container["name"]
            assert context["capabilities"]["drop"] == ["ALL"], container["name"]
            assert "add" not in context["capabilities"], container["name"]
            assert "runAsUser" not in context, container["name"]


def test_bundled_services_name_users_on_kubernetes():
    workloads_by_name = {
        workload["metadata"]["name"]: workload
        for workload in workloads(render("kubernetes"))
    }

    for name, (user, fs_group) in BUNDLED_SERVICE_IDS.items():
        context = pod_spec(workloads_by_name[name])["securityContext"]
        assert context["runAsUser"] == user, name
        assert context.get("fsGroup") == fs_group, name


def test_app_containers_have_read_only_root(documents, overlay):
    for workload in workloads(documents):
        spec = pod_spec(workload)
        mounted_tmp = {
            volume["name"] for volume in spec.get("volumes", []) if "emptyDir" in volume
        }
        for container in all_containers(workload):
            if container["image"] != APP_IMAGE_NAMES[overlay]:
                continue
            assert container["securityContext"]["readOnlyRootFilesystem"] is True
            tmp_mounts = [
                mount
                for mount in container["volumeMounts"]
                if mount["mountPath"] == "/tmp"
            ]
            assert len(tmp_mounts) == 1, container["name"]
            assert tmp_mounts[0]["name"] in mounted_tmp, container["name"]


def test_containers_have_requests_and_limits(documents):
    for workload in workloads(documents):
        for container in all_containers(workload):
            resources = container["resources"]
            for section in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(resources[section]), container["name"]


def test_app_containers_read_config_and_secret(documents):
    config_name = next(
        d["metadata"]["name"]
        for d in documents
        if d["kind"] == "ConfigMap"
        and d["metadata"]["name"].startswith("dogsite-config")
    )
    for workload in workloads(documents):
        if not workload["metadata"]["name"].startswith("dogsite-"):
            continue
        for container in all_containers(workload):
            sources = container["envFrom"]
            assert sources[0] == {"configMapRef": {"name": config_name}}
            # The Secret comes last so its keys win over the ConfigMap's.
            assert sources[-1] == {"secretRef": {"name": "dogsite-secrets"}}


def test_service_account_token_not_mounted(documents):
    for workload in workloads(documents):
        assert pod_spec(workload)["automountServiceAccountToken"] is False


# Job and CronJob


def test_migrate_job_runs_migrate(documents):
    job = find(documents, "Job", "dogsite-migrate")
    (container,) = pod_spec(job)["containers"]

    assert container["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert job["spec"]["parallelism"] == 1
    assert job["spec"]["backoffLimit"] >= 1
    assert job["spec"]["ttlSecondsAfterFinished"] > 0
    assert pod_spec(job)["restartPolicy"] == "Never"


def test_only_the_job_migrates(documents):
    for workload in workloads(documents):
        if workload["metadata"]["name"] == "dogsite-migrate":
            continue
        for container in pod_spec(workload)["containers"]:
            command = " ".join(container.get("command", []) + container.get("args", []))
            assert "migrate --noinput" not in command, workload["metadata"]["name"]


def test_sync_cronjob_runs_sync_then_warm(documents):
    cronjob = find(documents, "CronJob", "dogsite-sync")
    (container,) = pod_spec(cronjob)["containers"]
    script = container["command"][-1]

    assert script.index("sync_breeds") < script.index("warm_image_cache")
    assert "&&" in script


def test_sync_cronjob_limits(documents):
    cronjob = find(documents, "CronJob", "dogsite-sync")
    spec = cronjob["spec"]

    assert spec["concurrencyPolicy"] == "Forbid"
    assert spec["startingDeadlineSeconds"] > 0
    assert spec["successfulJobsHistoryLimit"] >= 1
    assert spec["failedJobsHistoryLimit"] >= 1
    assert spec["jobTemplate"]["spec"]["activeDeadlineSeconds"] > 0


# Settings behind the router


def test_config_trusts_the_public_host(documents, overlay):
    host = public_host(documents, overlay)
    data = config_data(documents)

    assert data["ALLOWED_HOSTS"] == host
    assert data["CSRF_TRUSTED_ORIGINS"] == f"https://{host}"


def test_config_secures_cookies_and_tls(documents):
    data = config_data(documents)

    assert data["DEBUG"] == "false"
    assert data["SECURE_PROXY_SSL_HEADER_ENABLED"] == "true"
    assert data["SECURE_SSL_REDIRECT"] == "true"
    assert data["SESSION_COOKIE_SECURE"] == "true"
    assert data["CSRF_COOKIE_SECURE"] == "true"
    assert int(data["SECURE_HSTS_SECONDS"]) > 0


def test_config_holds_no_secret(documents):
    data = config_data(documents)

    for key in ("SECRET_KEY", "DATABASE_URL", "DJANGO_SUPERUSER_PASSWORD"):
        assert key not in data


# Secrets


def test_overlays_render_no_secret(documents):
    kinds = {document["kind"] for document in documents}

    assert "Secret" not in kinds


def test_example_secrets_hold_placeholders():
    examples = sorted((REPOSITORY_ROOT / "k8s").rglob("*.yaml"))
    secrets = [
        (path, document)
        for path in examples
        for document in yaml.safe_load_all(path.read_text())
        if document and document.get("kind") == "Secret"
    ]
    assert secrets, "no example Secret found under k8s/"

    for path, secret in secrets:
        assert "data" not in secret, f"{path} has base64 data"
        for key, value in secret["stringData"].items():
            if key.endswith(("PASSWORD", "SECRET_KEY", "_URL")):
                assert PLACEHOLDER.search(value), f"{path}: {key} is not a placeholder"


# OpenShift build


def test_buildconfig_feeds_the_image_trigger():
    documents = render("openshift")
    build = find(documents, "BuildConfig", "dogsite")
    stream = find(documents, "ImageStream", "dogsite")
    web = find(documents, "Deployment", "dogsite-web")
    triggers = yaml.safe_load(
        web["metadata"]["annotations"]["image.openshift.io/triggers"]
    )

    assert build["spec"]["strategy"]["dockerStrategy"]["dockerfilePath"] == "Dockerfile"
    assert build["spec"]["output"]["to"]["name"] == "dogsite:latest"
    assert stream["spec"]["lookupPolicy"]["local"] is True
    assert {trigger["from"]["name"] for trigger in triggers} == {"dogsite:latest"}
    assert len(triggers) == len(all_containers(web))


# The app behind the manifests


@pytest.mark.django_db
def test_probe_paths_answer_with_pod_ip_host(client, settings):
    # As in production: a Host that is not allowed, and a plain-HTTP request
    # that SECURE_SSL_REDIRECT would otherwise redirect.
    settings.ALLOWED_HOSTS = ["dogsite.example.com"]
    settings.SECURE_SSL_REDIRECT = True
    documents = render("kubernetes")
    web = find(documents, "Deployment", "dogsite-web")
    (container,) = [c for c in pod_spec(web)["containers"] if c["name"] == "web"]
    paths = {
        container[probe]["httpGet"]["path"]
        for probe in ("readinessProbe", "livenessProbe", "startupProbe")
    }

    for path in sorted(paths):
        response = client.get(path, HTTP_HOST="10.128.2.15:8080")
        assert response.status_code == 200, path
