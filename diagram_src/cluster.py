"""The cluster: a control plane that manages, nodes that run Pods (architecture.md)."""

from _style import BLUE, EDGE, GRAPH, GREEN, NODE, cluster_attr, flow
from diagrams import Cluster, Diagram
from diagrams.k8s.compute import Pod
from diagrams.k8s.controlplane import API, CM, Kubelet, KubeProxy, Scheduler
from diagrams.k8s.infra import ETCD
from diagrams.onprem.container import Containerd

A = "architecture.md"

with Diagram("", direction="TB", graph_attr=GRAPH, node_attr=NODE, edge_attr=EDGE):
    with Cluster("컨트롤 플레인 (관리 영역)", graph_attr=cluster_attr(BLUE)):
        cm = CM("Controller\nManager", URL=f"{A}#controller-manager")
        sched = Scheduler("Scheduler", URL=f"{A}#scheduler")
        api = API("API Server", URL=f"{A}#api-server")
        etcd = ETCD("etcd", URL=f"{A}#etcd")
        cm >> flow("감시·조정") >> api
        sched >> flow("감시·배치") >> api
        api >> flow("상태 저장") >> etcd

    for number in (1, 2):
        node_attr = cluster_attr(GREEN, label_below=True)
        with Cluster(f"노드 {number} (작업 노드)", graph_attr=node_attr):
            kubelet = Kubelet("kubelet", URL=f"{A}#kubelet")
            proxy = KubeProxy("kube-proxy", URL=f"{A}#kube-proxy")
            runtime = Containerd("컨테이너 런타임", URL=f"{A}#container-runtime")
            pods = Pod("Pod")
            kubelet >> flow("CRI") >> runtime >> flow("실행") >> pods
        api << flow("감시 / 보고") << kubelet
        api << flow("Service 감시", dashed=True) << proxy
