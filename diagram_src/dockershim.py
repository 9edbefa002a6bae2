"""kubelet and Docker Engine: dockershim then (removed in 1.24), CRI now, cri-dockerd if Docker is
still wanted (containerd-vs-docker.md). Docker Engine itself still runs on containerd + runc."""

from _style import BLUE, EDGE, GRAPH, GREY, NODE, ORANGE, RED, box, cluster_attr, flow
from diagrams import Cluster, Diagram
from diagrams.k8s.controlplane import Kubelet
from diagrams.onprem.container import Containerd, Docker

D = "containerd-vs-docker.md"

with Diagram("", direction="LR", graph_attr=GRAPH, node_attr=NODE, edge_attr=EDGE):
    with Cluster("지금: CRI로 바로", graph_attr=cluster_attr(BLUE)):
        kubelet = Kubelet("kubelet", URL="kubelet.md#role")
        containerd = Containerd("containerd\n(CRI 플러그인)", URL=f"{D}#containerd")
        shim = box("shim", GREY, width="1.0")
        runc = box("runc", GREY, width="1.0")
        kubelet >> flow("CRI") >> containerd >> shim >> runc

    with Cluster("Docker Engine을 꼭 써야 하면: cri-dockerd", graph_attr=cluster_attr(GREY)):
        cd_kubelet = Kubelet("kubelet", URL="kubelet.md#role")
        cri_dockerd = box("cri-dockerd\n(kubelet 밖 어댑터)", GREY, url=f"{D}#dockershim",
                          width="1.9")
        cd_dockerd = Docker("dockerd", URL=f"{D}#docker-engine")
        cd_containerd = Containerd("containerd")
        cd_runc = box("runc", GREY, width="1.0")
        cd_kubelet >> flow("CRI") >> cri_dockerd >> flow("Docker API") >> cd_dockerd
        cd_dockerd >> cd_containerd >> cd_runc

    with Cluster("예전: dockershim → Docker Engine(dockerd), 1.24에서 제거",
                 graph_attr=cluster_attr(ORANGE)):
        old_kubelet = Kubelet("kubelet", URL="kubelet.md#role")
        old_shim = box("dockershim\n(kubelet 안 어댑터)", RED, url=f"{D}#dockershim",
                       width="1.9")
        dockerd = Docker("dockerd", URL=f"{D}#docker-engine")
        old_containerd = Containerd("containerd")
        old_runc = box("runc", GREY, width="1.0")
        old_kubelet >> flow("kubelet 내부") >> old_shim >> flow("Docker API") >> dockerd
        dockerd >> old_containerd >> old_runc
