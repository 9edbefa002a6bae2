"""A request's path: kubectl -> API server -> etcd; controllers, scheduler and kubelet watch it.

Placed under kubelet.md#pod-flow, whose numbered steps these edges follow. kubelet is not sent the
PodSpec: it watches the API server for Pods bound to its node (the arrow points from kubelet).
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
        api = API("API 서버", URL=f"{A}#api-server")
        etcd = ETCD("etcd", URL=f"{A}#etcd")
        cm = CM("컨트롤러\n매니저", URL=f"{A}#controller-manager")
        sched = Scheduler("스케줄러", URL=f"{A}#scheduler")
    with Cluster("워커 노드 k3s-agent-1", graph_attr=cluster_attr(GREEN)):
        kubelet = Kubelet("kubelet", URL="kubelet.md#role")
        runtime = Containerd("containerd", URL="container-runtime.md#runtime-role")
        pod = Pod("nginx Pod")

    user >> flow("① create deploy", ORANGE) >> api
    api >> flow("② 저장") >> etcd
    cm >> flow("③ Deployment →\nReplicaSet → Pod 생성", dashed=True) >> api
    sched >> flow("④ 노드 지정\n(k3s-agent-1)", dashed=True) >> api
    # Drawn api -> kubelet with the arrow reversed: kubelet watches (arrow at the API server), and
    # the node stays right of the control plane as the numbered steps read.
    api << flow("⑤ watch: 내 노드에\n배정된 Pod 확인", dashed=True) << kubelet
    kubelet >> flow("⑥ CRI: sandbox·pull·시작") >> runtime >> pod
    kubelet >> flow("⑦ 상태 보고", dashed=True) >> api
