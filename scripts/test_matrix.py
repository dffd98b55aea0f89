#!/usr/bin/python3
"""`make test-matrix`: the test suite (`make test`) on every QGIS our users run.

    host     this machine as it is (Debian 12 "bookworm": QGIS 3.22), plain `make test`
    trixie   Debian 13: QGIS 3.40, Python 3.13
    sid      Debian unstable: QGIS 3.44 when measured (whatever sid holds that day)

Any other Debian suite name (say `bookworm`) works the same way as trixie and sid.

Each Debian suite gets a chroot made with debootstrap and Debian's own packages:
the `make test` requirements come from running scripts/install_system.sh inside it,
as on a fresh machine. Chroots are cached outside the repository, in
$MAPILLARY_QGIS_CHROOTS/<suite> (default /var/cache/mapillary_qgis/chroots/<suite>).
A chroot is reused while its recipe (suite, mirror, packages, install_system.sh) is
unchanged: a stamp holding the recipe's hash is written last, and the chroot is built
in a temporary folder renamed into place only when complete, so an interrupted build
is never reused.

A test run copies the working tree (tracked and untracked, not ignored files) into
the chroot's /tmp (a fresh tmpfs), with ../shared bound read-only beside it so the
real fixtures are found, and runs `make test` there with the chroot's own
/usr/bin/python3 (the venv lives in the chroot, at /opt/mapillary-venv).

Everything runs in a private mount namespace (`unshare --mount`): the mounts are
undone explicitly on success, failure and Ctrl-C, and the kernel drops any that
remain when the script ends, however it ends. Needs root (debootstrap, mount, chroot).

Usage: scripts/test_matrix.py [--rebuild] [VERSION ...]   (default: host trixie sid)
       scripts/test_matrix.py --shell SUITE [--command CMD]  (a shell in a built chroot)
Prints one line per version and exits non-zero if any version failed.
"""

import argparse
import contextlib
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
LOGS = REPO / "build" / "matrix"
CACHE = Path(os.environ.get("MAPILLARY_QGIS_CHROOTS", "/var/cache/mapillary_qgis/chroots"))
MIRROR = os.environ.get("MAPILLARY_QGIS_MIRROR", "http://deb.debian.org/debian")
DEFAULT_VERSIONS = ["host", "trixie", "sid"]

# debootstrap's minimal system plus what running install_system.sh and `make test` needs
# beyond it: pip reaches PyPI over HTTPS, the tests set time zones (TZ=Europe/Lisbon).
BASE_PACKAGES = ["ca-certificates", "make", "python3-pip", "tzdata"]
INSTALL_SYSTEM = REPO / "scripts" / "install_system.sh"
STAMP = ".mapillary-qgis-chroot"
CHROOT_VENV = "/opt/mapillary-venv"
CHROOT_QT6_VENV = "/opt/mapillary-venv-qt6"  # PyQt6 for tests/unit/test_pyqt6.py, kept between runs too
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# pip in the chroot trusts what pip on the host trusts (a network may intercept TLS
# with its own certificate authority, as the CI machine's does).
HOST_CA = os.environ.get("PIP_CERT", "/etc/ssl/certs/ca-certificates.crt")
CHROOT_CA = "/etc/ssl/host-ca-certificates.crt"
PASSED_ON = ("PIP_DEFAULT_TIMEOUT", "PIP_INDEX_URL", "http_proxy", "https_proxy", "no_proxy",
             "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY")


class BuildFailed(Exception):
    """A chroot could not be built; the message says why (apt's own words when apt failed)."""


# -- small helpers ----------------------------------------------------------------


def run(command, **kwargs):
    return subprocess.run([str(part) for part in command], check=True, **kwargs)


def run_logged(command, log, echo=False):
    """Run a command, its output appended to `log` (and printed when `echo`); returns the exit code."""
    with open(log, "a", encoding="utf-8") as out:
        out.write(f"$ {' '.join(str(part) for part in command)}\n")
        out.flush()
        # In a session of its own, so that on Ctrl-C or SIGTERM the whole group (apt's dpkg,
        # pytest's QGIS children) is stopped before the mounts are undone.
        process = subprocess.Popen([str(part) for part in command], stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True, errors="replace", start_new_session=True)
        try:
            for line in process.stdout:
                out.write(line)
                if echo:
                    sys.stdout.write(line)
                    sys.stdout.flush()
            return process.wait()
        finally:
            stop_group(process)


def stop_group(process: subprocess.Popen):
    """SIGTERM to a child's process group, SIGKILL after 10 s; nothing when it has finished."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def mounts_under(path: Path):
    """Mount points at or below `path`, deepest last (as /proc/self/mounts lists them)."""
    prefix = str(path.resolve())
    with open("/proc/self/mounts", encoding="utf-8") as mounts:
        points = [line.split()[1].replace("\\040", " ") for line in mounts]
    return [point for point in points if point == prefix or point.startswith(prefix + "/")]


def remove_tree(path: Path):
    """rm -rf a chroot, refusing while anything is mounted in it (a bound /dev, say)."""
    if not path.exists():
        return
    for point in reversed(mounts_under(path)):
        subprocess.run(["umount", "--lazy", point], check=False)
    if mounts_under(path):
        raise RuntimeError(f"not removing {path}: still mounted: {mounts_under(path)}")
    run(["rm", "-rf", "--one-file-system", path])


class Mounts:
    """The mounts a chroot needs, undone in reverse order on leaving the `with` block."""

    def __init__(self, root: Path):
        self.root = root
        self.points = []

    def mount(self, target: str, *options):
        point = self.root / target.lstrip("/")
        point.mkdir(parents=True, exist_ok=True)
        run(["mount", *options, point])
        self.points.append(point)
        return point

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for point in reversed(self.points):
            if subprocess.run(["umount", point], check=False).returncode:
                subprocess.run(["umount", "--lazy", point], check=False)
        self.points.clear()


def system_mounts(mounts: Mounts):
    mounts.mount("/proc", "-t", "proc", "proc")
    mounts.mount("/sys", "-t", "sysfs", "-o", "ro", "sysfs")
    mounts.mount("/dev", "--bind", "/dev")
    mounts.mount("/dev/shm", "-t", "tmpfs", "tmpfs")  # not the host's: the chroot's own, empty
    mounts.mount("/tmp", "-t", "tmpfs", "-o", "mode=1777", "tmpfs")
    shutil.copy("/etc/resolv.conf", mounts.root / "etc" / "resolv.conf")  # DNS for apt and pip
    if Path(HOST_CA).is_file():
        shutil.copy(HOST_CA, mounts.root / CHROOT_CA.lstrip("/"))


def chroot_command(root: Path, *command):
    environment = {"PATH": PATH, "HOME": "/root", "LANG": "C.UTF-8", "DEBIAN_FRONTEND": "noninteractive"}
    environment.update({name: os.environ[name] for name in PASSED_ON if name in os.environ})
    if Path(root, CHROOT_CA.lstrip("/")).is_file():
        environment["PIP_CERT"] = CHROOT_CA
    return ["chroot", root, "/usr/bin/env", "-i", *(f"{k}={v}" for k, v in environment.items()), *command]


# -- building and caching chroots ---------------------------------------------------


def recipe(suite: str) -> str:
    """What a chroot is made from; a change to any of it means a rebuild."""
    digest = hashlib.sha256()
    for part in (suite, MIRROR, " ".join(BASE_PACKAGES), INSTALL_SYSTEM.read_text(encoding="utf-8")):
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()


def cached_chroot(suite: str) -> Path | None:
    root = CACHE / suite
    stamp = root / STAMP
    if stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == recipe(suite):
        return root
    return None


def ensure_debootstrap():
    if shutil.which("debootstrap"):
        return
    print("Installing debootstrap with apt-get", flush=True)
    environment = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if subprocess.run(["apt-get", "install", "-y", "-q", "debootstrap"], env=environment, check=False).returncode:
        run(["apt-get", "update", "-q"], env=environment)
        run(["apt-get", "install", "-y", "-q", "debootstrap"], env=environment)


def apt_failure(log: Path) -> str:
    """The lines of a build log that say why apt or debootstrap gave up."""
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    reasons = [line.strip() for line in lines
               if re.match(r"^\s*\S+ : (Pre)?Depends:|^\s+(Depends|Breaks|Conflicts):|^E: |^W: Failure|^E:", line)]
    return "\n".join(dict.fromkeys(reasons)) or "\n".join(lines[-15:])


def build_chroot(suite: str, log: Path) -> Path:
    """debootstrap `suite`, run install_system.sh in it, stamp it, move it into place."""
    CACHE.mkdir(parents=True, exist_ok=True)
    for stale in CACHE.glob(f".{suite}.building-*"):
        pid = int(stale.name.rsplit("-", 1)[1])
        if not Path(f"/proc/{pid}").exists():
            remove_tree(stale)
    building = CACHE / f".{suite}.building-{os.getpid()}"
    log.write_text("", encoding="utf-8")
    try:
        include = ",".join(BASE_PACKAGES)
        if run_logged(["debootstrap", "--variant=minbase", f"--include={include}", suite, building, MIRROR], log):
            raise BuildFailed(f"debootstrap {suite} failed:\n{apt_failure(log)}")
        policy = building / "usr/sbin/policy-rc.d"  # no services start inside the chroot
        policy.write_text("#!/bin/sh\nexit 101\n", encoding="utf-8")
        policy.chmod(0o755)
        # sid's Release file expires a week after it is signed; a mirror that lags behind
        # (the CI machine's does) would make apt refuse it. The host's apt is set up the same way.
        (building / "etc/apt/apt.conf.d/99mapillary-matrix").write_text(
            'Acquire::Check-Valid-Until "false";\n', encoding="utf-8")
        with Mounts(building) as mounts:
            system_mounts(mounts)
            shutil.copy(INSTALL_SYSTEM, building / "tmp" / "install_system.sh")
            if run_logged(chroot_command(building, "bash", "/tmp/install_system.sh"), log):
                raise BuildFailed(f"scripts/install_system.sh failed in {suite}:\n{apt_failure(log)}")
            run_logged(chroot_command(building, "apt-get", "clean"), log)
        (building / STAMP).write_text(recipe(suite) + "\n", encoding="utf-8")
        root = CACHE / suite
        if root.exists():
            old = CACHE / f".{suite}.old-{os.getpid()}"
            root.rename(old)
            building.rename(root)
            remove_tree(old)
        else:
            building.rename(root)
        return root
    finally:
        remove_tree(building)  # gone already when the build succeeded


# -- running the suite --------------------------------------------------------------


def pytest_counts(log: Path) -> dict:
    """Sum the counts of pytest's final lines ("=== 3 failed, 200 passed in 9.1s ===") in a log."""
    counts = {"passed": 0, "failed": 0, "skipped": 0, "errors": 0, "runs": 0}
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        if re.match(r"^=+ .* in [\d.]+s( \([\d:]+\))? =+$", line):
            counts["runs"] += 1
            for number, word in re.findall(r"(\d+) (passed|failed|skipped|errors?)\b", line):
                counts["errors" if word.startswith("error") else word] += int(number)
    return counts


def copy_tree(destination: Path):
    """The working tree as git sees it (tracked and untracked, not ignored), mtimes kept."""
    listing = run(["git", "-C", REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                  capture_output=True).stdout.decode()
    for name in filter(None, listing.split("\0")):
        source = REPO / name
        if source.is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)


def run_host(log: Path):
    """`make test` on this machine, as it is."""
    version = subprocess.run(["/usr/bin/python3", "-c", QGIS_VERSION], capture_output=True, text=True)
    code = run_logged(["make", "-C", REPO, "--no-print-directory", "test"], log, echo=True)
    return version.stdout.strip(), code


@contextlib.contextmanager
def prepared_chroot(root: Path):
    """The chroot with its mounts, a copy of the working tree and ../shared; yields the tree's path inside."""
    work = Path("/tmp/matrix")
    with Mounts(root) as mounts:
        system_mounts(mounts)
        copy_tree(root / work.relative_to("/") / REPO.name)
        if SHARED.is_dir():
            shared = mounts.mount(str(work / "shared"), "--bind", SHARED)
            run(["mount", "-o", "remount,bind,ro", shared])
        yield work / REPO.name


def run_chroot(root: Path, log: Path):
    """`make test` on a copy of the working tree inside the chroot."""
    with prepared_chroot(root) as tree:
        version = subprocess.run(chroot_command(root, "/usr/bin/python3", "-c", QGIS_VERSION),
                                 capture_output=True, text=True)
        code = run_logged(chroot_command(root, "make", "-C", tree, "--no-print-directory",
                                         "test", f"VENV={CHROOT_VENV}", f"QT6_VENV={CHROOT_QT6_VENV}"), log, echo=True)
    return version.stdout.strip(), code


def shell(suite: str, command: str) -> int:
    """A shell (or one command) in a built chroot, prepared as for the tests: for looking into a failure."""
    root = cached_chroot(suite)
    if root is None:
        sys.exit(f"no chroot for {suite} in {CACHE}: run `make test-matrix VERSIONS={suite}` first")
    with prepared_chroot(root) as tree:
        script = f"cd {tree} && " + (command or "exec bash -i")
        return subprocess.run(chroot_command(root, "bash", "-c", script), check=False).returncode


QGIS_VERSION = "import platform; from qgis.core import Qgis; print(Qgis.QGIS_VERSION, platform.python_version())"


def run_version(name: str, rebuild: bool) -> tuple[bool, str]:
    """Run the suite on one version; returns (passed, its summary line)."""
    log = LOGS / f"{name}.log"
    log.write_text("", encoding="utf-8")
    built = ""
    if name == "host":
        start = time.monotonic()
        version, code = run_host(log)
    else:
        root = None if rebuild else cached_chroot(name)
        if root is None:
            build_log = LOGS / f"{name}-build.log"
            print(f"== {name}: building the chroot in {CACHE / name} (log: {build_log})", flush=True)
            start = time.monotonic()
            try:
                root = build_chroot(name, build_log)
            except BuildFailed as error:
                return False, f"{name:8} NO QGIS: chroot build failed after {time.monotonic() - start:.0f} s: {error}"
            built = f", chroot built in {time.monotonic() - start:.0f} s"
        print(f"== {name}: make test in {root}", flush=True)
        start = time.monotonic()
        version, code = run_chroot(root, log)
    seconds = time.monotonic() - start
    counts = pytest_counts(log)
    ok = code == 0 and counts["runs"] == 2 and counts["failed"] == counts["errors"] == 0
    qgis, _, python = version.rpartition(" ")
    line = (f"{name:8} QGIS {qgis or '?'} (Python {python or '?'}): {counts['passed']} passed, "
            f"{counts['failed']} failed, {counts['errors']} errors, {counts['skipped']} skipped "
            f"in {seconds:.0f} s{built}: {'OK' if ok else 'FAILED'}")
    if counts["runs"] != 2:
        line += f" (pytest finished {counts['runs']} of 2 suites; exit code {code}; see {log})"
    return ok, line


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("versions", nargs="*", help="host and/or Debian suites (default: host trixie sid)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the chroots even when cached")
    parser.add_argument("--shell", metavar="SUITE", help="open a shell in SUITE's chroot (the tree in /tmp/matrix)")
    parser.add_argument("--command", default="", help="with --shell: run this instead of an interactive shell")
    args = parser.parse_args()
    versions = args.versions or DEFAULT_VERSIONS

    if os.geteuid() != 0:
        sys.exit("make test-matrix needs root (debootstrap, mount, chroot): run it as root or with sudo")
    if os.environ.get("MAPILLARY_QGIS_MATRIX_NS") != "1":
        # Re-run in a private mount namespace: no mount made here is seen outside it,
        # and whatever is still mounted when the script ends vanishes with it.
        os.environ["MAPILLARY_QGIS_MATRIX_NS"] = "1"
        os.execvp("unshare", ["unshare", "--mount", "--propagation", "private", sys.executable, *sys.argv])
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwinds, so the mounts are undone

    if args.shell:
        sys.exit(shell(args.shell, args.command))
    if any(name != "host" for name in versions):
        ensure_debootstrap()
    LOGS.mkdir(parents=True, exist_ok=True)
    results = []
    try:
        for name in versions:
            results.append(run_version(name, args.rebuild))
            print(f"== {results[-1][1]}", flush=True)
    except KeyboardInterrupt:
        sys.exit("interrupted (mounts undone; an unfinished chroot is removed, never reused)")
    print("\nVersion matrix:")
    for _, line in results:
        print(line)
    sys.exit(0 if all(ok for ok, _ in results) else 1)


if __name__ == "__main__":
    main()
