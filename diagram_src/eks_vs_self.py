"""Self-managed Kubernetes vs EKS: who runs the control plane, and the four ways to run EKS
nodes (eks-ha-objects.md#eks). EKS is Kubernetes; what differs is who operates what."""

from _style import BLUE, EDGE, GRAPH, GREEN, NODE, ORANGE, box, cluster_attr, flow
from diagrams import Cluster, Diagram
from diagrams.aws.compute import EKS
from diagrams.k8s.controlplane import API
from diagrams.k8s.infra import ETCD, Node

E = "eks-ha-objects.md#eks"

with Diagram("", direction="TB", graph_attr=GRAPH, node_attr=NODE, edge_attr=EDGE):
    with Cluster("Amazon EKS", graph_attr=cluster_attr(ORANGE)):
        with Cluster("AWS가 운영: 컨트롤 플레인 (여러 AZ)", graph_attr=cluster_attr(ORANGE)):
            eks = EKS("API 서버·etcd\n(백업 포함)", URL=E)
        with Cluster("노드 운영 방식 (섞어 쓸 수 있음)",
                     graph_attr=cluster_attr(GREEN, label_below=True)):
            self_nodes = box("자체 관리형 노드\n(EC2·업데이트 모두 사용자)", GREEN, url=E,
                             width="2.4")
            mng = box("관리형 노드 그룹\n(EKS가 EC2를 만들고 교체,\n업데이트 시점은 사용자)",
                      GREEN, url=E, width="2.6")
            fargate = box("Fargate\n(노드 없음, Pod마다 격리)", GREEN, url=E, width="2.4")
            auto = box("EKS Auto Mode\n(AWS가 노드 생성·패치·교체)", GREEN, url=E,
                       width="2.6")
        for nodes in (self_nodes, mng, fargate, auto):
            eks << flow("") << nodes

    with Cluster("직접 운영 (self-managed Kubernetes)", graph_attr=cluster_attr(BLUE)):
        with Cluster("사용자가 운영: 컨트롤 플레인도", graph_attr=cluster_attr(BLUE)):
            api = API("API 서버", URL="architecture.md#api-server")
            etcd = ETCD("etcd", URL="eks-ha-objects.md#ha")
            api >> flow("백업도 직접") >> etcd
        with Cluster("사용자가 운영: 노드", graph_attr=cluster_attr(GREEN, label_below=True)):
            nodes = [Node(f"노드 {i}", URL="architecture.md#node") for i in (1, 2)]
        api << flow("kubelet 연결") << nodes
