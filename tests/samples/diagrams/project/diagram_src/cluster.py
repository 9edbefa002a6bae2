from _style import GRAPH
from diagrams import Cluster, Diagram, Edge
from diagrams.k8s.compute import Pod
from diagrams.k8s.controlplane import APIServer

with Diagram("클러스터", graph_attr=GRAPH):
    with Cluster("컨트롤 플레인"):
        api = APIServer("API 서버", URL="kubelet.md#role")
    api >> Edge(label="생성") >> Pod("파드")
