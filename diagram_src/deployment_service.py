"""Deployment -> ReplicaSet -> Pods; a Service is a virtual IP that node rules turn into Pod IPs.

kube-proxy writes iptables/nftables rules on every node; packets go from the client straight to a
Pod IP through those rules, so the Service is drawn as a name tag beside the path, not a hop.
"""

from _style import BLUE, EDGE, GRAPH, GREEN, GREY, NODE, ORANGE, box, cluster_attr, flow
from diagrams import Cluster, Diagram, Edge
from diagrams.k8s.compute import RS, Deploy, Pod
from diagrams.k8s.controlplane import KubeProxy
from diagrams.k8s.network import SVC
from diagrams.onprem.client import Users

OBJ = "eks-ha-objects.md#core-objects"
PROXY = "architecture.md#kube-proxy"

with Diagram("", direction="LR", graph_attr=GRAPH, node_attr=NODE, edge_attr=EDGE):
    clients = Users("클라이언트")
    rules = box("노드의 iptables/nftables 규칙\n(가상 IP → Pod IP)", ORANGE, url=PROXY,
                width="2.8")
    svc = SVC("Service\n(가상 IP·이름)", URL=OBJ)
    proxy = KubeProxy("kube-proxy\n(노드마다)", URL=PROXY)
    with Cluster("Pod (레이블 app=nginx)", graph_attr=cluster_attr(GREEN)):
        pods = [Pod(f"Pod {i}", URL=OBJ) for i in (1, 2, 3)]
    with Cluster("Deployment가 관리", graph_attr=cluster_attr(BLUE)):
        rs = RS("ReplicaSet\n(복제·복구)", URL=OBJ)
        deploy = Deploy("Deployment\n(업데이트·롤백)", URL=OBJ)

    clients >> flow("요청 (Service IP로)", ORANGE) >> rules
    svc >> flow("watch", dashed=True) >> proxy
    proxy >> flow("규칙 작성", dashed=True) >> rules
    for index, pod in enumerate(pods):
        # Only the middle edge of each fan carries the label: one label per relation.
        label = index == 1
        rules >> flow("Pod IP로 바로 전달" if label else "", ORANGE) >> pod
        # Drawn pod -> rs with the arrow reversed, so the ReplicaSet sits right of its Pods.
        pod << Edge(label="개수 유지" if label else "", color=GREY) << rs
    rs << flow("생성·교체") << deploy
