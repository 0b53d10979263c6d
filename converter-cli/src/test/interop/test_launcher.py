"""The ./electra-convert launcher as users run it: what reaches stderr, and running it through a symlink."""
import subprocess

from conftest import CHECKPOINTS, ROOT

LAUNCHER = ROOT / "electra-convert"


def run(launcher, *args):
    return subprocess.run([str(launcher), *map(str, args)], capture_output=True, text=True, timeout=300)


def test_vector_commands_print_no_incubator_warning(converted):
    folder = converted("small", "discriminator")
    ok = run(LAUNCHER, "verify", CHECKPOINTS / "small", folder, "--model", "discriminator",
             "--hparams", CHECKPOINTS / "small" / "hparams.json")
    assert ok.returncode == 0, ok.stderr
    assert "WARNING" not in ok.stderr
    assert "vector matmul" in ok.stdout  # the Vector API was in use, so the module was added

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
