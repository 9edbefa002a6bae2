"""A request's path: kubectl -> API Server -> etcd, Scheduler, Controller Manager, kubelet.

Placed under kubelet.md#pod-flow, whose numbered steps these edges follow.
"""

from _style import BLUE, EDGE, GRAPH, GREEN, NODE, ORANGE, cluster_attr, flow
from diagrams import Cluster, Diagram
from diagrams.k8s.compute import Pod
from diagrams.k8s.controlplane import API, CM, Kubelet, Scheduler
from diagrams.k8s.infra import ETCD
from diagrams.onprem.client import User
from diagrams.onprem.container import Containerd

A = "architecture.md"

with Diagram("", direction="LR", graph_attr=GRAPH, node_attr=NODE, edge_attr=EDGE):
    user = User("kubectl", URL=f"{A}#api-server")
    with Cluster("컨트롤 플레인", graph_attr=cluster_attr(BLUE)):
        api = API("API Server", URL=f"{A}#api-server")
        etcd = ETCD("etcd", URL=f"{A}#etcd")
        cm = CM("Controller\nManager", URL=f"{A}#controller-manager")
        sched = Scheduler("Scheduler", URL=f"{A}#scheduler")
    with Cluster("노드 cp1", graph_attr=cluster_attr(GREEN)):
        kubelet = Kubelet("kubelet", URL="kubelet.md#role")
        runtime = Containerd("containerd", URL="container-runtime.md#runtime-role")
        pod = Pod("nginx Pod")

    user >> flow("① create deploy", ORANGE) >> api
    api >> flow("② 저장") >> etcd
    cm >> flow("③ Deployment →\nReplicaSet → Pod 생성", dashed=True) >> api
    sched >> flow("④ 노드 지정\n(cp1)", dashed=True) >> api
    api >> flow("⑤ PodSpec 전달") >> kubelet
    kubelet >> flow("⑥ CRI: pull·생성·시작") >> runtime >> pod
    kubelet >> flow("⑦ 상태 보고", dashed=True) >> api
