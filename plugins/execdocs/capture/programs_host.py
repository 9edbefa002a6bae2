"""The allowlist, part two: host tools (systemd, iproute2, coreutils, curl, ...), and the
table of every allowed program by name."""

from __future__ import annotations

import re

from execdocs.capture.argspec import VALUE, Tool, optional
from execdocs.capture.programs import (
    ANY,
    CRICTL,
    CTR,
    DOCKER,
    HELM,
    K3S,
    KUBECTL,
    NERDCTL,
    _f,
)

_SYSTEMCTL_FLAGS = _f(
    v=("-t", "--type", "--state", "-p", "--property", "-n", "--lines", "-o", "--output"),
    b=("--no-pager", "-l", "--full", "--plain", "--no-legend", "-a", "--all", "--value",
       "--system", "--failed", "-q", "--quiet", "--no-ask-password", "-r", "--recursive",
       "--reverse", "--after", "--before", "--user", "-h", "--help"))
SYSTEMCTL = Tool(flags=_SYSTEMCTL_FLAGS, subs={name: Tool() for name in (
    "status", "show", "is-active", "is-enabled", "is-failed", "is-system-running", "list-units",
    "list-unit-files", "list-timers", "list-sockets", "list-dependencies", "list-jobs", "cat",
    "get-default", "show-environment")})

_COUNT = r"\+?\d+|all"
_BOOT = r"-?\d+|[0-9a-f]{32}([+-]\d+)?|all"
JOURNALCTL = Tool(flags={
    **_f(v=("-u", "--unit", "-p", "--priority", "-o", "--output", "--since", "--until", "-S",
            "-U", "-t", "--identifier", "-g", "--grep", "--output-fields", "-D", "--directory",
            "--file", "-F", "--field", "--user-unit", "-T", "--exclude-identifier",
            "--facility", "-M", "--machine", "--cursor", "--after-cursor", "-I"),
         b=("--no-pager", "-k", "--dmesg", "-r", "--reverse", "-x", "--catalog", "-a", "--all",
            "-q", "--quiet", "--no-hostname", "--utc", "--list-boots", "--disk-usage", "-l",
            "--full", "--no-full", "--system", "--user", "-e", "--pager-end", "--header",
            "--show-cursor", "-m", "--merge", "--case-sensitive", "-h", "--help", "--version",
            "--verify", "--fields")),
    **_f(follow=("-f", "--follow")),
    "-n": optional(_COUNT), "--lines": optional(_COUNT),
    "-b": optional(_BOOT), "--boot": optional(_BOOT),
    **dict.fromkeys(("--vacuum-size", "--vacuum-time", "--vacuum-files", "--rotate", "--flush",
                     "--sync", "--relinquish-var", "--smart-relinquish-var", "--setup-keys",
                     "--update-catalog"), "!removes or rewrites journal files"),
    "--cursor-file": "!writes a file",
})

_IP_SHOW = Tool(any_args=True)
_IP_ACTIONS = {name: _IP_SHOW for name in ("show", "list", "ls", "lst", "sh")}
_IP_OBJECT = Tool(subs=_IP_ACTIONS)
_IP_ROUTE = Tool(subs={**_IP_ACTIONS, "get": _IP_SHOW})
IP = Tool(exact_flags=True, flags={
    **_f(b=("-4", "-6", "-0", "-br", "-brief", "-d", "-details", "-s", "-stats", "-statistics",
            "-o", "-oneline", "-j", "-json", "-p", "-pretty", "-h", "-human", "-c", "-color",
            "-color=never", "-c=never", "-iec", "-N", "-Numeric"),
         v=("-n", "-netns", "-f", "-family"))},
    subs={**{name: _IP_OBJECT for name in (
        "addr", "address", "a", "link", "l", "neigh", "neighbour", "neighbor", "n", "rule",
        "ru", "maddr", "netconf")}, **{name: _IP_ROUTE for name in ("route", "r", "ro")}},
    bare=False)

SS = Tool(flags={
    **_f(b=tuple(f"-{c}" for c in "tulpnaxw46emoisHOrZz0S") + (
        "--tcp", "--udp", "--listening", "--processes", "--numeric", "--all", "--unix", "--raw",
        "--ipv4", "--ipv6", "--extended", "--memory", "--options", "--info", "--summary",
        "--no-header", "--oneline", "--resolve", "--context", "--contexts", "--sctp",
        "--help", "--version", "-V", "-h"),
         v=("-A", "--query", "-f", "--family")),
    "-K": "!kills sockets", "--kill": "!kills sockets",
    "-E": "!never ends (it follows events)", "--events": "!never ends (it follows events)",
    "-D": "!writes a file", "--diag": "!writes a file",
})

_CURL_SCHEMES = re.compile(r"https?://|[A-Za-z0-9.-]+(:\d+)?(/\S*)?$", re.IGNORECASE)
# a URL without a scheme is not always http: curl guesses the protocol from these host prefixes
_CURL_GUESSED = re.compile(r"(?:ftp|dict|ldap|imap|smtp|pop3|gopher|telnet|tftp|mqtt)\.",
                           re.IGNORECASE)


def _curl_words(args: list[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """(flag, value) pairs and the URLs of curl's ``args``, read as curl reads them: a value
    flag in a bundle takes the rest of it or the next word (``-skXDELETE``, ``-sX POST``)."""
    pairs: list[tuple[str, str]] = []
    urls: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg.startswith("--"):
            name, eq, value = arg.partition("=")
            if CURL.flags.get(name) == VALUE and not eq:
                value = args[i] if i < len(args) else ""
                i += 1
            pairs.append((name, value))
        elif arg.startswith("-") and len(arg) > 1:
            body = arg[1:]
            for pos, char in enumerate(body):
                if CURL.flags.get("-" + char) == VALUE:
                    value = body[pos + 1:]
                    if not value:
                        value = args[i] if i < len(args) else ""
                        i += 1
                    pairs.append(("-" + char, value))
                    break
                pairs.append(("-" + char, ""))
        else:
            urls.append(arg)
    return pairs, urls


def _curl_check(args: list[str]) -> str | None:
    pairs, urls = _curl_words(args)
    for name, value in pairs:
        if name in ("-o", "--output") and value not in ("/dev/null", "-"):
            return f"with -o {value} writes a file"
        if name in ("-X", "--request") and value.upper() not in ("GET", "HEAD"):
            return f"with -X {value} sends a request that may change something"
        if name in ("-H", "--header"):
            if value.startswith("@"):
                return f"with -H {value} sends the file's lines as headers"
            if "override" in value.lower():
                return "with a method-override header may send another method than GET"
        if name in ("-w", "--write-out") and ("%output" in value or value.startswith("@")):
            return f"with -w {value!r} reads or writes a file"
        if name == "--url":
            urls.append(value)
    for url in urls:
        if not _CURL_SCHEMES.match(url) or (
                "://" not in url and _CURL_GUESSED.match(url)):
            return (f"with URL '{url}' (only http:// and https:// requests are known to be "
                    "read-only)")
    return None


CURL = Tool(flags={
    **_f(b=("-s", "--silent", "-S", "--show-error", "-k", "--insecure", "-f", "--fail",
            "-L", "--location", "-v", "--verbose", "-i", "--include", "-I", "--head",
            "--compressed", "-4", "-6", "--http1.1", "--http2", "-g", "--globoff", "-q",
            "--fail-with-body", "--no-progress-meter", "-#", "--progress-bar", "-G", "--get"),
         v=("-H", "--header", "--cacert", "--cert", "-E", "--key", "--capath", "-m",
            "--max-time", "--connect-timeout", "-w", "--write-out", "--unix-socket",
            "--resolve", "--noproxy", "-x", "--proxy", "-A", "--user-agent", "--retry",
            "--url", "-u", "--user", "--oauth2-bearer", "-X", "--request")),
    **dict.fromkeys(("-d", "--data", "--data-raw", "--data-binary", "--data-urlencode",
                     "--json", "-F", "--form", "-T", "--upload-file"),
                    "!sends data (a write request)"),
    "-o": VALUE, "--output": VALUE,
    **dict.fromkeys(("-O", "--remote-name", "--remote-name-all",
                     "--output-dir", "-D", "--dump-header", "-c", "--cookie-jar", "--trace",
                     "--trace-ascii", "--libcurl", "--etag-save", "--create-dirs"),
                    "!writes a file"),
    **dict.fromkeys(("-K", "--config"), "!reads options from a file this check cannot see"),
}, check=_curl_check)

_SED_ONE = re.compile(
    r"(\d+|\$)?(,(\d+|\$|/[^/;]*/))?[pd=]|\d+q|/[^/;]*/(,/[^/;]*/)?[pd]"
    r"|s/[^/;]*/[^/;]*/[gpI0-9]*")


def _sed_scripts(args: list[str]) -> list[str]:
    """The scripts of sed's ``args`` as GNU sed reads them: every ``-e SCRIPT``, ``-eSCRIPT``,
    an ``e`` in a bundle (``-ne SCRIPT``, ``-se'w f'``), ``--expression[=]SCRIPT``; else the
    first operand."""
    scripts: list[str] = []
    operands: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            operands += args[i:]
            break
        if arg.startswith("--"):
            name, eq, value = arg.partition("=")
            if "--expression".startswith(name) and len(name) > 3:  # getopt takes a prefix
                if not eq:
                    value = args[i] if i < len(args) else ""
                    i += 1
                scripts.append(value)
            continue
        if arg.startswith("-") and len(arg) > 1:
            body = arg[1:]
            at = body.find("e")
            if at != -1:
                value = body[at + 1:]
                if not value:
                    value = args[i] if i < len(args) else ""
                    i += 1
                scripts.append(value)
            continue
        operands.append(arg)
    return scripts or operands[:1]


def _sed_check(args: list[str]) -> str | None:
    for script in _sed_scripts(args):
        if not all(_SED_ONE.fullmatch(part.strip()) for part in script.split(";")):
            return (f"with script {script!r} (only p, d, =, q and s///[gp] are known to be "
                    "read-only; w writes files, e runs commands)")
    return None


SED = Tool(flags={**_f(b=("-n", "--quiet", "--silent", "-E", "-r", "--regexp-extended", "-s",
                          "--separate", "-u", "--unbuffered", "-z", "--null-data"),
                       v=("-e", "--expression")),
                  **dict.fromkeys(("-i", "--in-place"), "!edits files in place"),
                  "-f": "!reads a script from a file", "--file": "!reads a script from a file"},
           check=_sed_check)


def _no_assign(args: list[str]) -> str | None:
    for arg in args:
        if "=" in arg and not arg.startswith("-"):
            return f"with '{arg}' sets a kernel parameter"
    return None


SYSCTL = Tool(flags={**_f(b=("-n", "--values", "-e", "--ignore", "-N", "--names", "-q",
                             "--quiet", "-a", "-A", "-X", "--all", "-b", "--binary", "-h",
                             "--help", "-V", "--version")),
                     "-w": "!sets kernel parameters", "--write": "!sets kernel parameters",
                     "-p": "!loads kernel parameters", "--load": "!loads kernel parameters",
                     "--system": "!loads kernel parameters"},
              check=_no_assign)


def _iptables_check(args: list[str]) -> str | None:
    if not any(a in ("-L", "--list", "-S", "--list-rules") or
               (a.startswith("-") and not a.startswith("--") and ("L" in a or "S" in a))
               for a in args):
        return "without -L or -S is not known to be read-only"
    return None


IPTABLES = Tool(flags=_f(b=("-L", "--list", "-S", "--list-rules", "-n", "--numeric", "-v",
                            "--verbose", "-x", "--exact", "--line-numbers"),
                         v=("-t", "--table")) | {"-w": optional(r"\d+"),
                                                 "--wait": optional(r"\d+")},
                operands=2, check=_iptables_check)


def _sleep_check(args: list[str]) -> str | None:
    if len(args) != 1 or not re.fullmatch(r"\d+(\.\d+)?[smh]?", args[0]):
        return "never ends or is not a plain duration"
    return None


def _date_check(args: list[str]) -> str | None:
    for arg in args:
        # -s/--set (GNU getopt also takes any prefix of --set, and -s inside a bundle: -us)
        if arg.startswith("--s") or (arg.startswith("-") and not arg.startswith("--")
                                     and "s" in arg[1:]):
            return f"with '{arg}' sets the clock"
        if not arg.startswith(("-", "+")):
            return f"with operand '{arg}' sets the clock"
    return None


def _find_check(args: list[str]) -> str | None:
    for arg in args:
        if arg in ("-delete", "-exec", "-execdir", "-ok", "-okdir", "-fls", "-fprint",
                   "-fprint0", "-fprintf"):
            return f"with '{arg}' deletes, writes or runs something"
    return None


def _uniq_check(args: list[str]) -> str | None:
    end = args.index("--") if "--" in args else len(args)
    operands = [a for a in args[:end] if not a.startswith("-") or a == "-"] + args[end + 1:]
    if len(operands) > 1:
        return "with a second file operand writes that file"
    return None


def _printf_check(args: list[str]) -> str | None:
    if args and args[0].startswith("-v"):  # bash's printf -v NAME assigns (and NAME[$(…)] runs)
        return "with -v assigns a shell variable"
    return None


def _dig_check(args: list[str]) -> str | None:
    for arg in args:
        if arg == "-f" or (arg.startswith("-f") and len(arg) > 2):
            return "with -f sends every line of a file as a query (to any server)"
    return None


def _getent_check(args: list[str]) -> str | None:
    if any(a in ("shadow", "gshadow") for a in args):
        return "prints password hashes"
    return None


def _ps_check(args: list[str]) -> str | None:
    for arg in args:  # BSD options (no dash): e adds each process' environment
        if not arg.startswith("-") and arg.isalpha() and "e" in arg:
            return f"with '{arg}' prints the processes' environments (tokens, passwords)"
    return None


def _jq_check(args: list[str]) -> str | None:
    for arg in args:
        if re.search(r"\benv\b|\$ENV\b|\$__prog_args|input_filename", arg):
            return f"with {arg!r} prints the environment of the capture"
    return None


def _reads_environ(args: list[str]) -> str | None:
    for arg in args:
        if re.search(r"(?:^|/)environ$", arg):
            return f"with '{arg}' prints a process' environment (tokens, passwords)"
    return None


NETSTAT = Tool(flags={
    **_f(b=tuple(f"-{c}" for c in "tulnpariseWxwgoe46vC") + (
        "--tcp", "--udp", "--listening", "--numeric", "--programs", "--all", "--route",
        "--interfaces", "--statistics", "--extend", "--wide", "--unix", "--raw", "--groups",
        "--timers", "--verbose"),
         v=("-A", "--protocol")),
    **_f(follow=("-c", "--continuous"))}, operands=0)

_X509 = Tool(exact_flags=True, flags={
    **_f(v=("-in", "-inform", "-ext", "-nameopt", "-checkend", "-certopt"),
         b=("-noout", "-text", "-subject", "-issuer", "-dates", "-enddate", "-startdate",
            "-serial", "-fingerprint", "-purpose", "-pubkey", "-modulus", "-email", "-ocspid",
            "-sha1", "-sha256", "-hash", "-subject_hash", "-issuer_hash")),
    "-out": "!writes a file"}, operands=0)
OPENSSL = Tool(subs={"x509": _X509, "version": Tool(flags=_f(b=("-a",)), operands=0)},
               bare=False)

PING = Tool(flags=_f(v=("-c", "-W", "-i", "-w", "-s", "-I"), b=("-q", "-4", "-6", "-n", "-D")),
            operands=1, require=("-c", "-w"),
            require_reason="without -c or -w never ends (it pings until killed)")

def _nft_check(args: list[str]) -> str | None:
    # nft joins its arguments into one script: a ';' or newline would start a second command
    for arg in args:
        if any(c in arg for c in ";\n{}"):
            return f"with {arg!r} may run a second nft command"
    return None


NFT = Tool(flags=_f(b=("-a", "--handle", "-n", "--numeric", "-s", "--stateless", "-j", "--json",
                       "-t", "--terse", "-y", "--numeric-priority", "-N", "--reversedns",
                       "-S", "--service", "-c", "--check")),
           subs={"list": Tool(any_args=True, check=_nft_check)}, bare=False)
IPTABLES_SAVE = Tool(flags={**_f(v=("-t", "--table"), b=("-c", "--counters")),
                            "-f": "!writes a file", "--file": "!writes a file",
                            "-M": "!runs the program it names to load a kernel module",
                            "--modprobe": "!runs the program it names to load a kernel module"},
                     operands=0)
_CTL_STATUS = Tool(flags=_f(v=("-p", "--property"), b=("-a", "--all", "--value")))
HOSTNAMECTL = Tool(flags=_f(b=("--static", "--transient", "--pretty", "--no-pager", "-j")),
                   subs={"status": _CTL_STATUS, "show": _CTL_STATUS, "hostname": Tool(operands=0)})
TIMEDATECTL = Tool(flags=_f(b=("--no-pager", "-a", "--all", "--value")), subs={
    "status": _CTL_STATUS, "show": _CTL_STATUS, "show-timesync": _CTL_STATUS,
    "timesync-status": _CTL_STATUS, "list-timezones": Tool(operands=0)})

_TAIL_HEAD = _f(v=("-n", "--lines", "-c", "--bytes"),
                b=("-q", "--quiet", "--silent", "-v", "--verbose", "-z", "--zero-terminated"))

PROGRAMS: dict[str, Tool] = {
    "kubectl": KUBECTL, "k3s": K3S, "crictl": CRICTL, "ctr": CTR, "nerdctl": NERDCTL,
    "systemctl": SYSTEMCTL, "journalctl": JOURNALCTL, "ip": IP, "ss": SS, "curl": CURL,
    "sed": SED, "sysctl": SYSCTL, "sleep": Tool(any_args=True, check=_sleep_check),
    "iptables": IPTABLES, "ip6tables": IPTABLES, "netstat": NETSTAT, "openssl": OPENSSL,
    "ping": PING, "docker": DOCKER, "helm": HELM, "nft": NFT, "iptables-save": IPTABLES_SAVE,
    "ip6tables-save": IPTABLES_SAVE, "hostnamectl": HOSTNAMECTL, "timedatectl": TIMEDATECTL,
    "tail": Tool(flags={**_TAIL_HEAD, **_f(follow=("-f", "-F", "--follow"))},
                 numeric_flag=True),
    "head": Tool(flags=_TAIL_HEAD, numeric_flag=True),
    "sort": Tool(flags=_f(b=tuple(f"-{c}" for c in "nrubfhVgMsRcCdi") + (
        "--numeric-sort", "--reverse", "--unique", "--human-numeric-sort", "--version-sort",
        "--ignore-case", "--stable", "--general-numeric-sort"),
        v=("-k", "--key", "-t", "--field-separator"), writes=("-o", "--output"))
        | {"--compress-program": "!runs a program"}),
    "uniq": Tool(any_args=True, check=_uniq_check),
    "date": Tool(any_args=True, check=_date_check),
    "find": Tool(any_args=True, check=_find_check),
    "hostname": Tool(flags=_f(b=("-f", "--fqdn", "--long", "-i", "--ip-address", "-I",
                                 "--all-ip-addresses", "-s", "--short", "-d", "--domain", "-A",
                                 "--all-fqdns")), operands=0),
    "free": Tool(flags=_f(b=("-b", "-k", "-m", "-g", "-h", "--human", "-t", "--total", "-w",
                             "--wide", "-l", "--lohi", "--si", "--kilo", "--mega", "--giga",
                             "--bytes", "--kibi", "--mebi", "--gibi")), operands=0),
    "mount": Tool(flags=_f(b=("-l", "--show-labels"), v=("-t", "--types")), operands=0),
    "findmnt": Tool(flags={**_f(b=("-l", "--list", "-n", "--noheadings", "-J", "--json", "-D",
                                   "--df", "-R", "--submounts", "-A", "--all", "-r", "--raw"),
                                v=("-t", "--types", "-o", "--output", "-S", "--source", "-T",
                                   "--target")),
                             **_f(follow=("-p", "--poll"))}),
    "dmesg": Tool(flags=_f(b=("-T", "--ctime", "-k", "--kernel", "-x", "--decode", "-t",
                              "--notime", "-H", "--human", "--nopager", "-L", "-u", "--userspace",
                              "-r", "--raw", "-P"),
                           v=("-l", "--level", "--time-format", "-f", "--facility")) | {
        **_f(follow=("-w", "--follow", "-W", "--follow-new"))}, operands=0),
    **{name: ANY for name in (
        "ls", "wc", "cut", "tr", "echo",
        "true", "false", "df", "du", "uname", "uptime", "id", "whoami", "groups", "nproc",
        "lscpu", "lsmod", "lsblk", "pwd", "printenv", "stat", "readlink", "realpath",
        "basename", "dirname", "which", "pgrep", "pidof", "column", "base64",
        "md5sum", "sha256sum", "nl", "fold", "expand", "cmp", "diff", "pstree",
        "nslookup", "host", "type")},
    # readers of files: not a process' environment (/proc/PID/environ)
    **{name: Tool(any_args=True, check=_reads_environ) for name in (
        "cat", "tac", "grep", "egrep", "fgrep", "zcat", "strings")},
    "printf": Tool(any_args=True, check=_printf_check),
    "dig": Tool(any_args=True, check=_dig_check),
    "getent": Tool(any_args=True, check=_getent_check),
    "ps": Tool(any_args=True, check=_ps_check),
    "jq": Tool(any_args=True, check=_jq_check),
}
"""Program name -> what is known to be read-only about it (``ANY``: every argument)."""
