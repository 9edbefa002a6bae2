"""snippets core (no MkDocs import): console commands on the pages, checked against captures.

Writing a snippet (Markdown)::

    <!-- execdocs
    session: k3s-kubelet-down            # optional: this fence's capture session
    $ kubectl get nodes -o wide          # assertions below are about this command
      STATUS=NotReady where NAME=k3s-agent-1
      CONTAINER-RUNTIME^=containerd://
    -->
    ```console
    $ kubectl get nodes -o wide
    ```

    <!-- execdocs: skip: 설치 스크립트라 출력이 환경마다 다름 -->   (opt out, with a reason)

The page's session: front matter ``execdocs: {session: NAME}``, else mkdocs.yml
``plugins: - execdocs: snippets: session: NAME``. Captures live in
``captures/<session>/`` (format: ``store``).

Modules: ``parse`` (fences and directives, true lines), ``store`` (capture files),
``tables`` (kubectl-style tables), ``assertions``, ``check`` (the one engine), ``render`` and
``ansi`` (HTML), ``place`` (fence -> placeholder -> HTML), ``project`` (mkdocs.yml without
MkDocs, for the CLI and pytest). Secret rules are shared with the capture tool:
``execdocs.secrets``.
"""
