"""Documentation shapes that are no secret, from a real MkDocs site of this field, next to the
same shapes with a real-looking value (which stay findings).

Each clean text is copied from k0sproject/k0s at dff90cee9a6e8e22c6d0f3efef0f9a77fc223be4 or
external-secrets/external-secrets at cc5bfbc2234ace9cb0caff4ea89c435cf517b27b (the path is named
with it); as the render-time guard sees a page, prose and the code block after it are lines of
one text. Before these fixes the guard withheld 18 blocks on k0s' 79 pages and 186 on
external-secrets' 125, most of them such placeholders and prose.
"""

from __future__ import annotations

import pytest
from execdocs import secrets

CLEAN = {
    # docs/cplb.md:88: an angle-bracket placeholder with a blank in it
    "cplb placeholder": '        - virtualIPs: ["<VIP address>/<netmask>"] # for instance '
                        '["172.16.0.100/16"]\n          authPass: "<my password>"\n',
    # docs/examples/oidc/oidc-provider-configuration.md:40: a flag's placeholder, continued
    "oidc flag": "k8s-oidc-helper --client-id=<CLIENT_ID> \\\n  --client-secret=<CLIENT_SECRET> "
                 "\\\n  --write=true\n",
    # docs/k0s-in-docker.md:97: a shell variable given a command's output
    "command substitution": "   token=$(docker exec k0s-controller k0s token create "
                            "--role=worker)\n",
    # docs/experimental-windows.md:18: prose ending in "token:", then the command block
    "prose then block": "On your Linux control plane node, generate a worker token:\n\n\n\n"
                        "k0s token create --role=worker > worker-token.txt\n",
    # external-secrets docs/api/spec.md:757: a definition list in prose
    "definition": "- aws_secret_access_key: Secret Access Key, which is used to authenticate "
                  "requests made to AWS services.\n",
    # external-secrets docs/provider/aws-secrets-manager.md:205: a key naming a format
    "format key": "        secretPushFormat: string\n",
    # external-secrets docs/examples/bitwarden.md:63: a command's output, not a value
    "env from a command": "    export BW_SESSION=$(bw unlock --passwordenv BW_PASSWORD --raw)\n",
    # external-secrets docs/guides/datafrom-rewrite.md:132: the filler an example shows
    "filler": '        "PASSWORD": "YYYY"\n',
    # external-secrets docs/api/controller-options.md:33: a flag named in a table's prose
    "flag in prose": "Maximum size of Vault token cache. Only used if --enable-vault-token-cache "
                     "is set.\n",
}

FOUND = {
    "cplb real value": '          authPass: "Zq8#rT2!vLp9"\n',
    "flag real value": "  --client-secret=9fK2mQ7xR4tV8wZ1 \\\n",
    "token assigned": "token=Xk2Jf9QmT4vR8sLp1Zc7\n",
    "kubeconfig token": "    token: Xk2Jf9QmT4vR8sLp1Zc7\n",
    "definition with a value": "- aws_secret_access_key: wJalrXUtnFEMIK7MDENGbPxRfiCYzEXAMPLE\n",
    "a value with blanks": "  password: correct horse battery staple\n",
    "secret key": "        secretKey: Xk2Jf9QmT4vR8sLp1Zc7\n",
    "env with a value": "    export BW_SESSION_TOKEN=Xk2Jf9QmT4vR8sLp1Zc7\n",
    "filler-like value": '        "PASSWORD": "YYYYa7Kq2"\n',
    "flag with a value": "  --vault-token s.Xk2Jf9QmT4vR8sLp1Zc7 \\\n",
}


@pytest.mark.parametrize("name", CLEAN)
def test_documentation_placeholders_are_no_secret(name: str) -> None:
    assert secrets.matches(CLEAN[name]) == []


@pytest.mark.parametrize("name", FOUND)
def test_the_same_shapes_with_a_value_are_found(name: str) -> None:
    assert secrets.matches(FOUND[name]), name
