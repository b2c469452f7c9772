"""The Grafana dashboard and the alert rules: they parse, and they query real metrics.

The metric catalogue is wirestream.common.metrics itself, so renaming a metric
there without updating the dashboard or the alerts fails here. With promtool
installed the PromQL is parsed too, and tests/deploy/alerts_test.yml checks
when each alert fires.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "deploy/grafana/wirestream-dashboard.json"
COMPOSE_RULES = ROOT / "deploy/compose/prometheus-rules.yml"
K8S_RULES = ROOT / "deploy/k8s/components/monitoring/prometheusrule.yaml"
PROMTOOL_HOW = "apt-get install prometheus (or put Prometheus' promtool on PATH)"

# Names a query may use besides the catalogue: FastStream's own metrics and
# what Prometheus and kube-state-metrics provide.
EXTERNAL = re.compile(r"^(faststream_\w+|up|kube_deployment_\w+)$")
# The metrics each required dashboard topic must chart.
REQUIRED_PANELS = {
    "throughput per stream": "wirestream_events_handled_total",
    "lag per group": "wirestream_consumer_lag",
    "pending per group": "wirestream_consumer_pending",
    "handler latency": "wirestream_handler_seconds_bucket",
    "dead letters": "wirestream_dead_letters_total",
    "outbox backlog": "wirestream_outbox_backlog",
    "deliveries by outcome": "wirestream_deliveries_total",
    "webhook refusals": "wirestream_http_refusals_total",
    "comments awaiting moderation": "wirestream_comments_pending",
    "pages rendered": "wirestream_pages_rendered_total",
}
REQUIRED_ALERTS = {
    "WirestreamConsumerLagHigh",
    "WirestreamDeadLettersGrowing",
    "WirestreamHandlerErrorRateHigh",
    "WirestreamSubscriberDeliveriesFailing",
    "WirestreamIngestRefusalsSpiking",
    "WirestreamServiceDown",
    "WirestreamServiceNotReady",
    "WirestreamOutboxBacklogGrowing",
}


def metrics_in(expr: str) -> set[str]:
    """Metric names in a PromQL expression (identifiers followed by a selector or range)."""
    names = set(re.findall(r"\b([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(?:\{|\[)", expr))
    names |= set(re.findall(r"\b(wirestream_[a-z0-9_]+|faststream_[a-z0-9_]+)\b", expr))
    return names - {"by", "without", "on", "ignoring", "group_left", "group_right"}


@pytest.fixture(scope="module")
def dashboard() -> dict[str, Any]:
    return json.loads(DASHBOARD.read_text())


@pytest.fixture(scope="module")
def panels(dashboard: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in dashboard["panels"] if p["type"] != "row"]


@pytest.fixture(scope="module")
def rules() -> list[dict[str, Any]]:
    return [r for g in yaml.safe_load(COMPOSE_RULES.read_text())["groups"] for r in g["rules"]]


# ---- dashboard ----


def test_dashboard_is_a_grafana_dashboard(dashboard: dict[str, Any]) -> None:
    assert 36 <= dashboard["schemaVersion"] <= 41
    assert dashboard["uid"] and dashboard["title"]
    assert dashboard["id"] is None, "exported for provisioning: no database id"
    variables = {v["name"]: v for v in dashboard["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource"
    assert variables["datasource"]["query"] == "prometheus"
    ids = [p["id"] for p in dashboard["panels"]]
    assert len(ids) == len(set(ids)), "panel ids must be unique"


def test_panels_lay_out_without_overlap(dashboard: dict[str, Any]) -> None:
    taken: set[tuple[int, int]] = set()
    for p in dashboard["panels"]:
        g = p["gridPos"]
        assert g["x"] + g["w"] <= 24, p["title"]
        cells = {
            (x, y) for x in range(g["x"], g["x"] + g["w"]) for y in range(g["y"], g["y"] + g["h"])
        }
        assert not cells & taken, f"{p['title']} overlaps another panel"
        taken |= cells


def test_every_panel_queries_a_catalogued_metric(
    panels: list[dict[str, Any]], metric_names: set[str]
) -> None:
    for panel in panels:
        assert panel["targets"], f"{panel['title']} has no query"
        assert panel["datasource"]["uid"] == "${datasource}", panel["title"]
        used: set[str] = set()
        for target in panel["targets"]:
            assert target["expr"].strip() and target["refId"]
            used |= metrics_in(target["expr"])
        unknown = {m for m in used if m not in metric_names and not EXTERNAL.match(m)}
        assert not unknown, f"{panel['title']} queries metrics nobody exports: {unknown}"
        assert used & metric_names, f"{panel['title']} charts no Wirestream metric"


@pytest.mark.parametrize("topic", sorted(REQUIRED_PANELS))
def test_dashboard_covers(topic: str, panels: list[dict[str, Any]]) -> None:
    metric = REQUIRED_PANELS[topic]
    exprs = [t["expr"] for p in panels for t in p["targets"]]
    assert any(metric in e for e in exprs), f"no panel for {topic} ({metric})"
    if topic == "handler latency":
        assert any("histogram_quantile(0.5," in e for e in exprs)
        assert any("histogram_quantile(0.99," in e for e in exprs)


# ---- alert rules ----


def test_prometheus_rule_matches_the_compose_rules() -> None:
    rule = yaml.safe_load(K8S_RULES.read_text())
    assert rule["apiVersion"] == "monitoring.coreos.com/v1" and rule["kind"] == "PrometheusRule"
    assert rule["spec"]["groups"] == yaml.safe_load(COMPOSE_RULES.read_text())["groups"], (
        "the PrometheusRule and deploy/compose/prometheus-rules.yml drifted apart"
    )


def test_every_alert_is_complete(rules: list[dict[str, Any]], metric_names: set[str]) -> None:
    alerts = {r["alert"]: r for r in rules}
    assert REQUIRED_ALERTS <= set(alerts)
    for name, rule in alerts.items():
        assert rule["expr"].strip(), name
        assert re.fullmatch(r"\d+[smh]", rule["for"]), f"{name}: for must be a duration"
        assert rule["labels"]["severity"] in ("warning", "critical"), name
        assert rule["annotations"]["summary"] and rule["annotations"]["description"], name
        used = metrics_in(rule["expr"])
        unknown = {m for m in used if m not in metric_names and not EXTERNAL.match(m)}
        assert not unknown, f"{name} uses metrics nobody exports: {unknown}"


def test_runbook_links_point_at_operations_doc(rules: list[dict[str, Any]]) -> None:
    doc = (ROOT / "docs/operations.md").read_text()
    anchors = {
        re.sub(r"[^a-z0-9 -]", "", h.lower()).strip().replace(" ", "-")
        for h in re.findall(r"^#+ (.+)$", doc, flags=re.M)
    }
    for rule in rules:
        link = rule["annotations"].get("runbook")
        if link:
            path, _, anchor = link.partition("#")
            assert path == "docs/operations.md" and anchor in anchors, link


# ---- promtool (parses PromQL and evaluates the alerts) ----


def test_promtool_checks_rules(tool) -> None:
    promtool = tool("promtool", PROMTOOL_HOW)
    out = subprocess.run(
        [promtool, "check", "rules", str(COMPOSE_RULES)], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_alerts_fire_when_they_should(tool, tmp_path: Path) -> None:
    promtool = tool("promtool", PROMTOOL_HOW)
    # promtool compares annotations exactly; the cases pin firing and labels,
    # so they run against the rules without their (templated) annotations.
    groups = yaml.safe_load(COMPOSE_RULES.read_text())
    for group in groups["groups"]:
        for rule in group["rules"]:
            rule.pop("annotations", None)
    (tmp_path / "rules.yml").write_text(yaml.safe_dump(groups))
    cases = yaml.safe_load((Path(__file__).parent / "alerts_test.yml").read_text())
    cases["rule_files"] = ["rules.yml"]
    (tmp_path / "cases.yml").write_text(yaml.safe_dump(cases))
    out = subprocess.run(
        [promtool, "test", "rules", "cases.yml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_dashboard_queries_are_valid_promql(
    tool, panels: list[dict[str, Any]], tmp_path: Path
) -> None:
    promtool = tool("promtool", PROMTOOL_HOW)
    # promtool parses expressions in rule files: wrap each query in a recording rule.
    records = [
        {"record": f"dashboard:query{i}", "expr": t["expr"].replace("$__rate_interval", "5m")}
        for i, t in enumerate(t for p in panels for t in p["targets"])
    ]
    path = tmp_path / "dashboard-rules.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": records}]}))
    out = subprocess.run(
        [promtool, "check", "rules", str(path)], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_compose_prometheus_config_is_valid(tool, tmp_path: Path) -> None:
    promtool = tool("promtool", PROMTOOL_HOW)
    config = yaml.safe_load((ROOT / "deploy/compose/prometheus.yml").read_text())
    # The rule file is mounted at an absolute path in the container: point at ours.
    config["rule_files"] = [str(COMPOSE_RULES)]
    path = tmp_path / "prometheus.yml"
    path.write_text(yaml.safe_dump(config))
    out = subprocess.run(
        [promtool, "check", "config", str(path)], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stdout + out.stderr
