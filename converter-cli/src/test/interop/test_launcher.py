"""The ./electra-convert launcher as users run it: what reaches stderr, running it through a symlink, and its
start-up archive (AppCDS)."""
import os
import time
import shutil
import subprocess

from conftest import CHECKPOINTS, JAR, ROOT, VOCAB

LAUNCHER = ROOT / "electra-convert"


def run(launcher, *args, env=None):
    return subprocess.run([str(launcher), *map(str, args)], capture_output=True, text=True, timeout=300, env=env)


def test_vector_commands_print_no_incubator_warning(converted):
    folder = converted("small", "discriminator")
    # the fixture is narrower than the vector kernel's default (MatMul.VECTOR_MIN_HIDDEN): ask for it
    vector = dict(os.environ, ELECTRA_CONVERT_JAVA_OPTS="-Delectra.vector=true")
    ok = run(LAUNCHER, "verify", CHECKPOINTS / "small", folder, "--model", "discriminator",
             "--hparams", CHECKPOINTS / "small" / "hparams.json", env=vector)
    assert ok.returncode == 0, ok.stderr
    assert "WARNING" not in ok.stderr
    assert "vector matmul" in ok.stdout  # the Vector API was in use, so the module was added
    # an option before the command: the launcher finds the command as the CLI does
    late = run(LAUNCHER, "--verbose", "verify", CHECKPOINTS / "small", folder, "--model", "discriminator",
               "--hparams", CHECKPOINTS / "small" / "hparams.json", env=vector)
    assert late.returncode == 0, late.stderr
    assert "WARNING" not in late.stderr
    assert "vector matmul" in late.stdout

    bad = run(LAUNCHER, "forward", folder, "--inputs", folder / "missing.json")
    assert bad.returncode == 1
    assert bad.stderr.splitlines() == [f"electra-convert: {folder / 'missing.json'}: inputs file not found"]


def test_launcher_works_through_a_symlink(tmp_path):
    link = tmp_path / "bin" / "electra-convert"
    link.parent.mkdir()
    link.symlink_to(LAUNCHER)
    proc = run(link, "--version")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("electra-convert ")


def checkout_copy(tmp_path):
    """A minimal checkout for the launcher: itself, the built jar (copied: the archive records its path and time)
    and the fixture its start-up archive is trained on; its own converter-cli/target/cds/."""
    root = tmp_path / "checkout"
    (root / "converter-cli" / "target").mkdir(parents=True)
    shutil.copy2(LAUNCHER, root / "electra-convert")
    shutil.copy2(JAR, root / "converter-cli" / "target" / "electra-convert.jar")
    (root / "testdata" / "checkpoints").mkdir(parents=True)
    (root / "testdata" / "checkpoints" / "small").symlink_to(CHECKPOINTS / "small")
    (root / "testdata" / "vocab.txt").symlink_to(VOCAB)
    return root


def archived_classes(launcher, log, *args, env=None):
    """Runs the launcher with class loading logged to a file; returns the classes mapped from a CDS archive."""
    env = dict(os.environ if env is None else env, ELECTRA_CONVERT_JAVA_OPTS=f"-Xlog:class+load=info:file={log}")
    proc = subprocess.run([str(launcher), *map(str, args)], capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "", proc.stderr
    return {line.split()[1] for line in log.read_text().splitlines() if "source: shared objects file" in line}


def test_launcher_trains_a_start_up_archive_once_and_maps_classes_from_it(tmp_path, converted):
    folder = converted("small", "generator")
    root = checkout_copy(tmp_path)
    launcher = root / "electra-convert"
    cds = root / "converter-cli" / "target" / "cds"

    first = run(launcher, "--version")
    assert first.returncode == 0 and first.stderr == "", first.stderr
    assert first.stdout.startswith("electra-convert ")
    archives = sorted(cds.iterdir())
    assert [a.suffix for a in archives] == [".jsa"], archives  # one archive for this JDK, no temporary left
    made = archives[0].stat().st_mtime_ns

    classes = archived_classes(launcher, tmp_path / "predict.log", "predict", folder, "--text", "the quick brown [MASK] jumps")
    # neither is in the JDK's own archive
    assert "com.fasterxml.jackson.databind.ObjectMapper" in classes
    assert "jdk.incubator.vector.FloatVector" in classes
    assert archives[0].stat().st_mtime_ns == made  # used, not made again

    # a rebuilt jar makes it stale: trained again on the next run
    jar = root / "converter-cli" / "target" / "electra-convert.jar"
    # newer than the archive, but not newer than the retraining run's start (a jar rebuilt during training is not
    # archived): 10 ms after the archive, and the run starts after that
    rebuilt = made + 10**7
    os.utime(jar, ns=(rebuilt, rebuilt))
    while time.time_ns() <= rebuilt + 10**7:
        time.sleep(0.01)
    assert run(launcher, "--version").returncode == 0
    assert archives[0].stat().st_mtime_ns > made


def test_an_archive_the_jvm_rejects_costs_nothing_and_says_nothing(tmp_path, converted):
    """A foreign archive (another JDK's, a damaged header) is refused by the JVM; no warning reaches the user."""
    folder = converted("small", "discriminator")
    root = checkout_copy(tmp_path)
    launcher = root / "electra-convert"
    assert run(launcher, "--version").returncode == 0
    (archive,) = (root / "converter-cli" / "target" / "cds").glob("*.jsa")
    archive.chmod(0o644)
    archive.write_bytes(b"not a CDS archive" * 100)

    args = ("verify", CHECKPOINTS / "small", folder, "--model", "discriminator",
            "--hparams", CHECKPOINTS / "small" / "hparams.json")
    with_archive = run(launcher, *args)
    without = subprocess.run([str(launcher), *map(str, args)], capture_output=True, text=True, timeout=300,
                             env=dict(os.environ, ELECTRA_CONVERT_CDS="off"))
    assert with_archive.returncode == 0, with_archive.stderr
    assert (with_archive.stdout, with_archive.stderr) == (without.stdout, without.stderr)
    assert with_archive.stderr == ""
    assert archived_classes(launcher, tmp_path / "cl.log", "--version") == set()


def test_start_up_archive_can_be_switched_off(tmp_path):
    root = checkout_copy(tmp_path)
    proc = subprocess.run([str(root / "electra-convert"), "--version"], capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, ELECTRA_CONVERT_CDS="off"))
    assert proc.returncode == 0, proc.stderr
    assert not (root / "converter-cli" / "target" / "cds").exists()
