"""The keyword rule on both sides, with real published samples: ``*_KEY`` values that are no
secret (cache, routing, topology, public keys) stay, secrets under a key name are redacted, in
every form (``KEY=v``, ``key: v``, ``"key": v``, ``key = v``)."""

from __future__ import annotations

import re

import pytest
from execdocs import secret_keywords, secrets
from hypothesis import given, settings
from hypothesis import strategies as st

# Lines copied from public pages, as printed (source on the line above each).
CLEAN = {
    # https://github.com/zegl/kube-score/issues/77 (a Deployment's pod anti-affinity)
    "topologyKey, quoted": '           - topologyKey: "kubernetes.io/hostname"\n',
    # https://garden.sgenov.dev/Kubernetes---Topology-Spread-Constraints
    "topologySpreadConstraints": (
        "  topologySpreadConstraints:\n  - maxSkew: 1\n    topologyKey: zone\n"
        "    whenUnsatisfiable: DoNotSchedule\n"
        "          topologyKey: topology.kubernetes.io/region\n"
        "          matchLabelKeys:\n            - pod-template-hash\n"),
    # https://github.com/dapr/docs/pull/2207 (setup-rabbitmq.md)
    "dapr routingKey": "  metadata:\n    routingKey: keya\n",
    # https://github.com/Yikun/hub-mirror-action/pull/61 (an actions/cache debug log)
    "actions/cache CACHE_KEY": (
        "2020-10-15T11:29:25.6217052Z ##[debug]Save intra-action state CACHE_KEY = "
        "Linux-yikun-hub-cache-20201015112925559\n"
        '2020-10-15T11:29:25.6853926Z ##[debug]{"scope":"refs/heads/refresh-cache-key",'
        '"cacheKey":"Linux-yikun-hub-cache-20201015112646656","cacheVersion":null}\n'),
    # https://github.com/WireGuard/wireguard-tools/pull/11 (wg-quick output, keys hidden)
    "wg-quick config": (
        "[Interface]\nPrivateKey = (hidden)\nListenPort = 51820\n\n[Peer]\n"
        "PublicKey = xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx=\nPresharedKey = (hidden)\n"
        "AllowedIPs = 0.0.0.0/0\nEndpoint = xxx.xxx.xxx.xxx:51820\nPersistentKeepalive = 25\n"),
    # https://github.com/hwdsl2/wireguard-install/issues/23 (wg show; its "public key:" line
    # is left out: gitleaks' generic-api-key flags it, and gitleaks' list is kept as it is)
    "wg show": "interface: wg0\n  private key: (hidden)\n  listening port: 51820\n",
    # https://github.com/HDInnovations/UNIT3D/issues/58 (.env lines with no secret)
    "laravel env, no secret": ("CACHE_DRIVER=file\nSESSION_DRIVER=file\nMAIL_USERNAME=null\n"
                               "MAIL_PASSWORD=null\n"),
    # the brief's own shapes: a ConfigMap of obvious non-secrets
    "configmap of keys": ("apiVersion: v1\ndata:\n  CACHE_KEY: v1\n  PRIMARY_KEY: id\n"
                          "  SSH_KEY_PATH: /home/x/.ssh/id_rsa\n  SORT_KEY: created_at\n"
                          "kind: ConfigMap\n"),
}

WG_HEX = "6040ad1d02595ad318d7b54673de74361d7cce0a1a617da5b851031243abe67a"

# (text, the secret value) -- real .env lines posted publicly, and the forms around them.
SECRET = {
    # https://github.com/HDInnovations/UNIT3D/issues/58
    "APP_KEY": ("APP_ENV=local\nAPP_KEY=1UIMUm9XiAjBZoCLTCap+AoslIsJ5sAptkBQkBLQyuk=\n",
                "1UIMUm9XiAjBZoCLTCap+AoslIsJ5sAptkBQkBLQyuk="),
    "DB_PASSWORD": ("DB_USERNAME=root\nDB_PASSWORD=Oct@2014\n", "Oct@2014"),
    # https://github.com/laravel/framework/issues/17140
    "PUSHER_APP_KEY": ("PUSHER_APP_KEY=base64:xWiu0LfiJsvKXxzDq6YgqL4mPqd3SapixvYkuRbT2cw=\n",
                       "base64:xWiu0LfiJsvKXxzDq6YgqL4mPqd3SapixvYkuRbT2cw="),
    # https://github.com/cloudflare/boringtun/issues/348 (a WireGuard key, as the UAPI prints it)
    "private_key=": ("set=1\nprivate_key=" + WG_HEX + "\n", WG_HEX),
    # the spaced form (INI, TOML, WireGuard's wg0.conf), which had no rule before
    "PrivateKey =": ("[Interface]\nPrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n",
                     "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk="),
    "my.cnf password =": ("[client]\nuser = app\npassword = Zq83kfPq\n", "Zq83kfPq"),
    "toml quoted": ('db_password = "abc123xyz"\n', "abc123xyz"),
    "a cache key's neighbour still a secret": ("CACHE_KEY=v1\nCACHE_SECRET_KEY=Zq83kfPqLm\n",
                                               "Zq83kfPqLm"),
    "signing key": ("signingKey: Zq83kfPqLm0\n", "Zq83kfPqLm0"),
}


@pytest.mark.parametrize("text", CLEAN.values(), ids=CLEAN.keys())
def test_real_non_secret_keys_stay(text: str) -> None:
    assert secrets.scan(text) == []
    assert secrets.redact(text)[0] == text


@pytest.mark.parametrize(("text", "value"), SECRET.values(), ids=SECRET.keys())
def test_real_secret_keys_redacted(text: str, value: str) -> None:
    redacted, _counts = secrets.redact(text)
    assert value not in redacted and "<REDACTED:" in redacted
    assert secrets.scan(redacted) == []


@pytest.mark.parametrize(("key", "holds"), [
    ("CACHE_KEY", False), ("primaryKey", False), ("topologyKey", False), ("PublicKey", False),
    ("routing_key", False), ("SSH_KEY_PATH", False), ("hotkey", False),
    ("STRIPE_API_KEY", True), ("PrivateKey", True), ("client-key", True), ("APP_KEY", True),
    ("AWS_SECRET_ACCESS_KEY", True), ("secretKey", True), ("apikey", True), ("HOST_KEY", True),
    ("PUBLIC_TOKEN", True),  # a token is a token, whatever its adjective
])
def test_which_key_names_hold_a_secret(key: str, holds: bool) -> None:
    assert secret_keywords.secret_key(key) is holds


def test_spaced_assignment_on_a_command_line_ends_at_the_blank() -> None:
    r = secrets.Redactor()
    out = r.redact("echo api_key = Zq83kfPq > conf.ini", shell=True)
    assert out == "echo api_key = <REDACTED:secret-value#1> > conf.ini"


def test_terraform_masks_are_no_values() -> None:
    text = ('  + password = (sensitive value)\n  + token    = (known after apply)\n'
            '  ~ api_key  = (sensitive)\n')
    assert secrets.scan(text) == []


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab_.-- \t\n=:é토", max_size=300), st.data())
def test_run_start_is_where_the_run_before_a_word_starts(text: str, data: st.DataObject) -> None:
    # the definition _run_start was first written as: the leftmost start of the class run
    # that ends at ``at``, searched within the look-back (O(n^2) in re; now read reversed)
    at = data.draw(st.integers(0, len(text)))
    line = text.rfind("\n", 0, at) + 1
    for ours, cls in ((secret_keywords._RUN_BEFORE, r"[\w.\-]*\Z"),
                      (secret_keywords._FLAG_RUN_BEFORE, r"[\w\-]*\Z")):
        lo = max(line, at - secret_keywords._LOOK_BACK)
        m = re.compile(cls).search(text, lo, at)
        start = at if m is None else m.start()
        expected = None if start == lo and lo > line else start
        assert secret_keywords._run_start(text, line, at, ours) == expected


def test_a_run_longer_than_the_look_back_is_no_key_the_rule_can_rule_out() -> None:
    text = "x = " + "a" * 250 + "password"
    at = text.index("password")
    assert secret_keywords._run_start(text, 0, at, secret_keywords._RUN_BEFORE) is None
    assert secret_keywords._run_start(text, 0, 4 + 20, secret_keywords._RUN_BEFORE) == 4
