"""Read-only by default: which commands the capture tool refuses without --allow-mutating."""

from __future__ import annotations

import pytest
from execdocs.capture.mutating import mutation_reason

READ_ONLY = [
    "kubectl get nodes -o wide",
    "kubectl -n kube-system get pods",
    "kubectl describe pod nginx-7c5ddbdf54-2xkqz",
    "kubectl version --client",
    "kubectl create deployment nginx --image=nginx:1.27-alpine --dry-run=client -o yaml",
    "kubectl apply -f deploy.yaml --dry-run=server",
    "kubectl config view --minify",
    "kubectl rollout status deploy/nginx",
    "sudo crictl ps",
    "sudo crictl --runtime-endpoint unix:///run/k3s/containerd/containerd.sock info",
    "sudo ctr -n k8s.io containers ls",
    "sudo ctr -n k8s.io tasks ls",
    "sudo ctr -n k8s.io images ls",
    "sudo nerdctl -n k8s.io ps",
    "sudo k3s kubectl get nodes",
    "sudo k3s crictl images",
    "systemctl status k3s",
    "sudo journalctl -u k3s --no-pager | tail -n 20",
    "sudo ls -l /run/k3s/containerd/",
    "kubectl get pods 2>/dev/null | grep nginx",
    "kubectl get pods > /dev/null",
    "cat /etc/os-release",
    "curl -sk https://127.0.0.1:6443/healthz",
    "sed -n 1,5p /etc/rancher/k3s/k3s.yaml",
    "sysctl net.ipv4.ip_forward",
]

MUTATING = [
    ("kubectl create deploy nginx --image=nginx:1.27-alpine", "'kubectl create'"),
    ("kubectl apply -f deploy.yaml", "'kubectl apply'"),
    ("kubectl -n default delete pod nginx", "'kubectl delete'"),
    ("kubectl drain k3s-a2 --ignore-daemonsets", "'kubectl drain'"),
    ("kubectl cordon k3s-a2", "'kubectl cordon'"),
    ("kubectl rollout restart deploy/nginx", "'kubectl rollout restart'"),
    ("kubectl scale deploy nginx --replicas=3", "'kubectl scale'"),
    ("kubectl config use-context prod", "'kubectl config use-context'"),
    ("sudo systemctl restart k3s", "'systemctl restart'"),
    ("sudo systemctl stop k3s-agent", "'systemctl stop'"),
    ("sudo -n systemctl daemon-reload", "'systemctl daemon-reload'"),
    ("sudo ctr -n k8s.io images rm docker.io/library/nginx:1.27", "'ctr images rm'"),
    ("sudo ctr -n k8s.io tasks kill web-1", "'ctr tasks kill'"),
    ("sudo ctr run -d docker.io/library/busybox:1 x", "'ctr run'"),
    ("sudo ctr -n k8s.io images import img.tar", "'ctr images import'"),
    ("sudo crictl rmi --prune", "'crictl rmi'"),
    ("sudo crictl stopp abc", "'crictl stopp'"),
    ("sudo k3s kubectl delete ns demo", "'kubectl delete'"),
    ("kubectl get pods && kubectl delete pod x", "'kubectl delete'"),
    ("kubectl get cm x -o yaml | kubectl apply -f -", "'kubectl apply'"),
    ("kubectl get pods > pods.txt", "redirection '> pods.txt'"),
    ("echo 1 | sudo tee /proc/sys/net/ipv4/ip_forward", "'tee'"),
    ("sudo rm -rf /var/lib/rancher", "'rm'"),
    ("sudo reboot", "'reboot'"),
    ("curl -sfL https://get.k3s.io | sh -", "piping into 'sh'"),
    ("curl -X DELETE https://127.0.0.1:6443/api", "'curl'"),
    ("sudo sysctl -w net.ipv4.ip_forward=1", "'sysctl -w'"),
    ("sudo sed -i s/a/b/ /etc/rancher/k3s/config.yaml", "'sed -i'"),
    ("sudo k3s server --disable traefik", "'k3s server'"),
    ("helm install traefik traefik/traefik", "'helm install'"),
    ("timeout 5 kubectl delete pod x", "'kubectl delete'"),
    ("FOO=1 env BAR=2 kubectl apply -f x.yaml", "'kubectl apply'"),
    ("sh -c 'kubectl delete pod x'", "'kubectl delete'"),
    ("kubectl get pods 'unclosed", "cannot parse"),
]


@pytest.mark.parametrize("command", READ_ONLY)
def test_read_only_commands_run(command: str) -> None:
    assert mutation_reason(command) is None


@pytest.mark.parametrize(("command", "said"), MUTATING)
def test_mutating_commands_are_refused_with_a_reason(command: str, said: str) -> None:
    reason = mutation_reason(command)
    assert reason is not None and said in reason, reason
