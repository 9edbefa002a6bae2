"""Docker Engine vs containerd under kubelet: dockershim then, CRI now (containerd-vs-docker.md)."""

from _style import BLUE, EDGE, GRAPH, GREY, NODE, ORANGE, RED, box, cluster_attr, flow
from diagrams import Cluster, Diagram
from diagrams.k8s.controlplane import Kubelet
from diagrams.onprem.container import Containerd, Docker

D = "containerd-vs-docker.md"

with Diagram("", direction="LR", graph_attr=GRAPH, node_attr=NODE, edge_attr=EDGE):
    with Cluster("지금: CRI로 바로", graph_attr=cluster_attr(BLUE)):
        kubelet = Kubelet("kubelet", URL="kubelet.md#role")
        containerd = Containerd("containerd\n(CRI 플러그인)", URL=f"{D}#containerd")
        runc = box("runc", GREY, width="1.0")
        kubelet >> flow("CRI") >> containerd >> runc

    with Cluster("예전: dockershim → Docker Engine(dockerd)", graph_attr=cluster_attr(ORANGE)):
        old_kubelet = Kubelet("kubelet", URL="kubelet.md#role")
        shim = box("dockershim\n(kubelet 안 어댑터)", RED, url=f"{D}#dockershim", width="1.9")
        dockerd = Docker("dockerd", URL=f"{D}#docker-engine")
        old_containerd = Containerd("containerd")
        old_runc = box("runc", GREY, width="1.0")
        old_kubelet >> flow("CRI") >> shim >> flow("Docker API") >> dockerd
        dockerd >> old_containerd >> old_runc
