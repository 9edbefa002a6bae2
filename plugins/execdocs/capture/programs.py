"""The allowlist: programs known to be read-only, with their read-only subcommands and flags.

Each entry follows the program's own documentation (``kubectl <verb> --help``, crictl/ctr/
nerdctl ``--help``, systemctl(1), journalctl(1), ip(8), ss(8), curl(1), ...). A program, verb or
flag missing here is refused as "not known to be read-only"; adding one is a deliberate edit
with a test in ``tests/test_capture_policy.py``.
"""

from __future__ import annotations

import re

from execdocs.capture.argspec import (
    BOOL,
    NEVER_ENDS,
    VALUE,
    WRITES,
    Tool,
    flagset,
)
from execdocs.capture.shellwords import kubeconfig_refusal

ANY = Tool(any_args=True)


def _f(**groups: tuple[str, ...]) -> dict[str, str]:
    """Flags by kind: ``_f(b=("-a", "--all"), v=("-n",))``; ``x_reason`` keys refuse."""
    out: dict[str, str] = {}
    for kind, names in groups.items():
        if kind == "b":
            out.update(flagset(BOOL, *names))
        elif kind == "v":
            out.update(flagset(VALUE, *names))
        elif kind == "follow":
            out.update(flagset(NEVER_ENDS, *names))
        elif kind == "writes":
            out.update(flagset(WRITES, *names))
    return out


# --- kubectl -------------------------------------------------------------------------------

KUBECTL_GLOBAL = _f(
    v=("-n", "--namespace", "--context", "--kubeconfig", "--cluster", "--user",
       "--request-timeout", "-v", "--v", "--vmodule", "--token", "--as", "--as-group", "--as-uid",
       "--certificate-authority", "--client-certificate", "--client-key",
       "--username", "--password", "--log-flush-frequency"),
    b=("--insecure-skip-tls-verify", "--match-server-version", "--disable-compression",
       "--warnings-as-errors", "--help", "-h"),
    writes=("--log-file", "--log-dir", "--profile-output", "--cache-dir"),
)
KUBECTL_GLOBAL["--profile"] = "!writes a profile file"
# another server than the kubeconfig's gets its credentials (a bearer token), and with
# --insecure-skip-tls-verify no certificate stops it
KUBECTL_GLOBAL.update(dict.fromkeys(("-s", "--server", "--tls-server-name"),
                                    "!sends the kubeconfig's credentials to another server"))
_WATCH = _f(follow=("-w", "--watch", "--watch-only", "--output-watch-events"))
_OUT = _f(v=("-o", "--output", "--template"), b=("--allow-missing-template-keys",
                                                 "--show-managed-fields"))
_SELECT = _f(v=("-l", "--selector", "--field-selector", "-f", "--filename", "-k", "--kustomize",
                "--chunk-size"),
             b=("-A", "--all-namespaces", "-R", "--recursive"))

_GET = Tool(flags={**_OUT, **_SELECT, **_WATCH, **_f(
    v=("--sort-by", "-L", "--label-columns", "--raw", "--subresource"),
    b=("--show-labels", "--no-headers", "--show-kind", "--ignore-not-found", "--server-print"))})
_DESCRIBE = Tool(flags={**_SELECT, **_f(b=("--show-events",))})
_LOGS = Tool(flags={**_f(
    v=("-c", "--container", "--tail", "--since", "--since-time", "-l", "--selector",
       "--limit-bytes", "--max-log-requests", "--pod-running-timeout"),
    b=("-p", "--previous", "--timestamps", "--all-containers", "--prefix", "--ignore-errors",
       "--all-pods", "--insecure-skip-tls-verify-backend")),
    **_f(follow=("-f", "--follow"))})
_TOP_FLAGS = _f(v=("-l", "--selector", "--sort-by", "--field-selector"),
                b=("--containers", "--no-headers", "-A", "--all-namespaces",
                   "--use-protocol-buffers", "--show-capacity", "--sum"))
_TOP = Tool(subs={name: Tool(flags=_TOP_FLAGS) for name in
                  ("node", "nodes", "no", "pod", "pods", "po")}, bare=False)
_DRY_RUN_VERBS = ("create", "apply", "delete", "run", "expose", "scale", "autoscale", "label",
                  "annotate", "set", "patch", "replace", "taint", "drain", "cordon", "uncordon")


# kubectl create's own subcommands: any other word is looked up as a plugin on PATH
# (kubectl-create-NAME), which runs whatever it is
_CREATE_SUBS = frozenset({
    "clusterrole", "clusterrolebinding", "configmap", "cm", "cronjob", "cj", "deployment",
    "deploy", "ingress", "ing", "job", "namespace", "ns", "poddisruptionbudget", "pdb",
    "priorityclass", "pc", "quota", "resourcequota", "role", "rolebinding", "secret", "service",
    "svc", "serviceaccount", "sa", "token"})
# flags a bare word may follow as its value, not as the subcommand
_CREATE_VALUES = frozenset({"-n", "--namespace", "-o", "--output", "--context", "--kubeconfig",
                            "--cluster", "--user", "--as", "--request-timeout", "-l",
                            "--selector", "--field-manager", "--template"})
# flags that take no value (a --dry-run after one of these is a flag of its own)
_DRY_BOOLS = frozenset({"-A", "--all-namespaces", "--all", "--overwrite", "--force", "--local",
                        "--record", "--save-config", "--server-side", "--force-conflicts",
                        "-R", "--recursive", "--wait", "--now", "--ignore-not-found",
                        "--ignore-daemonsets", "--delete-emptydir-data", "--list",
                        "--allow-missing-template-keys", "--show-managed-fields", "--stdin",
                        "-i", "--tty", "-t", "--rm", "--expose", "--insecure-skip-tls-verify"})


def _dry_run(args: list[str], verb: str = "") -> str | None:
    end = args.index("--") if "--" in args else len(args)
    if any(a.startswith("--dry-run") for a in args[end:]):
        return "with --dry-run after '--' (there it is an operand, not a flag) changes the cluster"
    flags = [(i, a) for i, a in enumerate(args[:end]) if a.startswith("--dry-run")]
    if not flags:
        return "changes the cluster"
    if any(a.split("=", 1)[1] not in ("client", "server") if "=" in a else True
           for _i, a in flags):
        return ("with --dry-run other than '--dry-run=client' or '--dry-run=server' changes "
                "the cluster")
    for i, _a in flags:  # a flag before it that takes a value takes --dry-run=... as one
        before = args[i - 1] if i else ""
        if before.startswith("-") and "=" not in before and before not in _DRY_BOOLS:
            return (f"with --dry-run right after '{before}' (a flag that may take it as its "
                    "value) may change the cluster; write --dry-run=client right after the verb")
    if any(a == "--raw" or a.startswith("--raw=") for a in args[:end]):
        return "with --raw sends the request as written: --dry-run does not apply to it"
    if any(a in ("--edit", "-w", "--watch") or a.startswith(("--edit=", "--watch="))
           for a in args):
        return "with --edit/--watch never ends"
    if verb == "create":
        files = any(a in ("-f", "--filename", "-k", "--kustomize") or a.startswith(
            ("--filename=", "--kustomize=", "-f", "-k")) for a in args[:end])
        words = [a for i, a in enumerate(args[:end]) if not a.startswith("-")
                 and not (i and args[i - 1] in _CREATE_VALUES)]
        if not files and (not words or words[0] not in _CREATE_SUBS):
            sub = words[0] if words else ""
            return (f"with '{sub}', which is no kubectl create subcommand, runs a plugin "
                    f"(kubectl-create-{sub}) found on PATH" if sub else
                    "without a subcommand or -f is not known to be read-only")
    return None


_DRY = Tool(any_args=True, check=_dry_run)
_DRY_CREATE = Tool(any_args=True, check=lambda args: _dry_run(args, "create"))

KUBECTL = Tool(flags=KUBECTL_GLOBAL, subs={
    "get": _GET,
    "describe": _DESCRIBE,
    "logs": _LOGS,
    "top": _TOP,
    "events": Tool(flags={**_OUT, **_WATCH, **_f(
        v=("--for", "--types", "--chunk-size"),
        b=("-A", "--all-namespaces", "--no-headers"))}, operands=0),
    "version": Tool(flags=_f(v=("-o", "--output"), b=("--client", "--short")), operands=0),
    "explain": Tool(flags=_f(v=("--api-version", "--output", "-o"), b=("--recursive",))),
    "api-resources": Tool(flags=_f(v=("-o", "--output", "--api-group", "--verbs", "--sort-by",
                                      "--categories"),
                                   b=("--namespaced", "--no-headers", "--cached")), operands=0),
    "api-versions": Tool(operands=0),
    "cluster-info": Tool(operands=0),
    "auth": Tool(subs={
        "can-i": Tool(flags=_f(v=("--subresource",),
                               b=("--list", "-A", "--all-namespaces", "-q", "--quiet",
                                  "--no-headers"))),
        "whoami": Tool(flags=_f(v=("-o", "--output")), operands=0),
    }, bare=False),
    "config": Tool(subs={
        "view": Tool(flags={**_OUT, **_f(b=("--minify", "--raw", "--flatten", "--merge"))},
                     operands=0),
        "get-contexts": Tool(flags=_f(v=("-o", "--output"), b=("--no-headers",))),
        "current-context": Tool(operands=0),
        "get-clusters": Tool(operands=0),
        "get-users": Tool(operands=0),
    }, bare=False),
    "rollout": Tool(subs={
        "status": Tool(flags=_f(v=("--revision", "--timeout", "-l", "--selector", "-f",
                                   "--filename"), b=("-w", "--watch", "-R", "--recursive"))),
        "history": Tool(flags={**_OUT, **_f(v=("--revision", "-l", "--selector", "-f",
                                               "--filename"), b=("-R", "--recursive"))}),
    }, bare=False),
    "plugin": Tool(subs={"list": Tool(flags=_f(b=("--name-only",)), operands=0)}, bare=False),
    "wait": Tool(flags={**_OUT, **_SELECT, **_f(v=("--for", "--timeout"),
                                                b=("--all", "--local"))}),
    "diff": Tool(flags={**_SELECT, **_f(v=("--field-manager", "--concurrency"),
                                        b=("--server-side", "--force-conflicts"))}),
    **{verb: _DRY for verb in _DRY_RUN_VERBS},
    "create": _DRY_CREATE,
}, denied={
    "edit": "opens an editor and never ends here",
    "port-forward": "never ends (it forwards until killed)",
    "proxy": "never ends (it serves until killed)",
    "attach": "never ends (it attaches to a running container)",
    "exec": "runs a command inside a container",
    "debug": "starts a debugging container",
    "cp": "copies files into or out of a container",
}, bare=True)

# --- container runtimes ----------------------------------------------------------------------

_LS_Q = Tool(flags=_f(b=("-q", "--quiet")))
_CTR_LS = {"ls": _LS_Q, "list": _LS_Q}
CTR = Tool(flags=_f(v=("-n", "--namespace", "-a", "--address", "--timeout", "--connect-timeout"),
                    b=("--debug", "-v", "--version", "-h", "--help")), subs={
    **{name: Tool(subs={**_CTR_LS, "info": Tool(flags=_f(b=("--spec",)), operands=1)})
       for name in ("containers", "container", "c")},
    **{name: Tool(subs={**_CTR_LS, "ps": Tool(operands=1),
                        "metrics": Tool(flags=_f(v=("--format",)), operands=1),
                        "metric": Tool(flags=_f(v=("--format",)), operands=1)})
       for name in ("tasks", "task", "t")},
    **{name: Tool(subs={**_CTR_LS, "check": _LS_Q}) for name in ("images", "image", "i")},
    "content": Tool(subs=_CTR_LS),
    **{name: Tool(flags=_f(v=("--snapshotter",)), subs={**_CTR_LS, "info": Tool(operands=1),
                                                        "usage": Tool(), "tree": Tool()})
       for name in ("snapshots", "snapshot")},
    **{name: Tool(subs=_CTR_LS) for name in ("namespaces", "namespace", "ns")},
    **{name: Tool(subs={"ls": Tool(flags=_f(b=("-d", "--detailed"))),
                        "list": Tool(flags=_f(b=("-d", "--detailed")))})
       for name in ("plugins", "plugin")},
    "leases": Tool(subs=_CTR_LS),
    "version": Tool(operands=0),
}, denied={"events": "never ends (it streams events until killed)",
           "event": "never ends (it streams events until killed)"})

_CRI_OUT = _f(v=("-o", "--output", "--template"))
_CRI_PS = _f(v=("--name", "--state", "-s", "--label", "-n", "--last", "--id"),
             b=("-q", "--quiet", "--no-trunc", "-v", "--verbose", "-l", "--latest"))
_CRI_IMAGES = Tool(flags={**_CRI_OUT, **_f(b=("-q", "--quiet", "--digests", "--no-trunc", "-v",
                                             "--verbose", "--pinned"))})
_CRI_INSPECT = Tool(flags={**_CRI_OUT, **_f(b=("-q", "--quiet"))})
_CRI_STATS = Tool(flags={**_CRI_OUT, **_f(v=("--id", "--label", "-p", "--pod", "-s", "--seconds"),
                                          b=("-a", "--all")),
                         **_f(follow=("-w", "--watch"))})
CRICTL = Tool(flags=_f(v=("-r", "--runtime-endpoint", "-i", "--image-endpoint", "-c", "--config",
                          "-t", "--timeout"),
                       b=("-D", "--debug", "-v", "--version", "-h", "--help")), subs={
    "ps": Tool(flags={**_CRI_OUT, **_CRI_PS, **_f(v=("-p", "--pod", "--image"),
                                                  b=("-a", "--all"))}, operands=0),
    "pods": Tool(flags={**_CRI_OUT, **_CRI_PS, **_f(v=("--namespace",))}, operands=0),
    "images": _CRI_IMAGES, "image": _CRI_IMAGES, "img": _CRI_IMAGES,
    "info": Tool(flags={**_CRI_OUT, **_f(b=("-q", "--quiet"))}, operands=0),
    "version": Tool(flags=_CRI_OUT, operands=0),
    "inspect": _CRI_INSPECT, "inspecti": _CRI_INSPECT, "inspectp": _CRI_INSPECT,
    "logs": Tool(flags={**_f(v=("--tail", "--since", "--limit-bytes"),
                             b=("-t", "--timestamps", "-p", "--previous", "-r", "--reverse")),
                        **_f(follow=("-f", "--follow"))}, operands=1),
    "stats": _CRI_STATS, "statsp": _CRI_STATS,
    "imagefsinfo": Tool(flags=_CRI_OUT, operands=0),
})

_NERD_PS = Tool(flags=_f(v=("-f", "--filter", "--format", "-n", "--last"),
                         b=("-a", "--all", "-q", "--quiet", "--no-trunc", "-s", "--size",
                            "-l", "--latest")), operands=0)
_NERD_IMAGES = Tool(flags=_f(v=("--format", "-f", "--filter"),
                             b=("-q", "--quiet", "-a", "--all", "--no-trunc", "--digests",
                                "--names")), operands=1)
_NERD_INSPECT = Tool(flags=_f(v=("-f", "--format", "--mode", "--type"), b=("-s", "--size")))
_NERD_LOGS = Tool(flags={**_f(v=("--tail", "-n", "--since", "--until"),
                              b=("-t", "--timestamps", "--details")),
                         **_f(follow=("-f", "--follow"))}, operands=1)
_NERD_LS = Tool(flags=_f(v=("-f", "--filter", "--format"), b=("-q", "--quiet")), operands=0)
_NERD_OBJ = Tool(subs={"ls": _NERD_LS, "list": _NERD_LS, "inspect": _NERD_INSPECT}, bare=False)
NERDCTL = Tool(flags=_f(v=("-n", "--namespace", "-a", "--address", "-H", "--host",
                           "--snapshotter", "--cgroup-manager", "--data-root", "--hosts-dir"),
                        b=("--debug", "--debug-full", "--insecure-registry", "--experimental",
                           "-v", "--version", "-h", "--help")), subs={
    "ps": _NERD_PS,
    "images": _NERD_IMAGES,
    "image": Tool(subs={"ls": _NERD_IMAGES, "list": _NERD_IMAGES, "inspect": _NERD_INSPECT},
                  bare=False),
    "container": Tool(subs={"ls": _NERD_PS, "list": _NERD_PS, "inspect": _NERD_INSPECT,
                            "logs": _NERD_LOGS}, bare=False),
    "info": Tool(flags=_f(v=("-f", "--format", "--mode")), operands=0),
    "version": Tool(flags=_f(v=("-f", "--format")), operands=0),
    "inspect": _NERD_INSPECT,
    "logs": _NERD_LOGS,
    "top": Tool(operands=1),
    "stats": Tool(flags=_f(v=("--format",), b=("-a", "--all", "--no-trunc", "--no-stream")),
                  require=("--no-stream",),
                  require_reason="without --no-stream never ends (it streams until killed)"),
    "namespace": _NERD_OBJ, "ns": _NERD_OBJ, "volume": _NERD_OBJ, "network": _NERD_OBJ,
}, denied={"events": "never ends (it streams events until killed)"})

# --- k3s -------------------------------------------------------------------------------------

_K3S_STATUS = Tool(flags=_f(v=("-o", "--output", "-d", "--data-dir", "-s", "--server", "-t",
                              "--token", "--service")), operands=0)
_K3S_SNAPSHOT_LS = Tool(flags=_f(v=("-o", "--output", "--data-dir", "-d", "--etcd-s3-bucket")))
K3S = Tool(flags=_f(b=("-v", "--version", "-h", "--help", "--debug")), subs={
    "kubectl": KUBECTL, "crictl": CRICTL, "ctr": CTR,
    "check-config": Tool(operands=0),
    "secrets-encrypt": Tool(subs={"status": _K3S_STATUS}, bare=False),
    "certificate": Tool(subs={"check": _K3S_STATUS}, bare=False),
    "token": Tool(subs={"list": _K3S_STATUS}, bare=False),
    "etcd-snapshot": Tool(subs={"ls": _K3S_SNAPSHOT_LS, "list": _K3S_SNAPSHOT_LS}, bare=False),
})

# --- docker and helm ---------------------------------------------------------------------------

DOCKER = Tool(flags=_f(v=("-H", "--host", "--context", "-c", "--config", "-l", "--log-level"),
                       b=("-D", "--debug", "-v", "--version", "-h", "--help")), subs={
    "ps": _NERD_PS, "images": _NERD_IMAGES,
    "image": Tool(subs={"ls": _NERD_IMAGES, "list": _NERD_IMAGES, "inspect": _NERD_INSPECT},
                  bare=False),
    "container": Tool(subs={"ls": _NERD_PS, "list": _NERD_PS, "inspect": _NERD_INSPECT,
                            "logs": _NERD_LOGS}, bare=False),
    "info": Tool(flags=_f(v=("-f", "--format")), operands=0),
    "version": Tool(flags=_f(v=("-f", "--format")), operands=0),
    "inspect": _NERD_INSPECT, "logs": _NERD_LOGS, "top": Tool(operands=1),
    "stats": NERDCTL.subs["stats"] if NERDCTL.subs else Tool(),
    "volume": _NERD_OBJ, "network": _NERD_OBJ,
}, denied={"events": "never ends (it streams events until killed)"})

_HELM_OUT = _f(v=("-o", "--output", "--revision", "--template", "--max"))
HELM = Tool(flags=_f(v=("-n", "--namespace", "--kube-context", "--kubeconfig",
                        "--kube-apiserver", "--kube-token", "--repository-config",
                        "--registry-config", "--repository-cache"),
                     b=("--debug", "-h", "--help")), subs={
    **{name: Tool(flags={**_HELM_OUT, **_f(v=("-l", "--selector", "--filter", "--offset",
                                              "--time-format"),
                                           b=("-A", "--all-namespaces", "-a", "--all", "-q",
                                              "--short", "--deployed", "--failed",
                                              "--pending", "--superseded", "--uninstalled",
                                              "--uninstalling", "-d", "--date", "-r",
                                              "--reverse", "--no-headers", "-m"))},
                  operands=0)
       for name in ("list", "ls")},
    "status": Tool(flags={**_HELM_OUT, **_f(b=("--show-desc", "--show-resources"))},
                   operands=1),
    "history": Tool(flags=_HELM_OUT, operands=1), "hist": Tool(flags=_HELM_OUT, operands=1),
    "get": Tool(subs={name: Tool(flags={**_HELM_OUT, **_f(b=("-a", "--all"))}, operands=1)
                      for name in ("all", "values", "manifest", "notes", "hooks", "metadata")},
                bare=False),
    "version": Tool(flags=_f(v=("--template",), b=("--short", "-c", "--client")), operands=0),
    "env": Tool(operands=1),
    "repo": Tool(subs={"list": Tool(flags=_f(v=("-o", "--output")), operands=0),
                       "ls": Tool(flags=_f(v=("-o", "--output")), operands=0)}, bare=False),
    "search": Tool(subs={"repo": Tool(flags=_f(v=("-o", "--output", "--version"),
                                               b=("-l", "--versions", "--devel", "-r",
                                                  "--regexp")))}, bare=False),
})


_KUBECONFIG_FLAGS = ("--kubeconfig",)
_KUSTOMIZE_FLAGS = ("-k", "--kustomize")
_REMOTE = re.compile(r"[a-z][a-z0-9+.-]*://|[\w-]+(?:\.[\w-]+)+/|git@")


def value_refusal(prog: str, args: list[str]) -> str | None:
    """What the flag tables cannot say about kubectl's values (k3s kubectl and helm alike):
    a kubeconfig from a relative path, a remote kustomization (built with git); docker's
    ``-H ssh://HOST`` (it runs ssh)."""
    if prog in ("docker", "nerdctl"):
        for i, arg in enumerate(args):
            value = args[i + 1] if arg in ("-H", "--host") and i + 1 < len(args) else (
                arg.split("=", 1)[1] if arg.startswith("--host=") else
                arg[2:] if arg.startswith("-H") and len(arg) > 2 else "")
            if value.startswith("ssh://"):
                return f"with -H {value} runs ssh to that host"
        return None
    if prog not in ("kubectl", "k3s", "helm"):
        return None
    for i, arg in enumerate(args):
        name, eq, value = arg.partition("=")
        if not eq:
            if name in _KUSTOMIZE_FLAGS + _KUBECONFIG_FLAGS and i + 1 < len(args):
                value = args[i + 1]
            elif name.startswith("-k") and not name.startswith("--") and len(name) > 2:
                name, value = "-k", name[2:]
            else:
                continue
        if name in _KUBECONFIG_FLAGS and (why := kubeconfig_refusal(value)):
            return why
        if name in _KUSTOMIZE_FLAGS and _REMOTE.match(value):
            return (f"builds the remote kustomization '{value}' (it runs git to fetch it); "
                    "name a local folder")
    return None
