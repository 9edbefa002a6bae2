"""Managed EKS control plane vs a self-managed cluster: who runs what (eks-ha-objects.md#eks)."""

from _style import BLUE, EDGE, GRAPH, GREEN, NODE, ORANGE, cluster_attr, flow
from diagrams import Cluster, Diagram
from diagrams.aws.compute import EC2, EKS
from diagrams.k8s.controlplane import API
from diagrams.k8s.infra import ETCD, Node

E = "eks-ha-objects.md#eks"

with Diagram("", direction="TB", graph_attr=GRAPH, node_attr=NODE, edge_attr=EDGE):
    with Cluster("AWS EKS", graph_attr=cluster_attr(ORANGE)):
        with Cluster("AWS가 운영 (관리형 컨트롤 플레인)", graph_attr=cluster_attr(ORANGE)):
            eks = EKS("컨트롤 플레인\n(API·etcd)", URL=E)
        with Cluster("사용자가 운영: Managed Node Group",
                     graph_attr=cluster_attr(GREEN, label_below=True)):
            ng = [EC2(f"노드 {i} (EC2)", URL=E) for i in (1, 2)]
        eks << flow("kubelet 연결") << ng

    with Cluster("직접 운영 (self-managed)", graph_attr=cluster_attr(BLUE)):
        with Cluster("사용자가 운영: 컨트롤 플레인도", graph_attr=cluster_attr(BLUE)):
            api = API("API Server", URL="architecture.md#api-server")
            etcd = ETCD("etcd", URL="eks-ha-objects.md#ha")
            api >> flow("백업도 직접") >> etcd
        with Cluster("사용자가 운영: 노드", graph_attr=cluster_attr(GREEN, label_below=True)):
            nodes = [Node(f"노드 {i}", URL="architecture.md#node") for i in (1, 2)]
        api << flow("kubelet 연결") << nodes
