"""Deployment -> ReplicaSet -> Pods, reached through a Service and kube-proxy."""

from _style import BLUE, EDGE, GRAPH, GREEN, NODE, ORANGE, cluster_attr, flow
from diagrams import Cluster, Diagram, Edge
from diagrams.k8s.compute import RS, Deploy, Pod
from diagrams.k8s.controlplane import KubeProxy
from diagrams.k8s.network import SVC
from diagrams.onprem.client import Users

OBJ = "eks-ha-objects.md#core-objects"

with Diagram("", direction="LR", graph_attr=GRAPH, node_attr=NODE, edge_attr=EDGE):
    clients = Users("클라이언트")
    svc = SVC("Service\n(고정 IP·이름)", URL=OBJ)
    proxy = KubeProxy("kube-proxy\n(노드마다)", URL="architecture.md#kube-proxy")
    with Cluster("Pod (레이블 app=nginx)", graph_attr=cluster_attr(GREEN)):
        pods = [Pod(f"Pod {i}", URL=OBJ) for i in (1, 2, 3)]
    with Cluster("Deployment가 관리", graph_attr=cluster_attr(BLUE)):
        rs = RS("ReplicaSet\n(복제·복구)", URL=OBJ)
        deploy = Deploy("Deployment\n(업데이트·롤백)", URL=OBJ)

    clients >> flow("요청", ORANGE) >> svc
    proxy >> flow("규칙 설정\n(iptables/IPVS)", dashed=True) >> svc
    for index, pod in enumerate(pods):
        # Only the middle edge of each fan carries the label: one label per relation.
        label = index == 1
        svc >> flow("셀렉터로 분산" if label else "", ORANGE) >> pod
        # Drawn pod -> rs with the arrow reversed, so the ReplicaSet sits right of its Pods.
        pod << Edge(label="개수 유지" if label else "", color="#7b8894") << rs
    rs << flow("생성·교체") << deploy
