"""Tell read-only commands from ones that change a live system.

The capture tool is read-only by default: a command that creates, deletes, restarts or writes
something is refused unless the contributor passes ``--allow-mutating``. Every stage of a
pipeline or list (``|``, ``&&``, ``||``, ``;``) is checked, through ``sudo``/``env``/``timeout``
wrappers, and a shell redirection into a file counts as a write. The lists err on the side of
refusing: a wrongly refused command costs one flag, a wrongly run one can cost a cluster.
"""

from __future__ import annotations

import shlex

# kubectl verbs that change cluster state (`--dry-run=client|server` makes any of them safe).
_KUBECTL = {
    "create", "apply", "delete", "drain", "cordon", "uncordon", "edit", "patch", "replace",
    "scale", "autoscale", "label", "annotate", "taint", "set", "expose", "run", "exec", "cp",
    "attach", "port-forward", "proxy", "debug", "certificate",
}
_KUBECTL_ROLLOUT = {"restart", "undo", "pause", "resume"}
# Flags that take a value, so the value is not mistaken for the verb (`kubectl -n kube-system get`).
_VALUE_FLAGS = {
    "-n", "--namespace", "--context", "--kubeconfig", "-s", "--server", "--cluster", "--user",
    "--token", "-a", "--address", "--runtime-endpoint", "-r", "--image-endpoint", "-i",
    "--timeout", "--connect-timeout", "-c", "--config", "--data-dir", "-d",
}
# ctr/crictl/nerdctl/docker words that change runtime state, at any position among the first
# two positional words (`ctr images rm`, `ctr run`, `crictl rmi`).
_RUNTIME = {
    "run", "create", "start", "stop", "kill", "rm", "rmi", "rmp", "delete", "del", "remove",
    "prune", "pull", "push", "import", "tag", "label", "pause", "resume", "unpause", "exec",
    "update", "runp", "stopp", "checkpoint", "restore", "commit", "load", "build", "mount",
    "unmount", "attach", "restart", "cp", "rename", "set", "prepare", "fetch",
}
_SYSTEMCTL = {
    "start", "stop", "restart", "reload", "try-restart", "reload-or-restart", "enable",
    "disable", "mask", "unmask", "kill", "daemon-reload", "isolate", "reboot", "poweroff",
    "halt", "edit", "set-property", "reset-failed", "preset",
}
_HELM = {"install", "upgrade", "uninstall", "delete", "rollback", "repo", "plugin"}
# Programs whose every use changes the machine.
_ALWAYS = {
    "rm", "rmdir", "mv", "cp", "dd", "mkfs", "mkdir", "touch", "chmod", "chown", "ln", "tee",
    "truncate", "shred", "kill", "killall", "pkill", "reboot", "shutdown", "poweroff", "halt",
    "apt", "apt-get", "dpkg", "yum", "dnf", "pip", "snap", "install", "useradd", "userdel",
    "passwd", "modprobe", "rmmod", "insmod", "swapoff", "swapon", "mount", "umount", "iptables",
    "ip6tables", "nft", "k3s-killall.sh", "k3s-uninstall.sh", "k3s-agent-uninstall.sh",
    "service", "crontab", "wget", "kubeadm", "eksctl",
}
_K3S = {"server", "agent", "etcd-snapshot", "certificate", "token", "secrets-encrypt"}
_KUBECONFIG_WRITES = ("set", "use", "delete", "rename")
_CURL_WRITES = {"-T", "--upload-file", "-O", "--remote-name", "-F", "--form", "--output"}
_WRAPPERS = {"sudo", "env", "timeout", "nice", "nohup", "time", "watch", "xargs", "command"}
_WRAPPER_VALUE_FLAGS = {"sudo": ("-u", "-g", "-C", "-h", "-p"), "watch": ("-n", "-d"),
                        "timeout": ("-s", "-k"), "nice": ("-n",), "xargs": ("-n", "-I", "-P")}
_SEPARATORS = {"|", "||", "&&", ";", "&", "|&"}


def mutation_reason(command: str) -> str | None:
    """Why ``command`` would change the system (e.g. ``'kubectl delete' changes the cluster``),
    or ``None`` when every stage of it is read-only."""
    try:
        lexer = shlex.shlex(command, posix=True, punctuation_chars=";&|<>")
        lexer.whitespace_split = True
        tokens = list(lexer)
    except ValueError as exc:  # unbalanced quotes: refuse rather than guess
        return f"cannot parse the command ({exc})"
    stage: list[str] = []
    for i, tok in enumerate(tokens):
        if tok in _SEPARATORS:
            reason = _stage_reason(stage)
            if reason:
                return reason
            stage = []
        elif tok in (">", ">>", ">|", "&>", "&>>"):
            target = tokens[i + 1] if i + 1 < len(tokens) else ""
            if target != "/dev/null" and not target.startswith("&"):
                return f"redirection '{tok} {target}' writes a file"
        elif stage and stage[-1] in (">", ">>") or tok in ("<", "<<"):
            continue
        else:
            stage.append(tok)
    return _stage_reason(stage)


def _strip_wrappers(words: list[str]) -> list[str]:
    """Drop ``sudo -n``, ``env A=B``, ``timeout 10`` and ``VAR=value`` in front of the program."""
    while words:
        head = words[0]
        if "=" in head and not head.startswith("-") and head.split("=", 1)[0].isidentifier():
            words = words[1:]
        elif head.rsplit("/", 1)[-1] in _WRAPPERS:
            words = words[1:]
            while words and (words[0].startswith("-") or "=" in words[0]):
                flag = words.pop(0)
                if flag in _WRAPPER_VALUE_FLAGS.get(head.rsplit("/", 1)[-1], ()) and words:
                    words.pop(0)
            if head == "timeout" and words:
                words = words[1:]  # the duration
        else:
            break
    return words


def _positionals(words: list[str]) -> list[str]:
    out: list[str] = []
    skip = False
    for w in words:
        if skip:
            skip = False
        elif w.startswith("-"):
            skip = w in _VALUE_FLAGS
        else:
            out.append(w)
    return out


def _stage_reason(stage: list[str]) -> str | None:
    words = _strip_wrappers(list(stage))
    if not words:
        return None
    prog = words[0].rsplit("/", 1)[-1]
    args = words[1:]
    pos = _positionals(args)
    if prog == "k3s" and pos:
        if pos[0] in ("kubectl", "crictl", "ctr"):
            return _stage_reason(args[args.index(pos[0]):])
        if pos[0] in _K3S:
            return f"'k3s {pos[0]}' changes the node"
        return None
    if prog in ("kubectl", "oc"):
        if any(a.startswith("--dry-run") and a not in ("--dry-run=none",) for a in args):
            return None
        if pos and pos[0] in _KUBECTL:
            return f"'kubectl {pos[0]}' changes the cluster"
        if len(pos) > 1 and pos[0] == "rollout" and pos[1] in _KUBECTL_ROLLOUT:
            return f"'kubectl rollout {pos[1]}' changes the cluster"
        if len(pos) > 1 and pos[0] == "config" and pos[1].startswith(_KUBECONFIG_WRITES):
            return f"'kubectl config {pos[1]}' changes the kubeconfig"
        return None
    if prog in ("ctr", "crictl", "nerdctl", "docker", "podman"):
        for n, word in enumerate(pos[:2]):
            if word in _RUNTIME:
                said = " ".join([prog, *pos[: n + 1]])
                return f"'{said}' changes the container runtime"
        return None
    if prog == "systemctl":
        if pos and pos[0] in _SYSTEMCTL:
            return f"'systemctl {pos[0]}' changes a service"
        return None
    if prog == "helm":
        if pos and pos[0] in _HELM:
            return f"'helm {pos[0]}' changes the cluster"
        return None
    if prog == "sysctl" and any(a == "-w" or ("=" in a and not a.startswith("-")) for a in args):
        return "'sysctl -w' changes a kernel setting"
    if prog in ("sh", "bash", "zsh", "dash"):
        if "-c" in args:  # judge the inline script itself
            return mutation_reason(" ".join(args[args.index("-c") + 1 : args.index("-c") + 2]))
        if all(a.startswith("-") for a in args):
            return f"piping into '{prog}' runs arbitrary code"
        return f"'{prog} {pos[0]}' runs a script"
    if prog == "sed" and any(a.startswith(("-i", "--in-place")) for a in args):
        return "'sed -i' edits a file in place"
    if prog == "curl" and _curl_writes(args):
        return "'curl' with a write option (-d/-X/-o/-T) changes something"
    if prog in _ALWAYS:
        return f"'{prog}' changes the machine"
    return None


def _curl_writes(args: list[str]) -> bool:
    """True when curl would send data, use a non-GET method or write a file."""
    for i, a in enumerate(args):
        if a in _CURL_WRITES or a.startswith(("--data", "-d", "-o")):
            return True
        if a in ("-X", "--request"):
            if args[i + 1 : i + 2] != ["GET"]:
                return True
        elif a.startswith("-X") and a != "-XGET":
            return True
    return False
