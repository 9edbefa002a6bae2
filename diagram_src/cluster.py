"""The cluster: a control plane that manages, worker nodes that run Pods (architecture.md).

Every component watches the API server and writes back to it; nothing is pushed to kubelet.
"""

from _style import BLUE, EDGE, GRAPH, GREEN, NODE, cluster_attr, flow
from diagrams import Cluster, Diagram
from diagrams.k8s.compute import Pod
from diagrams.k8s.controlplane import API, CM, Kubelet, KubeProxy, Scheduler
from diagrams.k8s.infra import ETCD
from diagrams.onprem.container import Containerd

A = "architecture.md"

with Diagram("", direction="TB", graph_attr=GRAPH, node_attr=NODE, edge_attr=EDGE):
    with Cluster("컨트롤 플레인 (관리 영역)", graph_attr=cluster_attr(BLUE)):
        cm = CM("컨트롤러\n매니저", URL=f"{A}#controller-manager")
        sched = Scheduler("스케줄러", URL=f"{A}#scheduler")
        api = API("API 서버", URL=f"{A}#api-server")
        etcd = ETCD("etcd", URL=f"{A}#etcd")
        cm >> flow("watch·조정") >> api
        sched >> flow("watch·배치") >> api
        api >> flow("상태 저장") >> etcd

    for number in (1, 2):
        node_attr = cluster_attr(GREEN, label_below=True)
        with Cluster(f"워커 노드 {number}", graph_attr=node_attr):
            kubelet = Kubelet("kubelet", URL=f"{A}#kubelet")
            proxy = KubeProxy("kube-proxy", URL=f"{A}#kube-proxy")
            runtime = Containerd("컨테이너 런타임", URL=f"{A}#container-runtime")
            pods = Pod("Pod")
            kubelet >> flow("CRI") >> runtime >> flow("실행") >> pods
        api << flow("watch / 상태 보고") << kubelet
        api << flow("Service watch", dashed=True) << proxy
