"""On one node: kubelet -> CRI -> containerd -> shim -> runc -> container (container-runtime.md)."""

from _style import BLUE, EDGE, GRAPH, GREEN, GREY, NODE, box, cluster_attr, flow
from diagrams import Cluster, Diagram
from diagrams.k8s.compute import Pod
from diagrams.k8s.controlplane import Kubelet
from diagrams.onprem.container import Containerd

with Diagram("", direction="LR", graph_attr=GRAPH, node_attr=NODE, edge_attr=EDGE):
    with Cluster("노드 (리눅스 호스트)", graph_attr=cluster_attr(GREEN)):
        kubelet = Kubelet("kubelet", URL="kubelet.md#role")
        with Cluster("containerd", graph_attr=cluster_attr(BLUE)):
            cri = box("CRI 플러그인", BLUE, url="container-runtime.md#cri")
            daemon = Containerd("containerd 데몬",
                                URL="containerd-vs-docker.md#containerd")
        shim = box("containerd-shim", GREY, width="1.8")
        runc = box("runc\n(OCI 런타임)", GREY)
        pod = Pod("컨테이너\n프로세스", URL="container-runtime.md#runtime-role")

    kubelet >> flow("CRI (gRPC)\nunix 소켓") >> cri >> daemon
    daemon >> flow("컨테이너마다") >> shim >> flow("생성") >> runc >> flow("실행") >> pod
