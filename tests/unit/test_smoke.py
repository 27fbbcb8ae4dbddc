"""`python -m faststore_desktop --smoke` from source: the same check the packaged binary runs."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

SMOKE_TIMEOUT = 180


#: keyring's own switch: this backend refuses everything, as on a machine without a keyring.
NO_KEYRING = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


def run_smoke(
    *, code: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`--smoke` in a fresh interpreter (the test's temporary HOME and XDG dirs apply); `code`
    replaces `-m faststore_desktop --smoke` with a script that ends by running it."""
    argv = ["-c", code] if code else ["-m", "faststore_desktop", "--smoke"]
    return subprocess.run(
        [sys.executable, *argv],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})},
        capture_output=True,
        text=True,
        timeout=SMOKE_TIMEOUT,
        check=False,
    )


def test_smoke_passes_without_a_keyring_and_says_so() -> None:
    result = run_smoke(env=NO_KEYRING)  # even when the suite runs with a Secret Service
    assert result.returncode == 0, result.stderr
    assert "keyring: NONE USABLE" in result.stdout
    assert "temporary passphrase-derived key" in result.stdout
    assert "database: 'Sample store' opened with 5 entries" in result.stdout
    assert ": Success in " in result.stdout
    assert result.stdout.rstrip().splitlines()[-1].startswith("smoke: ok in ")


@pytest.mark.keyring
def test_smoke_round_trips_the_real_keyring_and_leaves_nothing(real_keyring: object) -> None:
    import secretstorage

    from faststore_desktop.webops.keychain import TOKEN_SERVICE

    result = run_smoke()
    assert result.returncode == 0, result.stderr
    assert "(a system store): round trip ok" in result.stdout
    connection = secretstorage.dbus_init()
    try:
        left = list(secretstorage.search_items(connection, {"service": TOKEN_SERVICE}))
    finally:
        connection.close()
    assert left == []


def test_a_failing_deployment_fails_the_smoke_with_the_step_and_its_log() -> None:
    code = textwrap.dedent(
        """
        import sys
        from faststore_desktop.core.changeset import ChangeSet
        from faststore_desktop.webops.local import sample
        seeded = sample.sample_entries
        # The sample store without the key its build requires: the build must fail.
        sample.sample_entries = lambda: ChangeSet(
            [op for op in seeded() if op.key != "FS_DISCOVERY_APP_KEY"]
        )
        from faststore_desktop.__main__ import main
        sys.exit(main(["--smoke"]))
        """
    )
    result = run_smoke(code=code, env=NO_KEYRING)
    assert result.returncode == 1
    reason = result.stderr
    assert "faststore-desktop --smoke: FAILED: the deployment ended Failed" in reason
    assert "step 'Build' Failed" in reason
    assert "Error: FS_DISCOVERY_APP_KEY is not set" in reason
    assert "Traceback" not in reason
    assert "smoke: ok" not in result.stdout
