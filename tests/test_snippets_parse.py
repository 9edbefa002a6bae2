"""Console fences found with the page file's own line numbers, wherever they sit."""

from __future__ import annotations

import textwrap

from execdocs.snippets.parse import parse_page


def _parse(text: str, session: str | None = "lab"):
    return parse_page("docs/p.md", textwrap.dedent(text), session)


def test_lines_count_front_matter_and_every_container() -> None:
    page = _parse("""\
        ---
        title: 노트
        execdocs:
          session: k3s
        ---
        # 제목

        ```console
        $ kubectl get nodes
        $ kubectl get pods -A
        ```

        !!! note "메모"
            ```console
            $ crictl ps
            ```

        ???+ tip
            ```console
            $ ctr -n k8s.io tasks ls
            ```

        === "탭 A"

            ```console
            $ sudo crictl pods
            ```

        === "탭 B"

            - 목록 안
              ```console
              $ kubectl describe pod <pod명>
              ```
        """)
    assert page.problems == []
    assert page.session == "k3s"
    found = [(c.line, c.text) for f in page.fences for c in f.commands]
    assert found == [
        (9, "kubectl get nodes"),
        (10, "kubectl get pods -A"),
        (15, "crictl ps"),
        (20, "ctr -n k8s.io tasks ls"),
        (26, "sudo crictl pods"),
        (33, "kubectl describe pod <pod명>"),
    ]
    assert [f.line for f in page.fences] == [8, 14, 19, 25, 32]
    assert [f.indent for f in page.fences][1:4] == ["    ", "    ", "    "]


def test_continuation_lines_join_one_command() -> None:
    page = _parse("""\
        ```console
        $ kubectl create deployment nginx \\
            --image=nginx:1.27-alpine
        $ kubectl get deploy
        ```
        """)
    cmds = page.fences[0].commands
    assert [(c.line, c.text) for c in cmds] == [
        (2, "kubectl create deployment nginx \\\n    --image=nginx:1.27-alpine"),
        (4, "kubectl get deploy"),
    ]


def test_directive_sets_session_exit_and_assertions_per_command() -> None:
    page = _parse("""\
        <!-- execdocs
        session: kubelet-down
        $ kubectl get nodes -o wide
          STATUS=NotReady where NAME=k3s-2
          rows=2
        $ kubectl describe node <노드명>
          exit: 1
          contains: NotReady
        -->
        ```console
        $ kubectl get nodes -o wide
        $ kubectl describe node <노드명>
        ```
        """)
    assert page.problems == []
    fence = page.fences[0]
    assert fence.session == "kubelet-down" and fence.directive_line == 1
    first, second = fence.commands
    assert first.assertions == [(4, "STATUS=NotReady where NAME=k3s-2"), (5, "rows=2")]
    assert (first.exit, second.exit) == (0, 1)
    assert second.assertions == [(8, "contains: NotReady")]


def test_one_line_directive_and_skip_with_reason() -> None:
    page = _parse("""\
        <!-- execdocs: skip: 설치 스크립트라 출력이 매번 다름 -->

        ```console
        $ curl -sfL https://get.k3s.io | sh -
        [INFO]  Finding release for channel stable
        ```
        """)
    assert page.problems == []
    assert page.fences[0].skip == "설치 스크립트라 출력이 매번 다름"


def test_skip_without_reason_is_a_problem() -> None:
    page = _parse("""\
        <!-- execdocs: skip: -->
        ```console
        $ ls
        ```
        """)
    assert [(p.line, p.message) for p in page.problems] == [(1, "'skip:' needs a reason")]


def test_unclosed_fence_is_reported_at_its_opening_line() -> None:
    page = _parse("""\
        # 제목

        ```console
        $ kubectl get nodes

        본문이 이어짐
        """)
    assert [(p.line, p.message) for p in page.problems] == [(3, "fence is never closed")]
    assert page.fences == []


def test_unclosed_fence_inside_tab_is_reported() -> None:
    page = _parse("""\
        === "탭"

            ```console
            $ kubectl get nodes

        다음 문단
        """)
    # superfences abandons the fence at the less-indented line: Python-Markdown shows text
    assert [(p.line, p.message.split(" (")[0]) for p in page.problems] == [
        (3, "console fence is not a fence to Python-Markdown")]
    assert page.fences == []


def test_prompt_in_a_non_console_fence_is_an_error() -> None:
    page = _parse("""\
        ```bash
        $ kubectl get nodes
        ```

        ```
        $ crictl ps
        ```

        ```bash
        kubectl apply -f x.yaml
        ```
        """)
    assert [(p.line, p.message.split(" holds")[0]) for p in page.problems] == [
        (1, "fence 'bash'"), (5, "fence '(no language)'")]


def test_output_written_under_a_command_is_kept_as_the_pages_claim() -> None:
    page = _parse("""\
        ```console
        # on the server
        $ kubectl get nodes
        NAME    STATUS
        k3s-1   Ready

        $ kubectl get ns
        ```
        """)
    assert page.problems == []
    first, second = page.fences[0].commands
    assert (first.output, first.output_line) == (["NAME    STATUS", "k3s-1   Ready"], 4)
    assert (second.output, second.output_line) == ([], None)
    assert page.fences[0].preamble == ["# on the server"]


def test_heredoc_and_continuation_are_one_command() -> None:
    page = _parse("""\
        ```console
        $ cat <<EOF | sudo tee /etc/modules-load.d/k8s.conf
        overlay
        $ not a command inside the heredoc
        EOF
        $ sudo sysctl --system \\
            -q
        $ cat <<-'END' > x \\
          && echo done
        \tbody
        \tEND
        overlay
        ```
        """)
    assert page.problems == []
    texts = [c.text for c in page.fences[0].commands]
    assert texts == [
        "cat <<EOF | sudo tee /etc/modules-load.d/k8s.conf\noverlay\n"
        "$ not a command inside the heredoc\nEOF",
        "sudo sysctl --system \\\n    -q",
        "cat <<-'END' > x \\\n  && echo done\n\tbody\n\tEND",
    ]
    assert page.fences[0].commands[2].output == ["overlay"]


def test_a_quoted_string_over_lines_is_one_command() -> None:
    # ingress-nginx examples/auth/basic/README.md:40: `$ echo "` then a manifest then
    # `" | kubectl create -f -` was the command `echo "` and seven lines of written output
    page = _parse("""\
        ```console
        $ echo "
        apiVersion: v1
        kind: Namespace
        metadata:
          name: 'demo'   # a quote and a '#' inside the string
        " | kubectl apply -f -
        namespace/demo created
        $ kubectl get ns demo -o jsonpath='{.metadata.name}'  # it's a comment
        demo
        $ echo 'it is \\
        one line' \\
          && echo done
        it is \\
        ```
        """)
    assert page.problems == []
    first, second, third = page.fences[0].commands
    assert first.text == ('echo "\napiVersion: v1\nkind: Namespace\nmetadata:\n'
                          "  name: 'demo'   # a quote and a '#' inside the string\n"
                          '" | kubectl apply -f -')
    assert first.output == ["namespace/demo created"]
    assert second.output == ["demo"]
    assert third.text == "echo 'it is \\\none line' \\\n  && echo done"
    assert third.output == ["it is \\"]


def test_a_quote_never_closed_is_reported() -> None:
    page = _parse("""\
        ```console
        $ echo it's broken
        more
        ```
        """)
    assert [(p.line, p.message.split(",")[0]) for p in page.problems] == [
        (2, "a quote (') opened in this command is never closed in the fence")]
    assert page.fences[0].commands[0].text == "echo it's broken\nmore"  # nothing dropped


def test_unclosed_heredoc_is_reported() -> None:
    page = _parse("""\
        ```console
        $ cat <<EOF > x
        a
        ```
        """)
    assert [(p.line, p.message) for p in page.problems] == [
        (2, "heredoc 'EOF' is never closed in the fence")]


def test_output_only_console_fence_is_plain_code() -> None:
    page = _parse("""\
        ```console
        NAME    STATUS
        ```
        """)
    assert page.problems == [] and page.fences == []


def test_directive_problems() -> None:
    page = _parse("""\
        <!-- execdocs
        $ kubectl get svc
          rows=1
        -->
        ```console
        $ kubectl get pods
        $ kubectl get nodes
        ```

        <!-- execdocs
        STATUS=Ready
        exit: zero
        -->
        ```console
        $ a
        $ b
        ```

        <!-- execdocs: session: x -->

        문단
        """)
    assert [(p.line, p.message.split(":")[0]) for p in page.problems] == [
        (2, "directive names command 'kubectl get svc' that is not in the fence below (line 5)"),
        (12, "'exit"),
        (11, "assertion 'STATUS=Ready' does not say which command of the fence at line 14 it is "
             "about"),
        (19, "execdocs directive is not followed by a console fence"),
    ]


def test_indented_code_holding_a_fence_is_not_skipped_silently() -> None:
    # five spaces: the tab's content is indented too far, so CommonMark sees indented code
    page = _parse("""\
        para

            ```console
            $ kubectl get nodes
            ```
        """)
    assert [(p.line, p.message.split(":")[0]) for p in page.problems] == [
        (3, "fence inside an indented code block")]
    assert page.fences == []


def test_front_matter_errors_point_at_line_one() -> None:
    page = _parse("""\
        ---
        execdocs: k3s
        ---
        text
        """)
    assert [(p.line, p.message) for p in page.problems] == [
        (1, "front matter 'execdocs' must be a mapping")]


def test_a_console_fence_with_another_prompt_is_reported_not_silently_passed() -> None:
    # kubernetes-sigs/aws-load-balancer-controller docs/deploy/upgrade/migrate_v1_v2.md:56
    page = ("1. Determine the version.\n```console\nfoo@bar:~$ kubectl describe deployment -n "
            "kube-system alb-ingress-controller | grep Image\n"
            "    Image:      docker.io/amazon/aws-alb-ingress-controller:v1.1.9\n```\n\n"
            "```console\nroot@node:/# crictl ps\n```\n\n```console\nplain output only\n```\n")
    problems = parse_page("docs/p.md", page, "lab").problems
    # one line for the page (rook's rbd-mirroring.md had 16 such fences), naming the others
    assert [(p.line, p.message.split(";")[0]) for p in problems] == [
        (3, "2 console fence(s) have no '$ ' command")]
    assert "'foo@bar:~$'" in problems[0].message and "line(s) 8" in problems[0].detail
