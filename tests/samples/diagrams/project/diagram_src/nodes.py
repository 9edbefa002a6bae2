from _style import GRAPH
from diagrams import Diagram
from diagrams.k8s.compute import Pod
from diagrams.k8s.controlplane import APIServer

with Diagram("노드", graph_attr=GRAPH):
    APIServer("API 서버") >> [Pod("파드 1"), Pod("파드 2")]
