"""The adapter runs on the Python versions hosts use: Picard supports older ones than this."""

from __future__ import annotations

import ast
import unittest
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "vouch_adapter"


class OldestSupportedPython(unittest.TestCase):
    def test_the_package_parses_as_python_3_9(self) -> None:
        files = sorted(PACKAGE.glob("*.py"))
        self.assertTrue(files)
        for path in files:
            with self.subTest(file=path.name):
                ast.parse(path.read_text(encoding="utf-8"), str(path), feature_version=(3, 9))

    def test_only_the_standard_library_is_imported(self) -> None:
        import sys

        allowed = set(getattr(sys, "stdlib_module_names", ())) | {"__future__"}
        if not allowed or len(allowed) < 10:
            self.skipTest("this Python does not list its standard modules")
        for path in sorted(PACKAGE.glob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                for name in names:
                    with self.subTest(file=path.name, module=name):
                        self.assertIn(name.split(".")[0], allowed)


if __name__ == "__main__":
    unittest.main()
