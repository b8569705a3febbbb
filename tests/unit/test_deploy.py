"""The deployment files agree with the code they run.

Docker and Kubernetes are not available to the tests, so these read deploy/Dockerfile,
.dockerignore, deploy/compose.yaml and deploy/k8s/*.yaml and check every name in them
against the code: each `motbot` command against the CLI's own parser, each probe path
against the web app's routes, each port against Settings, each environment variable
against what Settings.from_env actually reads.
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
from collections.abc import Iterator, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from slack_bolt import App
from sqlalchemy.engine import make_url

import bot
from bot.cli import build_parser
from bot.config import Settings, SettingsError
from bot.db.engine import make_engine, make_session_factory, normalize_database_url
from bot.db.migrate import MIGRATIONS_DIR
from bot.web.server import create_web_app

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
DOCKERFILE = DEPLOY / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
COMPOSE = DEPLOY / "compose.yaml"
K8S = DEPLOY / "k8s"
DOCS = ROOT / "docs" / "deploy.md"

MOTBOT_SERVICES = ("migrate", "bot", "scheduler")
# Variables a motbot container may carry that Settings does not read: the interpreter's.
STANDARD_VARIABLES = {"PATH", "PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED", "TZ"}
SECRET_WORDS = ("TOKEN", "SECRET", "PASSWORD", "KEY", "DATABASE_URL")


# --- reading the files ---------------------------------------------------------------------


def load_yaml(path: Path) -> list[Any]:
    with path.open(encoding="utf-8") as stream:
        return [document for document in yaml.safe_load_all(stream) if document is not None]


def yaml_files() -> list[Path]:
    """Every YAML file under deploy/ (the Slack app manifests too)."""
    return sorted(path for path in DEPLOY.rglob("*") if path.suffix in (".yaml", ".yml"))


def k8s_objects() -> dict[str, dict[str, Any]]:
    """Every manifest object, by file stem (one object per file)."""
    objects = {}
    for path in sorted(K8S.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        (document,) = load_yaml(path)
        objects[path.stem] = document
    return objects


def compose() -> dict[str, Any]:
    (document,) = load_yaml(COMPOSE)
    return document


def interpolate(value: Any) -> str:
    """Compose's ${NAME:-default} with nothing set: the default."""
    return re.sub(r"\$\{[A-Z0-9_]+:-([^}]*)\}", r"\1", str(value))


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [args for kw, args in self.instructions if kw == keyword]

    def last(self, keyword: str) -> str:
        found = self.all(keyword)
        assert found, f"the {self.name or self.base} stage has no {keyword}"
        return found[-1]


def dockerfile_stages() -> list[Stage]:
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    build_args: dict[str, str] = {}
    stages: list[Stage] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, args = line.partition(" ")
        keyword, args = keyword.upper(), args.strip()
        if keyword == "ARG" and not stages:
            name, _, default = args.partition("=")
            build_args[name] = default
        elif keyword == "FROM":
            base, _, name = re.sub(r"--platform=\S+\s+", "", args).partition(" AS ")
            base = re.sub(r"\$\{(\w+)\}", lambda m: build_args[m.group(1)], base.strip())
            stages.append(Stage(base, name.strip() or None))
        else:
            assert stages, f"{keyword} before the first FROM"
            stages[-1].instructions.append((keyword, args))
    return stages


def exec_form(args: str) -> list[str]:
    value = json.loads(args)
    assert isinstance(value, list), f"{args} is not exec form (a JSON array)"
    return value


def dockerfile_env(stage: Stage) -> dict[str, str]:
    env = {}
    for args in stage.all("ENV"):
        for item in shlex.split(args):
            name, _, value = item.partition("=")
            env[name] = value
    return env


def motbot_containers() -> Iterator[tuple[str, dict[str, Any]]]:
    for stem, document in k8s_objects().items():
        spec = document.get("spec", {}).get("template", {}).get("spec", {})
        for container in spec.get("containers", []):
            if container["image"].split(":")[0].endswith("motbot"):
                yield stem, container


def pod_specs() -> Iterator[tuple[str, dict[str, Any]]]:
    for stem, document in k8s_objects().items():
        if "template" in document.get("spec", {}):
            yield stem, document["spec"]["template"]["spec"]


def fenced_code_lines(text: str) -> Iterator[str]:
    inside = False
    for line in text.splitlines():
        if line.strip().startswith("```"):
            inside = not inside
        elif inside:
            yield line.strip()


def every_motbot_command() -> list[tuple[str, list[str]]]:
    """(where, argv after `motbot`) for each command the deployment files run."""
    commands = []
    runtime = dockerfile_stages()[-1]
    commands.append(("Dockerfile CMD", exec_form(runtime.last("CMD"))))
    for name in MOTBOT_SERVICES:
        command = compose()["services"][name]["command"]
        argv = shlex.split(command) if isinstance(command, str) else command
        commands.append((f"compose {name}", argv))
    for stem, container in motbot_containers():
        assert "command" not in container, f"{stem}: use args, keep the image's ENTRYPOINT"
        commands.append((f"k8s {stem}", container["args"]))
    for line in fenced_code_lines(DOCS.read_text(encoding="utf-8")):
        if line.startswith("motbot "):
            commands.append((f"docs: {line}", shlex.split(line.split("#")[0])[1:]))
    return commands


def exact_parser() -> argparse.ArgumentParser:
    """The CLI's parser, refusing abbreviations: `--no-migrat` would run, but is a typo."""
    parser = build_parser()
    parsers = [parser]
    while parsers:
        current = parsers.pop()
        current.allow_abbrev = False
        for action in current._actions:
            if isinstance(action, argparse._SubParsersAction):
                parsers.extend(action.choices.values())
    return parser


def parse_motbot(argv: list[str]) -> Any:
    try:
        return exact_parser().parse_args(argv)
    except SystemExit:
        pytest.fail(f"`motbot {' '.join(argv)}` is not accepted by bot.cli.build_parser()")


class RecordingEnviron(Mapping[str, str]):
    """An environment that writes down every name it is asked for."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self.values = dict(values)
        self.asked: set[str] = set()

    def __getitem__(self, name: str) -> str:
        self.asked.add(name)
        return self.values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)


def named_variables() -> dict[str, str]:
    """Every variable the deployment files give a motbot process, with its value there."""
    named: dict[str, str] = {}
    services = compose()["services"]
    for name in MOTBOT_SERVICES:
        environment = services[name].get("environment") or {}
        if isinstance(environment, list):
            environment = dict(item.partition("=")[::2] for item in environment)
        named.update({key: interpolate(value) for key, value in environment.items()})
    objects = k8s_objects()
    named.update(objects["configmap"]["data"])
    named.update(objects["secret"]["stringData"])
    for _stem, container in motbot_containers():
        named.update({item["name"]: item.get("value", "") for item in container.get("env", [])})
    return named


def variables_settings_reads() -> set[str]:
    """What Settings.from_env asks its environment for: with nothing set, and with what the
    deployment files set (so names read only when another one is set are found too)."""
    asked: set[str] = set()
    for values in ({}, named_variables()):
        environ = RecordingEnviron(values)
        # Placeholders may be refused; what was asked for is written down all the same.
        with suppress(SettingsError):
            Settings.from_env(environ)
        asked |= environ.asked
    return asked


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def routes() -> dict[str, set[str]]:
    """The web app's routes and their methods, built as `motbot run` builds it."""
    bolt_app = App(
        token="xoxb-deploy-test",
        signing_secret="deploy-test-signing-secret",
        token_verification_enabled=False,
    )
    web = create_web_app(bolt_app, make_session_factory(make_engine("sqlite://")))
    return {rule.rule: set(rule.methods or ()) for rule in web.url_map.iter_rules()}


@pytest.fixture(scope="module")
def port() -> int:
    return Settings.from_env({}).port


# --- every file parses ---------------------------------------------------------------------


@pytest.mark.parametrize("path", yaml_files(), ids=lambda path: str(path.relative_to(ROOT)))
def test_every_yaml_file_parses(path):
    assert load_yaml(path), f"{path} is empty"


def test_every_k8s_manifest_is_one_kubernetes_object():
    for stem, document in k8s_objects().items():
        assert {"apiVersion", "kind", "metadata"} <= document.keys(), stem
        assert "namespace" not in document["metadata"], f"{stem}: keep manifests namespace-free"


def test_the_kustomization_lists_every_manifest_but_the_secret_template():
    (kustomization,) = load_yaml(K8S / "kustomization.yaml")
    manifests = {path.name for path in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    assert set(kustomization["resources"]) == manifests - {"secret.yaml"}


# --- the image -----------------------------------------------------------------------------


def test_the_image_is_built_in_stages_and_runs_on_slim_python_3_11():
    stages = dockerfile_stages()
    assert len(stages) >= 2
    assert stages[-1].base == "python:3.11-slim"
    assert stages[0].base == stages[-1].base, "the venv must be built on the Python it runs on"


def test_the_final_stage_takes_only_the_venv_from_the_builder():
    builder, runtime = dockerfile_stages()[0], dockerfile_stages()[-1]
    copies = runtime.all("COPY")
    assert copies
    assert all(copy.startswith(f"--from={builder.name} ") for copy in copies), copies
    assert "/opt/venv/bin" in dockerfile_env(runtime)["PATH"].split(":")[0]


def test_the_image_runs_as_a_fixed_non_root_user():
    user = dockerfile_stages()[-1].last("USER")
    uid = user.split(":")[0]
    assert uid.isdigit(), "numeric, so Kubernetes' runAsNonRoot can check it"
    assert int(uid) >= 1000


def test_the_entrypoint_is_motbot_under_an_init_and_the_default_command_is_run():
    runtime = dockerfile_stages()[-1]
    # tini as PID 1 passes SIGTERM on: Python as PID 1 would ignore it.
    assert exec_form(runtime.last("ENTRYPOINT")) == ["tini", "--", "motbot"]
    assert exec_form(runtime.last("CMD")) == ["run"]
    assert "tini" in " ".join(runtime.all("RUN"))


def test_python_writes_no_bytecode_and_buffers_no_output():
    env = dockerfile_env(dockerfile_stages()[-1])
    assert env["PYTHONDONTWRITEBYTECODE"] == "1"
    assert env["PYTHONUNBUFFERED"] == "1"


def test_no_secret_is_baked_into_the_image():
    for stage in dockerfile_stages():
        names = set(dockerfile_env(stage))
        names |= {args.partition("=")[0] for args in stage.all("ARG")}
        leaked = {name for name in names if any(word in name for word in SECRET_WORDS)}
        assert not leaked, f"{leaked} in the {stage.name} stage"


def test_the_image_exposes_and_health_checks_the_default_port(port, routes):
    runtime = dockerfile_stages()[-1]
    assert runtime.last("EXPOSE").split() == [str(port)]
    healthcheck = runtime.last("HEALTHCHECK")
    command = exec_form(healthcheck.partition(" CMD ")[2])
    assert command[:2] == ["python", "-c"], "no curl in slim: Python's urllib asks"
    assert "urllib.request" in command[2]
    assert re.search(r"http://127\.0\.0\.1:", command[2])
    assert re.search(r"'PORT', '(\d+)'", command[2]).group(1) == str(port)
    path = re.search(r"http://127\.0\.0\.1:[^/']*(/[\w/-]*)", command[2]).group(1)
    assert path == "/healthz"
    assert "GET" in routes[path]


def test_the_migrations_are_put_where_migrate_looks_for_them():
    # bot.db.migrate finds migrations/ beside the `bot` package, which in the image is
    # the venv's site-packages; the Dockerfile copies them to MIGRATIONS_DIR itself.
    assert Path(bot.__file__).resolve().parent.parent / "migrations" == MIGRATIONS_DIR
    builder_runs = " ".join(dockerfile_stages()[0].all("RUN"))
    assert "MIGRATIONS_DIR" in builder_runs
    assert any(copy.split()[0] == "migrations" for copy in dockerfile_stages()[0].all("COPY"))


def test_the_build_context_lets_in_only_what_the_dockerfile_copies():
    patterns = [
        line.strip()
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert patterns[0] == "*", "start by leaving everything out"
    let_in = {pattern[1:].rstrip("/") for pattern in patterns if pattern.startswith("!")}
    assert not let_in & {".env", ".git", ".venv", "sandbox"}
    copied = set()
    for stage in dockerfile_stages():
        for copy in stage.all("COPY"):
            if not copy.startswith("--from="):
                copied |= {source.rstrip("/") for source in copy.split()[:-1]}
    assert copied == let_in
    for source in copied:
        assert (ROOT / source).exists(), source


# --- every command, path, port and variable named is real ----------------------------------


@pytest.mark.parametrize(
    ("where", "argv"), every_motbot_command(), ids=lambda value: str(value)[:60]
)
def test_every_motbot_command_named_is_accepted_by_the_cli(where, argv):
    parse_motbot(argv)


def test_the_long_running_processes_leave_migrating_to_the_migrate_step():
    for where, argv in every_motbot_command():
        if where.startswith(("compose", "k8s")) and argv[0] in ("run", "scheduler"):
            assert parse_motbot(argv).no_migrate, where
    assert compose()["services"]["migrate"]["command"] == ["migrate"]
    assert k8s_objects()["migrate-job"]["spec"]["template"]["spec"]["containers"][0]["args"] == [
        "migrate"
    ]


def test_every_variable_named_is_one_that_settings_reads():
    reads = variables_settings_reads()
    unknown = set(named_variables()) - reads - STANDARD_VARIABLES
    assert not unknown, f"not read by Settings.from_env: {sorted(unknown)}"
    assert set(dockerfile_env(dockerfile_stages()[-1])) <= STANDARD_VARIABLES


def test_the_configmap_holds_valid_non_secret_settings(port):
    data = k8s_objects()["configmap"]["data"]
    assert all(isinstance(value, str) for value in data.values()), "ConfigMap values are text"
    secret_looking = [name for name in data if any(word in name for word in SECRET_WORDS)]
    assert not secret_looking, f"{secret_looking} belong in secret.yaml"
    settings = Settings.from_env(data)
    assert settings.port == port
    assert data["LOG_FORMAT"] == "json"


def test_the_secret_template_names_every_secret_and_refuses_to_run_as_it_is():
    objects = k8s_objects()
    secret = objects["secret"]
    assert secret["kind"] == "Secret"
    assert set(secret["stringData"]) == {
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "MOTBOT_SECRET_KEY",
        "DATABASE_URL",
        "MOTBOT_CLIENT_ID",
        "MOTBOT_CLIENT_SECRET",
    }
    assert all(isinstance(value, str) for value in secret["stringData"].values())
    # A forgotten placeholder stops motbot at start-up instead of keeping pulses weakly keyed.
    with pytest.raises(SettingsError, match="MOTBOT_SECRET_KEY"):
        Settings.from_env({**objects["configmap"]["data"], **secret["stringData"]})


def test_every_pod_takes_its_settings_from_the_configmap_and_the_secret():
    objects = k8s_objects()
    names = {objects["configmap"]["metadata"]["name"], objects["secret"]["metadata"]["name"]}
    for stem, container in motbot_containers():
        refs = set()
        for source in container["envFrom"]:
            ref = source.get("configMapRef") or source.get("secretRef")
            refs.add(ref["name"])
        assert refs == names, stem


# --- compose -------------------------------------------------------------------------------


def test_compose_has_postgres_a_migration_the_bot_and_one_scheduler():
    document = compose()
    services = document["services"]
    assert set(services) == {"postgres", "migrate", "bot", "scheduler"}
    postgres = services["postgres"]
    assert postgres["image"] == "postgres:16"
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    volume = postgres["volumes"][0].split(":")[0]
    assert volume in document["volumes"]
    assert "ports" not in postgres


def test_compose_starts_each_process_after_the_one_it_needs():
    services = compose()["services"]
    assert services["migrate"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    for name in ("bot", "scheduler"):
        assert services[name]["depends_on"] == {
            "migrate": {"condition": "service_completed_successfully"}
        }
    assert services["migrate"]["restart"] == "no"


def test_compose_scales_the_bot_but_runs_exactly_one_scheduler(port):
    services = compose()["services"]
    bot_service = services["bot"]
    assert "MOTBOT_REPLICAS" in str(bot_service["deploy"]["replicas"])
    assert int(interpolate(bot_service["deploy"]["replicas"])) == 2
    assert "ports" not in bot_service, "replicas would fight over one published host port"
    assert [str(item) for item in bot_service["expose"]] == [str(port)]
    assert services["scheduler"]["deploy"]["replicas"] == 1


def test_compose_does_not_health_check_the_processes_that_serve_no_http():
    services = compose()["services"]
    for name in ("migrate", "scheduler"):
        assert services[name]["healthcheck"] == {"disable": True}, name


def test_compose_gives_every_motbot_process_the_env_file_and_postgres():
    services = compose()["services"]
    for name in MOTBOT_SERVICES:
        service = services[name]
        env_file = service["env_file"]
        assert (COMPOSE.parent / env_file).resolve() == ROOT / ".env"
        assert service["build"]["dockerfile"] == "deploy/Dockerfile"
        assert (COMPOSE.parent / service["build"]["context"]).resolve() == ROOT
        url = make_url(interpolate(service["environment"]["DATABASE_URL"]))
        assert url.drivername == "postgresql+psycopg"
        assert url.host == "postgres"
        assert normalize_database_url(str(url)).startswith("postgresql+psycopg://")


# --- Kubernetes ----------------------------------------------------------------------------


def test_the_scheduler_deployment_runs_one_pod_and_never_two_at_once():
    spec = k8s_objects()["scheduler-deployment"]["spec"]
    assert spec["replicas"] == 1
    assert spec["strategy"] == {"type": "Recreate"}


def test_the_web_deployment_probes_real_routes_on_the_container_port(routes, port):
    pod = k8s_objects()["web-deployment"]["spec"]["template"]
    (container,) = pod["spec"]["containers"]
    ports = {item["name"]: item["containerPort"] for item in container["ports"]}
    assert list(ports.values()) == [port]
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        if probe not in container:
            continue
        get = container[probe]["httpGet"]
        assert "GET" in routes.get(get["path"], set()), f"{probe}: no GET {get['path']}"
        assert ports.get(get["port"], get["port"]) == port, probe


def test_the_web_pods_are_scraped_for_metrics_on_a_real_route(routes, port):
    annotations = k8s_objects()["web-deployment"]["spec"]["template"]["metadata"]["annotations"]
    assert annotations["prometheus.io/scrape"] == "true"
    assert annotations["prometheus.io/port"] == str(port)
    path = annotations["prometheus.io/path"]
    assert "GET" in routes.get(path, set()), f"the web app has no GET {path}"


def test_the_web_service_selects_the_web_pods_only():
    objects = k8s_objects()
    service = objects["web-service"]["spec"]
    web_pod = objects["web-deployment"]["spec"]["template"]
    scheduler_pod = objects["scheduler-deployment"]["spec"]["template"]
    selector = service["selector"].items()
    assert selector <= web_pod["metadata"]["labels"].items()
    assert not selector <= scheduler_pod["metadata"]["labels"].items()
    (container,) = web_pod["spec"]["containers"]
    port_names = {item["name"] for item in container["ports"]}
    port_numbers = {item["containerPort"] for item in container["ports"]}
    for item in service["ports"]:
        assert item["targetPort"] in port_names | port_numbers


def test_every_deployment_selects_its_own_pods():
    for stem, document in k8s_objects().items():
        if document["kind"] == "Deployment":
            selector = document["spec"]["selector"]["matchLabels"].items()
            assert selector <= document["spec"]["template"]["metadata"]["labels"].items(), stem


def test_every_pod_runs_as_the_image_user_on_a_read_only_root(port):
    uid = int(dockerfile_stages()[-1].last("USER").split(":")[0])
    specs = dict(pod_specs())
    assert set(specs) == {"migrate-job", "web-deployment", "scheduler-deployment"}
    for stem, spec in specs.items():
        assert spec["securityContext"]["runAsNonRoot"] is True, stem
        assert spec["securityContext"]["runAsUser"] == uid, stem
        volumes = {volume["name"]: volume for volume in spec.get("volumes", [])}
        for container in spec["containers"]:
            context = container["securityContext"]
            assert context["readOnlyRootFilesystem"] is True, stem
            assert context["allowPrivilegeEscalation"] is False, stem
            mounts = {mount["mountPath"]: mount["name"] for mount in container["volumeMounts"]}
            assert "emptyDir" in volumes[mounts["/tmp"]], f"{stem}: /tmp must be writable"
            assert "resources" in container, stem


def test_the_migrate_job_runs_once_without_restarting_in_place():
    job = k8s_objects()["migrate-job"]
    assert job["kind"] == "Job"
    assert job["spec"]["template"]["spec"]["restartPolicy"] in ("Never", "OnFailure")


# --- the guide -----------------------------------------------------------------------------


def test_the_guide_shows_the_build_and_compose_commands_and_every_file():
    text = DOCS.read_text(encoding="utf-8")
    assert "docker build -f deploy/Dockerfile -t motbot ." in text
    assert "-f deploy/compose.yaml up" in text
    for path in [DOCKERFILE, COMPOSE, *K8S.glob("*.yaml")]:
        assert f"`{path.name}`" in text or f"`{path.relative_to(ROOT)}`" in text, path.name
