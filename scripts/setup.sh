#!/usr/bin/env bash
# Idempotent set-up on a fresh Debian machine: system packages, then .venv with the project.
# Used by scripts/serve.sh and scripts/test.sh; safe to run again (it skips what is done).
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: Graphviz renders diagrams, fonts-nanum gives Graphviz and the SVGs a Hangul
# font, chromium runs the browser tests, containerd/runc/busybox-static back the capture-tool
# tests, openssh-server lets the ssh runner be tested on 127.0.0.1, kubectl is the real client the
# capture tests run (client-only commands; no cluster exists on these machines).
# openssl makes the certificate and key the redaction tests must hide. npm installs axe-core
# (the accessibility test's rule engine) from the npm registry.
APT_PACKAGES=(graphviz fonts-nanum fontconfig chromium containerd runc busybox-static openssh-server kubectl openssl)
# Debian's npm only where no npm is installed (a Node.js from elsewhere brings its own).
command -v npm >/dev/null || APT_PACKAGES+=(npm)
if [[ "${EXECDOCS_SKIP_APT:-0}" != 1 ]]; then
    missing=()
    for pkg in "${APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    if ((${#missing[@]})); then
        if [[ $(id -u) -eq 0 ]]; then
            echo "setup: installing Debian packages: ${missing[*]}"
            export DEBIAN_FRONTEND=noninteractive
            apt-get update -q
            apt-get install -y -q --no-install-recommends "${missing[@]}"
        else
            echo "setup: missing Debian packages: ${missing[*]}" >&2
            echo "setup: run:  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
            exit 1
        fi
    fi
fi

PYTHON=${PYTHON:-python3}
if [[ ! -x .venv/bin/python ]]; then
    echo "setup: creating .venv"
    "$PYTHON" -m venv .venv
fi
# Reinstall only when the dependency list changed: a stamp keyed on pyproject.toml's hash.
stamp=.venv/.execdocs-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
    echo "setup: installing Python packages into .venv"
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e '.[test]'
    echo "$want" > "$stamp"
fi
# Byte-compile the plugin as pip does for a regular install (an editable one is left as source):
# where PYTHONDONTWRITEBYTECODE is set (CI, this machine), every build process would otherwise
# compile it again, ~0.15 s of CPU each (bench/README.md). Up-to-date files are skipped; a
# source edited later is newer than its .pyc and is compiled on import as before.
.venv/bin/python -m compileall -q plugins/execdocs

# axe-core for the accessibility test (tests/test_a11y.py), from the npm registry at the version
# tests/a11y/package-lock.json pins; `npm ci` checks its integrity hash. Skipped when that very
# version is installed; the test never downloads anything.
axe_want=$(sed -n 's/.*"axe-core": "\(.*\)".*/\1/p' tests/a11y/package.json)
axe_have=$(node -p 'require("./tests/a11y/node_modules/axe-core/package.json").version' 2>/dev/null || true)
if [[ "$axe_have" != "$axe_want" ]]; then
    echo "setup: installing axe-core $axe_want into tests/a11y/node_modules (npm ci)"
    npm ci --prefix tests/a11y --no-audit --no-fund --ignore-scripts --loglevel=error
fi

# Zensical (README "Zensical"; tests/test_zensical.py builds the site with it): its own venv, so
# its pins never move the MkDocs stack above. 0.0.73 is the newest release that installs from
# the package index here: 0.0.74 and 0.1.x require a zensical-ui release it does not have.
ZENSICAL_PIN="zensical==0.0.73"
zstamp=.venv-zensical/.execdocs-installed
zwant=$(printf '%s %s' "$ZENSICAL_PIN" "$want" | sha256sum | cut -d' ' -f1)
if [[ ! -x .venv-zensical/bin/python ]]; then
    echo "setup: creating .venv-zensical"
    "$PYTHON" -m venv .venv-zensical
fi
if [[ ! -f $zstamp || $(cat "$zstamp") != "$zwant" ]]; then
    echo "setup: installing Zensical and the project into .venv-zensical"
    .venv-zensical/bin/python -m pip install -q --upgrade pip
    .venv-zensical/bin/python -m pip install -q -e . "$ZENSICAL_PIN"
    echo "$zwant" > "$zstamp"
fi
