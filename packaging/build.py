"""Build tabledesk's one-folder distribution(s) with PyInstaller, smoke-test them, print figures.

    python packaging/build.py                  # plain, and OCR where the extra is installed
    python packaging/build.py --variant plain  # only the plain build (what CI does)
    python packaging/build.py --no-smoke       # build only (e.g. on Windows before Inno Setup)

Needs the ``build`` extra, installed with the lock: ``pip install -c packaging/constraints.txt
-e .[build]``; the build refuses to start when an installed package differs from its pinned
version (``--allow-drift`` to build anyway, e.g. to try an upgrade). Output: ``dist/tabledesk/`` and
``dist/tabledesk-ocr/`` (work files in ``build/``), and ``dist/build-report.json`` with the
figures printed at the end: build time, folder size, sample export, and on Linux the time from
launch to the first window under Xvfb (cold when run as root, which may drop the page cache).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "packaging"))

from smoke import SmokeError, describe, folder_size, smoke  # noqa: E402

OCR_MODULES = ("rapidocr_onnxruntime", "onnxruntime", "cv2")
VARIANT_FOLDER = {"plain": "tabledesk", "ocr": "tabledesk-ocr"}


CONSTRAINTS = ROOT / "packaging" / "constraints.txt"


def pins(path: Path = CONSTRAINTS) -> dict[str, str]:
    """Normalised package name -> pinned version, from the lock's ``name==version`` lines."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            out[normalise(name)] = version.strip()
    return out


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name.strip()).lower()


def lock_drift(path: Path = CONSTRAINTS) -> list[str]:
    """'name: installed X, locked Y' for each installed package that differs from the lock
    (packages not installed here, such as pefile off Windows, are not drift)."""
    out = []
    for name, want in pins(path).items():
        try:
            have = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
        if have != want:
            out.append(f"{name}: installed {have}, locked {want}")
    return out


def ocr_missing() -> list[str]:
    return [m for m in OCR_MODULES if importlib.util.find_spec(m) is None]


def build(variant: str, dist: Path, work: Path) -> float:
    """Run PyInstaller on the spec for ``variant``; returns the seconds it took."""
    env = dict(os.environ, TABLEDESK_VARIANT=variant)
    command = [
        sys.executable, "-m", "PyInstaller", str(ROOT / "packaging" / "tabledesk.spec"),
        "--noconfirm", "--clean", "--log-level", "WARN",
        "--distpath", str(dist), "--workpath", str(work / f"pyinstaller-{variant}"),
    ]  # fmt: skip
    print(f"build: {variant}: {' '.join(command[1:])}", flush=True)
    started = time.perf_counter()
    subprocess.run(command, env=env, cwd=ROOT, check=True)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--variant", choices=("all", "plain", "ocr"), default="all")
    parser.add_argument("--no-smoke", action="store_true", help="build only")
    parser.add_argument("--no-window", action="store_true", help="smoke-test without the window")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build")
    parser.add_argument(
        "--allow-drift", action="store_true", help="build although installed versions differ from the lock"
    )
    args = parser.parse_args(argv)

    drift = lock_drift()
    if drift:
        print(f"build: installed versions differ from {CONSTRAINTS.name}:", file=sys.stderr)
        print("\n".join(f"  {d}" for d in drift), file=sys.stderr)
        if not args.allow_drift:
            print(
                "build: install with: pip install -c packaging/constraints.txt -e .[build] "
                "(or pass --allow-drift)",
                file=sys.stderr,
            )
            return 2

    if importlib.util.find_spec("PyInstaller") is None:
        print("build: PyInstaller is missing: pip install -e '.[build]'", file=sys.stderr)
        return 2
    variants = ["plain", "ocr"] if args.variant == "all" else [args.variant]
    if "ocr" in variants and ocr_missing():
        message = (
            f"build: skipping the OCR variant: the 'ocr' extra is not installed "
            f"(missing {', '.join(ocr_missing())}; see the README)"
        )
        if args.variant == "ocr":
            print(message, file=sys.stderr)
            return 2
        print(message, flush=True)
        variants.remove("ocr")

    results: dict[str, dict[str, object]] = {}
    failed = False
    for variant in variants:
        seconds = build(variant, args.dist, args.work)
        folder = args.dist / VARIANT_FOLDER[variant]
        entry: dict[str, object] = {"build_seconds": round(seconds, 1), "size_bytes": folder_size(folder)}
        print(
            f"build: {variant}: {seconds:.0f} s, {entry['size_bytes'] / 2**20:.0f} MiB in {folder}",
            flush=True,
        )
        if not args.no_smoke:
            try:
                report = smoke(folder, window=not args.no_window)
                entry["smoke"] = report.as_dict()
                print(describe(report), flush=True)
            except SmokeError as e:
                entry["smoke_error"] = str(e)
                print(f"build: {variant}: smoke test FAILED: {e}", file=sys.stderr, flush=True)
                failed = True
        results[variant] = entry

    args.dist.mkdir(parents=True, exist_ok=True)
    (args.dist / "build-report.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    print("\nvariant  build    size      first window")
    for variant, entry in results.items():
        windows = (entry.get("smoke") or {}).get("window_seconds") or []  # type: ignore[union-attr]
        first = f"{windows[0]:.2f} s" if windows else "-"
        size = int(entry["size_bytes"]) / 2**20  # type: ignore[call-overload]
        print(f"{variant:<8} {entry['build_seconds']:>5} s  {size:>5.0f} MiB  {first}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
