"""The Helm chart (deploy/helm/copydesk), checked without a cluster.

`make helm-check` lints and renders the chart (default values, every optional part on, and
operator-managed parts) and validates every manifest against the Kubernetes schemas; the
tests below then read those renders and check that the parts fit together: the API reaches
LanguageTool through its Service, each tier scales on its own, only the API may reach
LanguageTool, the pods run as the images' non-root users on read-only root file systems.
"""

from __future__ import annotations

import math
import random
import re
import socket
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
import yaml
from support import languagetool_properties

from service.edge.keys import KeyRing
from service.settings import PROJECT_ROOT, Settings

RENDERS = PROJECT_ROOT / ".cache" / "helm-check"
CHART = PROJECT_ROOT / "deploy" / "helm" / "copydesk"
HOUSE_PACK = PROJECT_ROOT / "custom-rules" / "house.yaml"
README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
NEWEST = "1.37.0"


@pytest.fixture(scope="module")
def helm_check() -> subprocess.CompletedProcess[str]:
    return subprocess.run(["make", "--no-print-directory", "helm-check"], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=1800)


def render(helm_check: subprocess.CompletedProcess[str], values: str) -> dict[tuple[str, str], dict]:
    assert helm_check.returncode == 0, helm_check.stdout + helm_check.stderr
    documents = [d for d in yaml.safe_load_all((RENDERS / f"{values}-{NEWEST}.yaml").read_text()) if d]
    return {(d["kind"], d["metadata"]["name"]): d for d in documents}


def container(deployment: dict) -> dict:
    (only,) = deployment["spec"]["template"]["spec"]["containers"]
    return only


def env(deployment: dict) -> dict[str, str]:
    return {item["name"]: item["value"] for item in container(deployment)["env"]}


def dockerfile_uid(name: str) -> int:
    users = [line.split()[1] for line in (PROJECT_ROOT / name).read_text().splitlines() if line.startswith("USER ")]
    return int(users[-1])


def selects(selector: dict, labels: dict) -> bool:
    return selector.items() <= labels.items()


def keys_secret(api: dict, variable: str) -> tuple[Path, str]:
    """The keys file the setting `variable` names on the API's pods, and the Secret mounted
    read-only at its folder."""
    path = Path(env(api)[variable])
    (mount,) = [m for m in container(api)["volumeMounts"] if m["mountPath"] == str(path.parent)]
    assert mount["readOnly"] is True
    volumes = {v["name"]: v for v in api["spec"]["template"]["spec"]["volumes"]}
    return path, volumes[mount["name"]]["secret"]["secretName"]


def rendered_keys(secret: dict, path: Path, variable: str, folder: Path) -> KeyRing:
    """The keys copydesk reads from the file at `path`, as the rendered `secret` holds it."""
    (folder / path.name).write_text(secret["stringData"][path.name])
    return KeyRing.load(folder / path.name, variable)


def helm_template(*arguments: str) -> subprocess.CompletedProcess[str]:
    """The chart rendered with the default values and `arguments`."""
    return subprocess.run([str(PROJECT_ROOT / ".cache" / "bin" / "helm"), "template", "copydesk", str(CHART),
                           "--kube-version", NEWEST, *arguments], capture_output=True, text=True, timeout=120)


def pods(manifests: dict[tuple[str, str], dict]) -> dict[str, dict]:
    """The pod templates of every workload rendered, by the workload's name."""
    return {name: d["spec"]["template"] for (_, name), d in manifests.items() if "template" in d.get("spec", {})}


def test_helm_check_lints_renders_and_validates_every_manifest(helm_check) -> None:
    assert helm_check.returncode == 0, helm_check.stdout + helm_check.stderr
    summary = [line for line in helm_check.stdout.splitlines() if " manifests " in line]
    # three sets of values, each for the oldest and the newest Kubernetes the chart supports
    assert len(summary) == 6, helm_check.stdout
    assert all(line.endswith(", 0 invalid") for line in summary), summary
    # kube-score on the chart's own parts, with its checks that do not apply ignored (scripts/helm-check)
    scored = [line for line in helm_check.stdout.splitlines() if line.startswith("helm-check: kube-score")]
    assert scored == [f"helm-check: kube-score, {values} values: 0 problems" for values in ("default", "all-on")]


def test_kube_score_refuses_a_liveness_probe_that_is_the_readiness_probe(helm_check, tmp_path: Path) -> None:
    """A liveness probe that fails when readiness does restarts a pod that is only busy (as the chart's
    LanguageTool probe once did): kube-score, which helm-check runs, says so, with the checks it ignores."""
    manifests = render(helm_check, "default")
    tier = [manifests[(kind, "copydesk-languagetool")] for kind in ("Deployment", "PodDisruptionBudget",
                                                                     "HorizontalPodAutoscaler", "Service")]
    manifest = tmp_path / "languagetool.yaml"

    def scored() -> subprocess.CompletedProcess[str]:
        manifest.write_text(yaml.safe_dump_all(tier))
        return subprocess.run([str(PROJECT_ROOT / ".venv" / "bin" / "python"), "scripts/helm-check", "--score",
                               str(manifest)], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)

    taken = scored()
    assert taken.returncode == 0, taken.stderr
    container(tier[0])["livenessProbe"] = container(tier[0])["readinessProbe"]
    refused = scored()
    assert refused.returncode == 1 and "the same readiness and liveness probe" in refused.stderr, refused.stderr


def test_validation_rejects_what_kubernetes_would(tmp_path: Path) -> None:
    broken = {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "broken"},
        "spec": {"selector": {"matchLabels": {"a": "b"}}, "template": {
            "metadata": {"labels": {"a": "b"}},
            "spec": {"containers": [{"name": "x", "image": "y", "readinessProbe": {"httpGet": {
                "path": "/readyz", "port": 8000}, "initialDelay": 5}}]}}},
    }
    manifest = tmp_path / "broken.yaml"
    manifest.write_text(yaml.safe_dump(broken))
    result = subprocess.run([str(PROJECT_ROOT / ".venv" / "bin" / "python"), "scripts/helm-check", "--validate",
                             str(manifest)], cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    assert "Deployment/broken" in result.stderr and "initialDelay" in result.stderr, result.stderr


def test_api_and_languagetool_are_separate_deployments_each_with_its_own_autoscaler(helm_check) -> None:
    manifests = render(helm_check, "default")
    deployments = {name: d for (kind, name), d in manifests.items() if kind == "Deployment"}
    assert set(deployments) == {"copydesk-api", "copydesk-languagetool"}
    for name, deployment in deployments.items():
        assert "replicas" not in deployment["spec"]  # the autoscaler owns the count
        hpa = manifests[("HorizontalPodAutoscaler", name)]
        assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": name}
        assert 1 < hpa["spec"]["minReplicas"] < hpa["spec"]["maxReplicas"]
        pdb = manifests[("PodDisruptionBudget", name)]
        pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert selects(pdb["spec"]["selector"]["matchLabels"], pod_labels)
        # Unready pods may always be evicted: a budget that waited for pods that cannot become ready
        # (a LanguageTool that cannot load its rules) would hold every node drain that long.
        assert pdb["spec"]["unhealthyPodEvictionPolicy"] == "AlwaysAllow"
        assert container(deployment)["resources"]["requests"]["cpu"]  # HPA utilization needs requests
    external = render(helm_check, "external")
    assert not [key for key in external if key[0] in ("HorizontalPodAutoscaler", "PodDisruptionBudget")]
    assert external[("Deployment", "copydesk-api")]["spec"]["replicas"] == 3


def test_api_reaches_languagetool_through_its_service(helm_check) -> None:
    manifests = render(helm_check, "default")
    url = urlsplit(env(manifests[("Deployment", "copydesk-api")])["COPYDESK_LANGUAGETOOL_URL"])
    service = manifests[("Service", url.hostname)]
    (port,) = service["spec"]["ports"]
    assert port["port"] == url.port
    languagetool = manifests[("Deployment", "copydesk-languagetool")]
    assert selects(service["spec"]["selector"], languagetool["spec"]["template"]["metadata"]["labels"])
    assert port["targetPort"] in [p["name"] for p in container(languagetool)["ports"]]
    assert "--port\", \"8010\"" in (PROJECT_ROOT / "Dockerfile.languagetool").read_text()
    assert container(languagetool)["ports"][0]["containerPort"] == 8010


@pytest.mark.parametrize("values", ["default", "all-on"])  # all-on gives LanguageTool's Service port 80
def test_only_api_pods_may_reach_languagetool(helm_check, values: str) -> None:
    manifests = render(helm_check, values)
    policy = manifests[("NetworkPolicy", "copydesk-languagetool")]  # all-on has Redis's too
    api_labels = manifests[("Deployment", "copydesk-api")]["spec"]["template"]["metadata"]["labels"]
    lt_labels = manifests[("Deployment", "copydesk-languagetool")]["spec"]["template"]["metadata"]["labels"]
    assert selects(policy["spec"]["podSelector"]["matchLabels"], lt_labels)
    assert not selects(policy["spec"]["podSelector"]["matchLabels"], api_labels)
    assert policy["spec"]["policyTypes"] == ["Ingress"]
    (rule,) = policy["spec"]["ingress"]
    (peer,) = rule["from"]
    assert set(peer) == {"podSelector"}  # pods of this namespace, no ipBlock or namespace-wide peer
    assert selects(peer["podSelector"]["matchLabels"], api_labels)
    assert not selects(peer["podSelector"]["matchLabels"], lt_labels)
    # The pods' port, whatever port the Service offers.
    assert rule["ports"] == [{"protocol": "TCP", "port": container(manifests[("Deployment", "copydesk-languagetool")])[
        "ports"][0]["containerPort"]}] == [{"protocol": "TCP", "port": 8010}]


@pytest.mark.parametrize(("component", "dockerfile"), [("api", "Dockerfile"),
                                                       ("languagetool", "Dockerfile.languagetool")])
def test_pods_run_as_the_images_non_root_user_on_a_read_only_root(helm_check, component: str,
                                                                 dockerfile: str) -> None:
    deployment = render(helm_check, "default")[("Deployment", f"copydesk-{component}")]
    pod = deployment["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] == dockerfile_uid(dockerfile) != 0
    assert pod["automountServiceAccountToken"] is False
    security = container(deployment)["securityContext"]
    assert security["readOnlyRootFilesystem"] is True
    assert security["allowPrivilegeEscalation"] is False
    assert security["capabilities"]["drop"] == ["ALL"]
    volumes = {v["name"]: v for v in pod["volumes"]}
    writable = {m["mountPath"] for m in container(deployment)["volumeMounts"] if "emptyDir" in volumes[m["name"]]}
    assert "/tmp" in writable
    assert container(deployment)["resources"]["limits"]["memory"]


def test_api_probes_and_its_writable_data_dir(helm_check) -> None:
    deployment = render(helm_check, "default")[("Deployment", "copydesk-api")]
    api = container(deployment)
    # Not /readyz: every API pod shares one LanguageTool, and a readiness that followed it would empty
    # the Service during an outage (refused connections, not the 503 problem; no /v1/clickbait either).
    assert api["readinessProbe"]["httpGet"]["path"] == "/healthz"
    assert api["startupProbe"]["httpGet"]["path"] == "/healthz"
    # Liveness does not wait for a request thread: a busy pod is not restarted with its requests.
    assert api["livenessProbe"]["tcpSocket"] == {"port": "http"}
    # The data folder is one the service makes, below the emptyDir (which kubelet makes 0777,
    # a folder the service refuses: see test_readability).
    mounts = {m["mountPath"]: m["name"] for m in api["volumeMounts"]}
    data_dir = Path(env(deployment)["COPYDESK_DATA_DIR"])
    assert mounts[str(data_dir.parent)] == "data"
    # Out of the endpoints first, then gunicorn's graceful timeout (30 s), within the grace period.
    pause = int(api["lifecycle"]["preStop"]["exec"]["command"][1])
    assert deployment["spec"]["template"]["spec"]["terminationGracePeriodSeconds"] >= pause + 30 + 5


@pytest.mark.parametrize("values", ["default", "all-on", "external"])
def test_the_api_pods_settings_are_ones_copydesk_starts_with(helm_check, values: str) -> None:
    """Every COPYDESK_* the chart sets is a setting with a value the service takes (an unknown one,
    or one it cannot use, stops gunicorn: the pods would crash-loop), and the chart's gunicorn
    sizes are the service's defaults, which README "Settings" gives."""
    manifests = render(helm_check, values)
    api = env(manifests[("Deployment", "copydesk-api")])
    settings = Settings.load(environ=api)
    assert settings.languagetool_url == api["COPYDESK_LANGUAGETOOL_URL"]
    chart = yaml.safe_load((CHART / "values.yaml").read_text())["api"]
    assert (chart["workers"], chart["threads"]) == (Settings.workers, Settings.threads) == (2, 4)
    # LanguageTool's image reads its warm languages under the service's name for the same setting.
    languagetool = env(manifests[("Deployment", "copydesk-languagetool")])
    assert set(languagetool) - {"JAVA_TOOL_OPTIONS"} == {"COPYDESK_LANGUAGETOOL_WARM_LANGUAGES"}
    assert Settings.load(environ=languagetool).languagetool_warm_languages == tuple(
        languagetool["COPYDESK_LANGUAGETOOL_WARM_LANGUAGES"].split(","))


def test_api_env_may_not_name_a_setting_the_chart_sets_itself(helm_check) -> None:
    """Two env entries of one name: the pod takes the last, whatever the value the chart reads says
    (api.workers, redis.url), and upgrades patch the list by name; kube-score calls it critical."""
    all_on = yaml.safe_load((CHART / "ci" / "all-on-values.yaml").read_text())["api"]["env"]
    chart_set = set(env(render(helm_check, "all-on")[("Deployment", "copydesk-api")])) - set(all_on)
    assert {"COPYDESK_WORKERS", "COPYDESK_LANGUAGETOOL_URL", "COPYDESK_CACHE_URL"} < chart_set
    for name in sorted(chart_set):
        refused = helm_template("--set", f"api.env.{name}=1")
        assert refused.returncode != 0 and f"api.env: the chart sets {name} itself" in refused.stderr, (
            name, refused.stderr)
    taken = helm_template("--set", "api.env.COPYDESK_LOG_LEVEL=debug", "--show-only", "templates/api-deployment.yaml")
    assert taken.returncode == 0, taken.stderr
    assert env(yaml.safe_load(taken.stdout))["COPYDESK_LOG_LEVEL"] == "debug"


def test_rule_packs_come_from_a_config_map_mounted_at_the_rules_dir(helm_check) -> None:
    assert "COPYDESK_RULES_DIR" not in env(render(helm_check, "default")[("Deployment", "copydesk-api")])
    manifests = render(helm_check, "all-on")
    config_map = manifests[("ConfigMap", "copydesk-rules")]
    house = (PROJECT_ROOT / "custom-rules" / "house.yaml").read_text()
    assert yaml.safe_load(config_map["data"]["house.yaml"]) == yaml.safe_load(house)
    api = manifests[("Deployment", "copydesk-api")]
    volumes = {v["name"]: v for v in api["spec"]["template"]["spec"]["volumes"]}
    (mount,) = [m for m in container(api)["volumeMounts"] if m["mountPath"] == env(api)["COPYDESK_RULES_DIR"]]
    assert mount["readOnly"] is True
    assert volumes[mount["name"]]["configMap"]["name"] == "copydesk-rules"
    external = render(helm_check, "external")[("Deployment", "copydesk-api")]
    assert {"name": "rules", "configMap": {"name": "newsroom-rules"}} in external["spec"]["template"]["spec"]["volumes"]


def test_api_keys_and_redis_are_off_by_default_and_wired_when_on(helm_check, tmp_path: Path) -> None:
    default = render(helm_check, "default")
    assert not [key for key in default if key[0] == "Secret" or "redis" in key[1]]
    assert not {"COPYDESK_API_KEYS_FILE", "COPYDESK_METRICS_KEYS_FILE", "COPYDESK_CACHE_URL"} & set(
        env(default[("Deployment", "copydesk-api")]))

    manifests = render(helm_check, "all-on")
    api = manifests[("Deployment", "copydesk-api")]
    keys_file, secret_name = keys_secret(api, "COPYDESK_API_KEYS_FILE")
    assert secret_name == "copydesk-api-keys"
    secret = manifests[("Secret", secret_name)]
    assert secret["stringData"][keys_file.name].split() == [
        "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "a-plain-key-for-a-test"]
    # The rendered file is one copydesk reads: the key, and the other by its digest.
    ring = rendered_keys(secret, keys_file, "COPYDESK_API_KEYS_FILE", tmp_path)
    named = {ring.match("a-plain-key-for-a-test"), ring.match("test")}
    assert None not in named and len(named) == 2 and ring.match("tset") is None

    cache = urlsplit(env(api)["COPYDESK_CACHE_URL"])
    redis = manifests[("Service", cache.hostname)]
    assert redis["spec"]["ports"][0]["port"] == cache.port
    policy = manifests[("NetworkPolicy", "copydesk-redis")]
    assert selects(policy["spec"]["ingress"][0]["from"][0]["podSelector"]["matchLabels"],
                   api["spec"]["template"]["metadata"]["labels"])
    external = render(helm_check, "external")
    assert env(external[("Deployment", "copydesk-api")])["COPYDESK_CACHE_URL"] == "redis://cache.example.internal:6379/2"
    assert not [key for key in external if "redis" in key[1] or key[0] == "Secret"]


def test_languagetool_without_a_warm_language_is_refused_when_rendered(helm_check) -> None:
    """No warm language rendered a startup probe with a 0 s timeout (Kubernetes takes it as 1 s),
    and a server the service would refuse to start (COPYDESK_LANGUAGETOOL_WARM_LANGUAGES)."""
    assert helm_check.returncode == 0, helm_check.stdout + helm_check.stderr
    refused = helm_template("--set", "languagetool.warmLanguages=null")
    assert refused.returncode != 0 and "languagetool.warmLanguages must name at least one" in refused.stderr, (
        refused.stderr)


@pytest.mark.parametrize("keys", ["apiKeys", "metricsKeys"])
def test_keys_on_without_a_key_is_refused_when_rendered(helm_check, keys: str) -> None:
    """copydesk does not start with a keys file that holds no key: the chart says so at install."""
    assert helm_check.returncode == 0, helm_check.stdout + helm_check.stderr
    refused = helm_template("--set", f"{keys}.enabled=true")
    assert refused.returncode != 0 and f"{keys}.keys or {keys}.existingSecret" in refused.stderr, refused.stderr
    taken = helm_template("--set", f"{keys}.enabled=true", "--set", f"{keys}.existingSecret=keys")
    assert taken.returncode == 0, taken.stderr


def test_languagetool_is_ready_when_it_answers_a_check_as_in_its_image(helm_check) -> None:
    languagetool = container(render(helm_check, "default")[("Deployment", "copydesk-languagetool")])
    dockerfile = (PROJECT_ROOT / "Dockerfile.languagetool").read_text()
    assert "COPY scripts/languagetool-ready /opt/languagetool/ready" in dockerfile
    assert 'CMD ["/opt/languagetool/ready"]' in dockerfile
    assert languagetool["startupProbe"]["exec"]["command"] == ["/opt/languagetool/ready"]
    # Once started, it is ready while its healthcheck answers within a check's longest time: the
    # healthcheck waits in the queue of the check threads like any request (see the test below).
    longest_check = int(languagetool_properties()["maxCheckTimeMillis"]) / 1000
    assert languagetool["readinessProbe"]["httpGet"]["path"] == "/v2/healthcheck"
    assert languagetool["readinessProbe"]["timeoutSeconds"] >= longest_check
    # Alive while it accepts connections, which takes no check thread.
    assert languagetool["livenessProbe"]["tcpSocket"] == {"port": "http"}
    for values, languages in (("default", 1), ("all-on", 2)):
        started = container(render(helm_check, values)[("Deployment", "copydesk-languagetool")])["startupProbe"]
        # Each warm language adds a minute to the start-up budget.
        assert started["periodSeconds"] * started["failureThreshold"] == 120 + 60 * languages
        # The probe waits for the first check in each language, which loads its rules (up to
        # LanguageTool's limit on a check): a probe ended sooner leaves its check running, and the
        # next one starts another that builds the same rules beside it.
        assert started["timeoutSeconds"] > languages * longest_check
    # The probe checks the languages the image's script reads from the setting of that name.
    script = (PROJECT_ROOT / "scripts" / "languagetool-ready").read_text()
    assert "${COPYDESK_LANGUAGETOOL_WARM_LANGUAGES:-en-US}" in script
    assert env(render(helm_check, "default")[("Deployment", "copydesk-languagetool")])[
        "COPYDESK_LANGUAGETOOL_WARM_LANGUAGES"] == "en-US"
    assert env(render(helm_check, "all-on")[("Deployment", "copydesk-languagetool")])[
        "COPYDESK_LANGUAGETOOL_WARM_LANGUAGES"] == "en-US,de-DE"


def probe_passes(probe: dict, url: str) -> tuple[bool, float]:
    """Run a Kubernetes httpGet or tcpSocket probe, as kubelet does, at the server `url` names (the
    probe's named port is that server's); whether it passed, and how long it took."""
    host, port = urlsplit(url).hostname, urlsplit(url).port
    started = time.monotonic()
    try:
        if "tcpSocket" in probe:
            socket.create_connection((host, port), timeout=probe["timeoutSeconds"]).close()
            passed = True
        else:
            answer = requests.get(f"http://{host}:{port}{probe['httpGet']['path']}", timeout=probe["timeoutSeconds"])
            passed = 200 <= answer.status_code < 400
    except (OSError, requests.RequestException):
        passed = False
    return passed, time.monotonic() - started


def test_a_languagetool_busy_with_checks_is_not_restarted(helm_check, languagetool_url: str) -> None:
    """LanguageTool runs every request, /v2/healthcheck too, on its check threads: a liveness probe
    that asked it restarted a server busy with long checks (ending them, and loading its rules again
    while the other pods took its load). The chart's liveness probe passes on a real server whose
    check threads are all taken, while a healthcheck waits past the 5 s that probe allowed."""
    liveness = container(render(helm_check, "default")[("Deployment", "copydesk-languagetool")])["livenessProbe"]
    threads = int(languagetool_properties()["maxCheckThreads"])
    vocabulary = "the council said their plan were going too far becuase it rains on teh town again".split()
    rng = random.Random()

    def check(words: int) -> float:
        """One check of a text LanguageTool has not seen (its cache keeps sentences); its seconds."""
        sentences = [" ".join(rng.choice(vocabulary) for _ in range(12)) + "." for _ in range(words // 12)]
        started = time.monotonic()
        requests.post(f"{languagetool_url}/v2/check", data={"language": "en-US", "text": " ".join(sentences)},
                      timeout=120)
        return time.monotonic() - started

    # Texts that take LanguageTool about 2 s each (within its text length limit), and enough of
    # them to keep every thread busy for about 8 s (within its queue).
    words = 1500
    one = check(words)
    if one < 2:
        words = min(18_000, int(words * 2 / max(one, 0.1)))
        one = check(words)
    count = min(24, threads * math.ceil(8 / one) + threads)
    with ThreadPoolExecutor(count + 2) as pool:
        busy = [pool.submit(check, words) for _ in range(count)]
        time.sleep(0.5)
        waited = pool.submit(probe_passes, {"httpGet": {"path": "/v2/healthcheck"}, "timeoutSeconds": 5},
                             languagetool_url)
        alive, took = probe_passes(liveness, languagetool_url)
        healthcheck_answered, _ = waited.result()
        for done in busy:
            done.result()
    assert not healthcheck_answered, f"{count} checks of {words} words ({one:.1f} s) did not keep it busy for 5 s"
    assert alive and took < 1, f"liveness probe {liveness} failed after {took:.1f} s"


def test_languagetool_requests_all_the_memory_its_jvm_may_use(helm_check) -> None:
    """The heap (a share of the limit) and the JVM's own memory come close to the limit: a pod that
    requests less may land on a node packed by requests that cannot give it that, and is evicted first."""
    for values in ("default", "all-on", "external"):
        resources = container(render(helm_check, values)[("Deployment", "copydesk-languagetool")])["resources"]
        assert resources["requests"]["memory"] == resources["limits"]["memory"], values
    languagetool = render(helm_check, "default")[("Deployment", "copydesk-languagetool")]
    heap = re.search(r"-XX:MaxRAMPercentage=(\d+)", env(languagetool)["JAVA_TOOL_OPTIONS"])
    assert heap and int(heap[1]) <= 75  # room above the heap for metaspace, threads and code cache
    # The README's sizing table counts pods at that request.
    request = container(languagetool)["resources"]["requests"]["memory"]
    assert re.search(rf"\| \d+ \(1 CPU, `{re.escape(request)}` each\) \|", README)


def test_every_pod_pulls_its_image_with_the_pull_secrets(helm_check) -> None:
    """The images live in the user's own registry (README "Kubernetes"), which may ask for credentials."""
    secrets = yaml.safe_load((CHART / "ci" / "all-on-values.yaml").read_text())["imagePullSecrets"]
    all_on = pods(render(helm_check, "all-on"))
    assert set(all_on) == {"copydesk-api", "copydesk-languagetool", "copydesk-redis"}
    for name, pod in all_on.items():
        assert pod["spec"]["imagePullSecrets"] == secrets == [{"name": "registry-credentials"},
                                                              {"name": "mirror-credentials"}], name
    for values in ("default", "external"):
        assert not [name for name, pod in pods(render(helm_check, values)).items() if "imagePullSecrets" in pod["spec"]]


def test_each_tier_spreads_its_own_pods_across_nodes_without_blocking_scheduling(helm_check) -> None:
    """Two replicas (and what their PodDisruptionBudget keeps) should not share a node while others have
    room; ScheduleAnyway still places them all on a cluster of one node."""
    for values in ("default", "all-on"):  # all-on has Redis's pods too
        manifests = render(helm_check, values)
        templates = pods(manifests)
        for component in ("api", "languagetool"):
            name = f"copydesk-{component}"
            (spread,) = templates[name]["spec"]["topologySpreadConstraints"]
            assert spread["topologyKey"] == "kubernetes.io/hostname" and spread["maxSkew"] == 1
            assert spread["whenUnsatisfiable"] == "ScheduleAnyway"
            selector = spread["labelSelector"]["matchLabels"]
            assert selector == manifests[("Deployment", name)]["spec"]["selector"]["matchLabels"]
            assert {other for other, pod in templates.items() if selects(selector, pod["metadata"]["labels"])} == {
                name}, (values, component)


def test_a_spread_of_ones_own_replaces_the_default(helm_check) -> None:
    given = yaml.safe_load((CHART / "ci" / "external-values.yaml").read_text())["api"]["topologySpreadConstraints"]
    templates = pods(render(helm_check, "external"))
    assert templates["copydesk-api"]["spec"]["topologySpreadConstraints"] == given
    assert given[0]["whenUnsatisfiable"] == "DoNotSchedule"  # not the default's, so not the default again
    (default,) = templates["copydesk-languagetool"]["spec"]["topologySpreadConstraints"]
    assert default["topologyKey"] == "kubernetes.io/hostname"


def test_metrics_keys_are_a_keys_file_of_their_own(helm_check, tmp_path: Path) -> None:
    """/metrics asks for a key of its own (COPYDESK_METRICS_KEYS_FILE): an API key does not open it."""
    manifests = render(helm_check, "all-on")
    api = manifests[("Deployment", "copydesk-api")]
    keys_file, secret_name = keys_secret(api, "COPYDESK_METRICS_KEYS_FILE")
    assert secret_name == "copydesk-metrics-keys"
    ring = rendered_keys(manifests[("Secret", secret_name)], keys_file, "COPYDESK_METRICS_KEYS_FILE", tmp_path)
    named = {ring.match("scrape"), ring.match("a-scraper-key-for-a-test")}
    assert None not in named and len(named) == 2
    assert ring.match("a-plain-key-for-a-test") is None and ring.match("test") is None  # the API's keys
    # Each keys file in a folder of its own: two mounts at one path make a pod Kubernetes refuses.
    api_keys_file, _ = keys_secret(api, "COPYDESK_API_KEYS_FILE")
    assert keys_file.parent != api_keys_file.parent
    paths = [m["mountPath"] for m in container(api)["volumeMounts"]]
    assert len(paths) == len(set(paths))
    # A Secret of the operator's: mounted, named, not rendered; its file is the one `key` names.
    external = render(helm_check, "external")
    assert keys_secret(external[("Deployment", "copydesk-api")], "COPYDESK_METRICS_KEYS_FILE") == (
        Path("/var/run/copydesk/metrics/prometheus"), "newsroom-metrics-keys")


def test_new_keys_change_nothing_in_the_api_pods(helm_check) -> None:
    """copydesk reads a keys file again when it changes (the kubelet updates a mounted Secret in
    place), so new keys need no roll of the pods; and the pod template, which more people may
    read than the Secret, carries nothing derived from the keys (a checksum of the Secret did)."""
    assert helm_check.returncode == 0, helm_check.stdout + helm_check.stderr
    deployments = []
    for key in ("first-key", "second-key"):
        done = helm_template("--set", "apiKeys.enabled=true", "--set", f"apiKeys.keys={{{key}}}",
                             "--set", "metricsKeys.enabled=true", "--set", f"metricsKeys.keys={{scraper-{key}}}",
                             "--show-only", "templates/api-deployment.yaml")
        assert done.returncode == 0, done.stderr
        deployments.append(yaml.safe_load(done.stdout))
    first, second = deployments
    assert first == second
    assert sorted(first["spec"]["template"]["metadata"]["annotations"]) == ["checksum/rules"]


def test_new_rule_packs_roll_the_api_pods(helm_check, tmp_path: Path) -> None:
    """Packs load at start-up: the pods must restart to take a changed pack, and only then."""
    assert helm_check.returncode == 0, helm_check.stdout + helm_check.stderr
    changed = tmp_path / "house.yaml"
    changed.write_text(HOUSE_PACK.read_text() + "# one more line\n")
    checksums = []
    for pack in (HOUSE_PACK, changed, changed):
        done = helm_template("--set-file", f"rules.packs.house\\.yaml={pack}", "--show-only",
                             "templates/api-deployment.yaml")
        assert done.returncode == 0, done.stderr
        checksums.append(yaml.safe_load(done.stdout)["spec"]["template"]["metadata"]["annotations"]["checksum/rules"])
    first, second, again = checksums
    assert first != second == again



def test_a_rule_pack_named_in_capitals_is_taken_as_the_service_takes_it() -> None:
    """The service reads ``*.yaml`` and ``*.yml`` in any case; the chart refused "House.YAML" as
    "not a .yaml file name", and a pack that ran under compose did not install."""
    done = helm_template("--set-file", f"rules.packs.House\\.YAML={HOUSE_PACK}", "--show-only",
                         "templates/rules-configmap.yaml")
    assert done.returncode == 0, done.stderr
    assert list(yaml.safe_load(done.stdout)["data"]) == ["House.YAML"]
    hidden = helm_template("--set-file", f"rules.packs.\\.house\\.yaml={HOUSE_PACK}")
    assert hidden.returncode != 0 and "is not a .yaml file name" in hidden.stderr


@pytest.mark.parametrize(
    ("metrics_path", "extra", "clash"),
    [
        ("/etc/copydesk/keys", (), "apiKeys.mountPath /etc/copydesk/keys"),
        ("/etc/copydesk/keys/", (), "apiKeys.mountPath /etc/copydesk/keys"),
        ("/etc/copydesk/keys/metrics", (), "apiKeys.mountPath /etc/copydesk/keys"),
        ("/etc/copydesk", (), "apiKeys.mountPath /etc/copydesk/keys"),
        ("/etc/copydesk/rules/keys", ("--set-file", f"rules.packs.house\\.yaml={HOUSE_PACK}"),
         "rules.mountPath /etc/copydesk/rules"),
    ],
    ids=["same", "trailing-slash", "inside", "around", "inside-rules"],
)
def test_read_only_mounts_that_share_or_nest_folders_are_refused_when_rendered(
    helm_check, metrics_path: str, extra: tuple[str, ...], clash: str
) -> None:
    """A keys folder at, inside or around another read-only mount would hide a file or need a
    mount point inside a read-only volume: the pod would not start."""
    assert helm_check.returncode == 0, helm_check.stdout + helm_check.stderr
    keys_on = ("--set", "apiKeys.enabled=true", "--set", "apiKeys.existingSecret=a",
               "--set", "metricsKeys.enabled=true", "--set", "metricsKeys.existingSecret=m")
    refused = helm_template(*keys_on, "--set", f"metricsKeys.mountPath={metrics_path}", *extra)
    assert refused.returncode != 0 and f"metricsKeys.mountPath {metrics_path.rstrip('/')} and {clash}" in \
        refused.stderr, refused.stderr
    # A folder beside the others is fine.
    assert helm_template(*keys_on, "--set", "metricsKeys.mountPath=/etc/copydesk/keys-metrics", *extra).returncode == 0


def test_the_pods_listen_where_api_listen_host_says() -> None:
    """COPYDESK_BIND was fixed at 0.0.0.0:8000 and refused in api.env: on an IPv6-only cluster
    the probes reach the pod at its IPv6 address, and it was never ready."""
    for extra, bind in (((), "0.0.0.0:8000"), (("--set-string", "api.listenHost=[::]"), "[::]:8000")):
        done = helm_template(*extra, "--show-only", "templates/api-deployment.yaml")
        assert done.returncode == 0, done.stderr
        (api,) = yaml.safe_load(done.stdout)["spec"]["template"]["spec"]["containers"]
        assert {e["name"]: e.get("value") for e in api["env"]}["COPYDESK_BIND"] == bind
