"""The kustomize base, components and overlays, rendered with ``kubectl kustomize``.

Core resources are validated strictly against Kubernetes' own schemas with
kubernetes-validate; KEDA and Prometheus-operator resources (CRDs it has no
schema for) are checked structurally. Then the properties the platform relies
on: probes, limits, non-root, read-only root, graceful shutdown, one consumer
name per pod, secrets never committed, autoscalers on the right consumer groups.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from wirestream.common import streams

ROOT = Path(__file__).resolve().parents[2]
CRD_GROUPS = ("keda.sh", "monitoring.coreos.com")
VALIDATE_HOW = "pip install kubernetes-validate (the workspace's dev group has it)"
# The oldest Kubernetes we support; kubernetes-validate's newest is checked too.
MIN_KUBERNETES = "1.33.0"

# What each consumer service reads: (stream, consumer group), from libs/common.
CONSUMES = {
    "enrich": {(streams.ARTICLES_INGESTED, streams.GROUP_ENRICH)},
    "publish": {
        (streams.ARTICLES_ENRICHED, streams.GROUP_PUBLISH),
        (streams.COMMENTS, streams.GROUP_PUBLISH),
    },
    "comments": {(streams.ARTICLES_PUBLISHED, streams.GROUP_COMMENTS)},
}
SECRET_KEYS = {
    "redis-url",
    "admin-token",
    "vapid-private-key",
    "reader-secret",
    *(f"{s}-database-url" for s in ("ingest", "enrich", "publish", "comments")),
}


def of_kind(docs: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def is_crd(doc: dict[str, Any]) -> bool:
    return doc["apiVersion"].split("/")[0] in CRD_GROUPS


def workloads(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [d for d in docs if d["kind"] in ("Deployment", "StatefulSet")]


def server(deployment: dict[str, Any]) -> dict[str, Any]:
    return deployment["spec"]["template"]["spec"]["containers"][0]


def env_of(container: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["name"]: e for e in container.get("env", [])}


def configmap_values(docs: list[dict[str, Any]], container: dict[str, Any]) -> dict[str, str]:
    """The variables a container gets from the ConfigMaps in its envFrom."""
    maps = of_kind(docs, "ConfigMap")
    values: dict[str, str] = {}
    for source in container.get("envFrom", []):
        values.update(maps[source["configMapRef"]["name"]]["data"])
    return values


# ---- rendering and schema validation ----


def test_overlay_renders(render, overlay: str, ports: dict[str, int]) -> None:
    docs = render(overlay)
    assert set(of_kind(docs, "Deployment")) >= set(ports)
    namespaces = {d["metadata"].get("namespace") for d in docs if d["kind"] != "Namespace"}
    assert len(namespaces) == 1, f"everything in one namespace, got {namespaces}"


def kubernetes_validate(tool) -> list[str]:
    """The validator: this interpreter's module if installed, else the command."""
    if importlib.util.find_spec("kubernetes_validate") is not None:
        return [sys.executable, "-m", "kubernetes_validate"]
    return [tool("kubernetes-validate", VALIDATE_HOW)]


def test_core_resources_validate_strictly(render, overlay: str, tool, tmp_path: Path) -> None:
    validate = kubernetes_validate(tool)
    core = [d for d in render(overlay) if not is_crd(d)]
    manifest = tmp_path / f"{overlay}.yaml"
    manifest.write_text(yaml.safe_dump_all(core))
    # Against the oldest supported version and the validator's newest one.
    for version in ([MIN_KUBERNETES], []):
        args = [a for v in version for a in ("-k", v)]
        out = subprocess.run(
            [*validate, "--strict", "--quiet", *args, str(manifest)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert out.returncode == 0, out.stdout + out.stderr


def test_custom_resources_are_well_formed(render) -> None:
    """KEDA and Prometheus-operator kinds: the fields their controllers require."""
    docs = [d for d in render("production") if is_crd(d)]
    kinds = {d["kind"] for d in docs}
    assert kinds == {"ScaledObject", "ServiceMonitor", "PrometheusRule"}
    deployments = of_kind(render("production"), "Deployment")
    for doc in docs:
        assert doc["metadata"]["name"] and doc["metadata"]["namespace"] == "wirestream"
        spec = doc["spec"]
        if doc["kind"] == "ScaledObject":
            assert doc["apiVersion"] == "keda.sh/v1alpha1"
            assert spec["scaleTargetRef"]["name"] in deployments
            assert 1 <= spec["minReplicaCount"] <= spec["maxReplicaCount"]
            for trigger in spec["triggers"]:
                assert trigger["type"] in ("redis-streams", "cpu")
                assert all(isinstance(v, str) for v in trigger["metadata"].values()), (
                    "KEDA trigger metadata values must be strings"
                )
        elif doc["kind"] == "ServiceMonitor":
            assert doc["apiVersion"] == "monitoring.coreos.com/v1"
            assert spec["selector"]["matchLabels"]
            assert all(e["port"] and e["path"] == "/metrics" for e in spec["endpoints"])
        else:
            assert doc["apiVersion"] == "monitoring.coreos.com/v1"
            assert spec["groups"] and all(g["name"] and g["rules"] for g in spec["groups"])


# ---- pods: probes, resources, security ----


def test_every_workload_has_probes_and_limits(render, overlay: str) -> None:
    for workload in workloads(render(overlay)):
        name = workload["metadata"]["name"]
        for c in workload["spec"]["template"]["spec"]["containers"]:
            for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
                assert probe in c, f"{name}/{c['name']} lacks a {probe}"
            resources = c["resources"]
            assert {"cpu", "memory"} <= set(resources["requests"]), name
            assert {"cpu", "memory"} <= set(resources["limits"]), name


def test_every_workload_runs_locked_down(render, overlay: str) -> None:
    for workload in workloads(render(overlay)):
        name = workload["metadata"]["name"]
        pod = workload["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault", name
        assert pod["automountServiceAccountToken"] is False, name
        for c in pod["containers"]:
            sc = c["securityContext"]
            assert sc["readOnlyRootFilesystem"] is True, name
            assert sc["allowPrivilegeEscalation"] is False, name
            assert sc["capabilities"]["drop"] == ["ALL"], name


def test_service_probes_and_graceful_shutdown(
    render, overlay: str, service: str, ports: dict[str, int]
) -> None:
    docs = render(overlay)
    deployment = of_kind(docs, "Deployment")[service]
    pod = deployment["spec"]["template"]["spec"]
    c = server(deployment)
    assert c["ports"] == [{"name": "http", "containerPort": ports[service]}]
    assert c["livenessProbe"]["httpGet"]["path"] == "/health"
    assert c["readinessProbe"]["httpGet"]["path"] == "/ready"
    assert c["startupProbe"]["httpGet"]["path"] == "/health"
    settings = configmap_values(docs, c)
    assert settings["WIRESTREAM_PORT"] == str(ports[service])
    # Grace period > preStop sleep + the service's own graceful timeout.
    pre_stop = int(c["lifecycle"]["preStop"]["exec"]["command"][-1])
    graceful = float(settings["WIRESTREAM_GRACEFUL_TIMEOUT_S"])
    assert pod["terminationGracePeriodSeconds"] == 30
    assert pod["terminationGracePeriodSeconds"] > pre_stop + graceful
    # The only writable path is the /tmp emptyDir, where WIRESTREAM_DATA_DIR points.
    assert {"name": "tmp", "mountPath": "/tmp"} in c["volumeMounts"]
    assert any(v["name"] == "tmp" and "emptyDir" in v for v in pod["volumes"])
    assert settings["WIRESTREAM_DATA_DIR"].startswith("/tmp/")
    assert pod["securityContext"]["runAsUser"] == 10001


def test_consumer_name_is_the_pod_name(render, overlay: str, service: str) -> None:
    env = env_of(server(of_kind(render(overlay), "Deployment")[service]))
    assert env["POD_NAME"]["valueFrom"]["fieldRef"]["fieldPath"] == "metadata.name"
    assert env["WIRESTREAM_CONSUMER_NAME"]["value"] == "$(POD_NAME)"


def test_service_accounts_pdbs_and_services(
    render, overlay: str, service: str, ports: dict[str, int]
) -> None:
    docs = render(overlay)
    assert of_kind(docs, "ServiceAccount")[service]["automountServiceAccountToken"] is False
    assert (
        of_kind(docs, "Deployment")[service]["spec"]["template"]["spec"]["serviceAccountName"]
        == service
    )
    pdb = of_kind(docs, "PodDisruptionBudget")[service]
    assert pdb["spec"]["selector"]["matchLabels"] == {"app.kubernetes.io/name": service}
    svc = of_kind(docs, "Service")[service]
    assert svc["spec"]["ports"][0]["port"] == ports[service]


# ---- secrets ----


def test_deployments_take_secrets_from_wirestream_secrets(render, overlay: str) -> None:
    docs = render(overlay)
    secrets = of_kind(docs, "Secret")
    for name, deployment in of_kind(docs, "Deployment").items():
        env = env_of(server(deployment))
        for var in ("WIRESTREAM_REDIS_URL", "WIRESTREAM_DATABASE_URL", "WIRESTREAM_ADMIN_TOKEN"):
            ref = env[var]["valueFrom"]["secretKeyRef"]
            assert ref["name"].startswith("wirestream-secrets"), f"{name}: {var}"
            if overlay == "development":
                # The generated Secret (hash-suffixed) must hold every key referenced.
                assert ref["key"] in secrets[ref["name"]]["data"], f"{name}: {ref}"
        assert (
            env["WIRESTREAM_DATABASE_URL"]["valueFrom"]["secretKeyRef"]["key"]
            == f"{name}-database-url"
        ), "each service uses its own database"
    assert "WIRESTREAM_VAPID_PRIVATE_KEY" in env_of(server(of_kind(docs, "Deployment")["publish"]))


def test_development_secret_has_every_key(render) -> None:
    docs = render("development")
    secrets = [s for n, s in of_kind(docs, "Secret").items() if n.startswith("wirestream-secrets")]
    assert len(secrets) == 1
    keys = set(secrets[0]["data"])
    assert keys >= SECRET_KEYS
    # Every key a Deployment needs (not marked optional) is there.
    for name, deployment in of_kind(docs, "Deployment").items():
        for var in env_of(server(deployment)).values():
            ref = var.get("valueFrom", {}).get("secretKeyRef")
            if ref and ref["name"] == secrets[0]["metadata"]["name"] and not ref.get("optional"):
                assert ref["key"] in keys, f"{name} needs {ref['key']}"


def test_production_commits_no_secret(render) -> None:
    assert of_kind(render("production"), "Secret") == {}, (
        "production's Secret comes from outside the repository"
    )


# ---- network policies ----


def test_network_policies(render, overlay: str, service: str) -> None:
    docs = render(overlay)
    policies = of_kind(docs, "NetworkPolicy")
    deny = policies["default-deny"]["spec"]
    assert deny["podSelector"] == {} and set(deny["policyTypes"]) == {"Ingress", "Egress"}
    assert policies["allow-dns"]["spec"]["egress"][0]["ports"][0]["port"] == 53
    for shared in ("allow-datastores", "allow-prometheus-scrape"):
        selector = policies[shared]["spec"]["podSelector"]["matchExpressions"][0]
        assert service in selector["values"]
    egress_ports = {
        p["port"] for rule in policies["allow-datastores"]["spec"]["egress"] for p in rule["ports"]
    }
    assert egress_ports == {6379, 5432}
    own = policies[service]["spec"]
    assert own["podSelector"]["matchLabels"] == {"app.kubernetes.io/name": service}
    from_ingress = any(
        peer.get("namespaceSelector", {}).get("matchLabels", {}).get("kubernetes.io/metadata.name")
        == "ingress-nginx"
        for rule in own.get("ingress", [])
        for peer in rule["from"]
    )
    assert from_ingress == (service != "enrich"), "only the HTTP-facing services take ingress"
    https_out = [rule for rule in own.get("egress", []) if any(
        p["port"] == 443 for p in rule["ports"])]
    assert bool(https_out) == (service in ("publish", "enrich")), \
        "only publish (push) and enrich (translation) may call out over HTTPS"
    if service == "enrich":  # to the internet, never into the cluster's own ranges
        (rule,) = https_out
        (peer,) = rule["to"]
        assert peer["ipBlock"]["cidr"] == "0.0.0.0/0"
        assert {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16"} <= set(
            peer["ipBlock"]["except"])
        assert [p["port"] for p in rule["ports"]] == [443]


def test_production_reaches_managed_datastores_by_address(render) -> None:
    policy = of_kind(render("production"), "NetworkPolicy")["allow-datastores"]["spec"]
    for rule in policy["egress"]:
        assert all("ipBlock" in peer for peer in rule["to"])


# ---- autoscaling ----


@pytest.mark.parametrize("consumer", sorted(CONSUMES))
def test_consumer_scales_on_its_consumer_groups(render, consumer: str) -> None:
    docs = render("production")
    scaled = of_kind(docs, "ScaledObject")[consumer]
    assert scaled["spec"]["scaleTargetRef"]["name"] == consumer
    redis_triggers = [t for t in scaled["spec"]["triggers"] if t["type"] == "redis-streams"]
    watched = {(t["metadata"]["stream"], t["metadata"]["consumerGroup"]) for t in redis_triggers}
    assert watched == CONSUMES[consumer]
    container = server(of_kind(docs, "Deployment")[consumer])
    settings = configmap_values(docs, container)
    env = env_of(container)
    for trigger in redis_triggers:
        meta = trigger["metadata"]
        assert int(meta["lagCount"]) > int(meta["activationLagCount"]) >= 0
        # KEDA reads host:port from the scale target's environment.
        address = settings[meta["addressFromEnv"]]
        host, _, port = address.rpartition(":")
        assert host and port.isdigit(), address
        if "passwordFromEnv" in meta:
            assert meta["passwordFromEnv"] in env


def test_http_facing_consumers_also_scale_on_cpu(render) -> None:
    scaled = of_kind(render("production"), "ScaledObject")
    for service in ("publish", "comments"):
        assert any(t["type"] == "cpu" for t in scaled[service]["spec"]["triggers"])
        assert scaled[service]["spec"]["minReplicaCount"] >= 2


def test_one_autoscaler_per_deployment(render) -> None:
    docs = render("production")
    targets = [
        d["spec"]["scaleTargetRef"]["name"]
        for d in docs
        if d["kind"] in ("ScaledObject", "HorizontalPodAutoscaler")
    ]
    assert sorted(targets) == sorted(set(targets)), "two autoscalers target one Deployment"
    assert set(targets) == set(of_kind(docs, "Deployment"))
    hpa = of_kind(docs, "HorizontalPodAutoscaler")["ingest"]["spec"]
    assert hpa["metrics"][0]["resource"]["name"] == "cpu"
    # Replica counts belong to the autoscalers, not to the Deployments.
    assert all("replicas" not in d["spec"] for d in of_kind(docs, "Deployment").values())


def test_development_runs_one_replica_without_crds(render) -> None:
    docs = render("development")
    assert not [d for d in docs if is_crd(d)], "development must apply without KEDA or the operator"
    assert {d["spec"]["replicas"] for d in of_kind(docs, "Deployment").values()} == {1}
    assert {"redis", "postgres"} <= set(of_kind(docs, "StatefulSet"))


def test_development_redis_keeps_streams(render) -> None:
    redis = of_kind(render("development"), "StatefulSet")["redis"]
    args = " ".join(server(redis)["args"])
    for flag in ("--appendonly yes", "--appendfsync everysec", "--maxmemory-policy noeviction"):
        assert flag in args


# ---- monitoring resources ----


def test_a_service_monitor_per_service(render, service: str) -> None:
    docs = render("production")
    monitor = of_kind(docs, "ServiceMonitor")[service]["spec"]
    svc = of_kind(docs, "Service")[service]
    labels = svc["metadata"]["labels"]
    assert all(labels.get(k) == v for k, v in monitor["selector"]["matchLabels"].items())
    assert monitor["endpoints"][0]["port"] == svc["spec"]["ports"][0]["name"]


def test_external_scorer_component_lets_only_comments_out(tmp_path: Path, tool) -> None:
    kubectl = tool("kubectl", "install kubectl (it embeds kustomize)")
    # kustomize only loads files under the kustomization's root: copy the tree.
    tree = tmp_path / "k8s"
    shutil.copytree(ROOT / "deploy/k8s", tree)
    overlay = tree / "overlays/with-scorer"
    overlay.mkdir()
    (overlay / "kustomization.yaml").write_text(
        "resources: [../production]\ncomponents: [../../components/external-scorer]\n"
    )
    out = subprocess.run(
        [kubectl, "kustomize", str(overlay)], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    policy = of_kind([d for d in yaml.safe_load_all(out.stdout) if d], "NetworkPolicy")[
        "comments-external-scorer"
    ]["spec"]
    assert policy["podSelector"]["matchLabels"] == {"app.kubernetes.io/name": "comments"}
    assert [p["port"] for rule in policy["egress"] for p in rule["ports"]] == [443]
