"""On one node: kubelet -> CRI -> containerd -> one shim per Pod sandbox -> runc.

Placed in container-runtime.md#cri.
"""

from _style import BLUE, EDGE, GRAPH, GREEN, GREY, NODE, box, cluster_attr, flow
from diagrams import Cluster, Diagram
from diagrams.k8s.compute import Pod
from diagrams.k8s.controlplane import Kubelet
from diagrams.onprem.container import Containerd

with Diagram("", direction="LR", graph_attr=GRAPH, node_attr=NODE, edge_attr=EDGE):
    with Cluster("노드 (리눅스 호스트)", graph_attr=cluster_attr(GREEN)):
        kubelet = Kubelet("kubelet", URL="kubelet.md#role")
        with Cluster("containerd", graph_attr=cluster_attr(BLUE)):
            cri = box("CRI 플러그인\n(내장)", BLUE, url="container-runtime.md#cri")
            daemon = Containerd("containerd 데몬",
                                URL="containerd-vs-docker.md#containerd")
        shim = box("containerd-shim-runc-v2\n(Pod sandbox마다 하나)", GREY, width="2.4",
                   url="kubelet.md#k3s-process")
        runc = box("runc\n(OCI 런타임)", GREY)
        pod = Pod("Pod의\n컨테이너들\n(pause + 앱)", URL="container-runtime.md#runtime-role")

    kubelet >> flow("CRI (gRPC)\nunix 소켓") >> cri >> daemon
    daemon >> flow("Pod sandbox마다") >> shim >> flow("생성") >> runc >> flow("실행") >> pod
