"""`make setup` stops early, with what to install, when the machine cannot build durable-rules.

durable-rules has no binary wheels: installing compiles its C extension, so a machine needs
a C compiler and the Python headers. `make check-build-tools` (run first by `make setup`)
says so in one sentence instead of failing deep inside pip's compiler output.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SENTENCE = ("coach needs Python 3.11+ with venv, and a C compiler plus Python headers for "
            "durable-rules' extension. Debian/Ubuntu: sudo apt-get install python3-venv "
            "python3-dev build-essential. macOS: xcode-select --install.")


def _check(path: str, cc: str) -> subprocess.CompletedProcess:
    make = shutil.which("make")
    assert make, "make is needed: `make test` is how the suite is run"
    return subprocess.run([make, "--no-print-directory", "-C", str(ROOT), "check-build-tools",
                           f"PYTHON={sys.executable}", f"CC={cc}"],
                          env={"PATH": path}, capture_output=True, text=True, timeout=60)


def test_no_c_compiler_fails_early_with_what_to_install(tmp_path):
    result = _check(str(tmp_path), "no-such-cc")  # an empty folder: no cc, gcc or clang
    assert result.returncode != 0
    assert f"No C compiler found (tried no-such-cc, cc, gcc, clang). {SENTENCE}" in result.stderr


def test_a_compiler_on_the_path_passes_the_compiler_check(tmp_path):
    fake = tmp_path / "cc"
    fake.write_text("#!/bin/sh\nexit 0\n")
    fake.chmod(0o755)
    result = _check(str(tmp_path), "no-such-cc")
    assert "No C compiler" not in result.stderr  # found cc (the headers are checked next)


def test_the_readme_says_the_same_sentence():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "sudo apt-get install python3-venv python3-dev build-essential" in readme
    assert "xcode-select --install" in readme
    assert "Only Python 3.11+ is needed" not in readme
