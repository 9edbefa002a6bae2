"""A k3s node: one k3s process with an embedded kubelet and a bundled containerd."""

from _style import BLUE, EDGE, GRAPH, GREEN, GREY, NODE, ORANGE, box, cluster_attr, flow
from diagrams import Cluster, Diagram
from diagrams.k8s.compute import Pod
from diagrams.k8s.controlplane import Kubelet
from diagrams.onprem.client import User
from diagrams.onprem.container import K3S, Containerd, Docker

K = "k3s-containerd.md"

with Diagram("", direction="LR", graph_attr=GRAPH, node_attr=NODE, edge_attr=EDGE):
    with Cluster("k3s 노드", graph_attr=cluster_attr(GREEN)):
        with Cluster("k3s 프로세스 하나", graph_attr=cluster_attr(BLUE)):
            k3s = K3S("k3s 프로세스", URL=f"{K}#k3s-structure")
            kubelet = Kubelet("kubelet (내장)", URL="kubelet.md#k3s-process")
        containerd = Containerd("번들 containerd\n(자식 프로세스)", URL=f"{K}#k3s-structure")
        sock = box("/run/k3s/containerd/\ncontainerd.sock", BLUE, url=f"{K}#socket", width="2.6")
        pods = Pod("Pod 컨테이너\n(k8s.io)")
        with Cluster("(설치돼 있어도) 별개", graph_attr=cluster_attr(ORANGE, label_below=True)):
            docker = Docker("Docker Engine", URL=f"{K}#docker-ps")
            docker_sock = box("/run/docker.sock", GREY, width="2.0")
        crictl = User("k3s crictl\nk3s ctr", URL=f"{K}#k3s-structure")
        docker_ps = User("docker ps", URL=f"{K}#docker-ps")

    k3s - flow("함께 실행") - kubelet
    k3s >> flow("시작·관리") >> containerd
    kubelet >> flow("CRI") >> sock >> containerd >> flow("실행") >> pods
    crictl >> flow("k3s 소켓") >> sock
    docker_ps >> flow("Pod는 안 보임", dashed=True) >> docker_sock >> docker
