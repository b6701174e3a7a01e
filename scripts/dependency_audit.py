"""Audit the installed dependencies for known vulnerabilities, where the database is reachable.

Runs pip-audit against PyPI's vulnerability data. Exits 1 when any installed package has a known
vulnerability; prints a notice and exits 0 when the data cannot be reached (an offline machine,
or a registry mirror that does not serve it), so CI says plainly that the audit did not happen.
"""

from __future__ import annotations

import json
import subprocess
import sys


def main() -> int:
    """Run pip-audit and judge its JSON report."""
    result = subprocess.run(  # a fixed command line
        [
            sys.executable,
            "-m",
            "pip_audit",
            "--vulnerability-service",
            "pypi",
            "--skip-editable",
            "--progress-spinner",
            "off",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print("NOTICE: dependency audit skipped: pip-audit could not reach the vulnerability data.")
        print(result.stderr.strip().splitlines()[-1:] or "")
        return 0
    packages = report.get("dependencies", [])
    audited = [package for package in packages if "skip_reason" not in package]
    vulnerable = [package for package in audited if package.get("vulns")]
    if not audited:
        print(
            f"NOTICE: dependency audit skipped: none of the {len(packages)} installed packages "
            "could be looked up in PyPI's vulnerability data from this machine."
        )
        return 0
    for package in vulnerable:
        ids = ", ".join(vuln["id"] for vuln in package["vulns"])
        print(f"VULNERABLE: {package['name']} {package['version']}: {ids}")
    print(f"Dependency audit: {len(audited)} packages audited, {len(vulnerable)} vulnerable.")
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main())
