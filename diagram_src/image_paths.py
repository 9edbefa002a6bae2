"""Image build and run paths: build anywhere, push to a registry, containerd pulls and runs."""

from _style import BLUE, EDGE, GRAPH, GREEN, NODE, ORANGE, box, cluster_attr, flow
from diagrams import Cluster, Diagram
from diagrams.k8s.compute import Pod
from diagrams.onprem.container import Containerd, Docker
from diagrams.onprem.registry import Harbor

K = "k3s-containerd.md#build-without-docker"

with Diagram("", direction="LR", graph_attr=GRAPH, node_attr=NODE, edge_attr=EDGE):
    with Cluster("개발 PC (가장 흔한 방식)", graph_attr=cluster_attr(ORANGE)):
        docker = Docker("docker build", URL="containerd-vs-docker.md#docker-today")
    with Cluster("Docker 없이 빌드", graph_attr=cluster_attr(BLUE)):
        buildkit = box("buildctl\n(BuildKit)", BLUE, url=K)
        kaniko = box("kaniko\n(클러스터 안에서 빌드)", BLUE, url=K, width="2.0")
        nerdctl = box("nerdctl build", BLUE, url=K)
    registry = Harbor("레지스트리")
    with Cluster("k3s 노드", graph_attr=cluster_attr(GREEN)):
        containerd = Containerd("containerd", URL="k3s-containerd.md#k3s-structure")
        pod = Pod("Pod")

    docker >> flow("docker push") >> registry
    buildkit >> flow("push") >> registry
    kaniko >> flow("push") >> registry
    nerdctl >> flow("push") >> registry
    registry >> flow("pull (kubelet이 CRI로 요청)") >> containerd >> flow("실행") >> pod
    nerdctl >> flow("--address …/k3s/… -n k8s.io", dashed=True) >> containerd
