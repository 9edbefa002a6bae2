"""A highly available control plane: three API servers behind a load balancer, etcd quorum.

The same shape as k3s with three servers and embedded etcd (eks-ha-objects.md#k3s-ha)."""

from _style import BLUE, EDGE, GRAPH, GREEN, GREY, NODE, ORANGE, RED, box, cluster_attr, flow
from diagrams import Cluster, Diagram, Edge
from diagrams.k8s.controlplane import API, Kubelet
from diagrams.k8s.infra import ETCD

H = "eks-ha-objects.md#ha"

with Diagram("", direction="TB", graph_attr=GRAPH, node_attr=NODE, edge_attr=EDGE):
    with Cluster("워커 노드들", graph_attr=cluster_attr(GREEN)):
        kubelets = [Kubelet(f"kubelet\n(노드 {i})", URL="kubelet.md#role") for i in (1, 2)]
    lb = box("로드밸런서\n(API 엔드포인트 하나)", ORANGE, url=H, width="2.2")
    apis, etcds = [], []
    with Cluster("컨트롤 플레인 3대: etcd는 Raft로 복제 (과반수 2대면 동작, "
                 "k3s: 서버 3대 + 내장 etcd)",
                 graph_attr=cluster_attr(BLUE, label_below=True)):
        for i in (1, 2, 3):
            with Cluster(f"컨트롤 플레인 {i}", graph_attr=cluster_attr(BLUE)):
                api = API("API 서버", URL="architecture.md#api-server")
                etcd = ETCD(f"etcd {i}", URL=H)
                api >> etcd
            apis.append(api)
            etcds.append(etcd)
    backup = box("etcd 스냅샷 백업\n(복구의 핵심)", RED, url=H, width="2.0")

    kubelets >> flow("API 요청") >> lb >> apis
    # Peer links between etcd members must not push the members onto different ranks.
    for left, right in ((etcds[0], etcds[1]), (etcds[1], etcds[2])):
        left - Edge(style="dashed", color=GREY, constraint="false") - right
    etcds[1] >> flow("정기 백업") >> backup
