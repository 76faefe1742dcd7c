"""evalkit.yamlfile: bounded, safe YAML; every refusal names the file and the limit."""

from __future__ import annotations

from pathlib import Path

import pytest

from evalkit.config import FRAMEWORKS_DIR, Settings
from evalkit.errors import FrameworkSpecError, InputFileError
from evalkit.yamlfile import MAX_DEPTH, load_yaml
from inputs_helpers import BILLION_LAUGHS, peak_rss_of, run_evalkit
from small_portfolio import SAMPLE_RAW


def write(tmp_path: Path, text: str, name: str = "doc.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_plain_documents_read_as_plain_data(tmp_path):
    path = write(tmp_path, "id: local\nlevels:\n  - {value: 1, label: Low}\n  - 2\nok: yes\n")
    assert load_yaml(path, what="framework") == {
        "id": "local",
        "levels": [{"value": 1, "label": "Low"}, 2],
        "ok": True,
    }
    assert load_yaml(write(tmp_path, "", "empty.yaml"), what="framework") is None


def test_every_shipped_yaml_file_reads_within_the_limits():
    paths = [*sorted(FRAMEWORKS_DIR.glob("*.yaml")), SAMPLE_RAW / "dataset.yaml"]
    assert len(paths) > 3
    for path in paths:
        assert isinstance(load_yaml(path, what="test"), dict), path


def test_billion_laughs_is_refused_quickly_in_small_memory(tmp_path):
    bomb = write(tmp_path, BILLION_LAUGHS, "bomb.yaml")
    assert bomb.stat().st_size < 600
    code = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from evalkit.errors import FrameworkSpecError\n"
        "from evalkit.yamlfile import load_yaml\n"
        "try:\n"
        "    load_yaml(Path(sys.argv[1]), what='framework', error=FrameworkSpecError)\n"
        "    print(json.dumps({'refused': None}))\n"
        "except FrameworkSpecError as exc:\n"
        "    print(json.dumps({'refused': str(exc)}))\n"
    )
    result, rss_mb = peak_rss_of(code, str(bomb))
    message = str(result["refused"])
    assert message.startswith("bomb.yaml: framework file uses a YAML alias")
    assert "(line 2)" in message and "lol" not in message
    assert rss_mb < 200, rss_mb  # expanded, 387 million strings would need gigabytes


def test_one_alias_is_refused_too(tmp_path):
    path = write(tmp_path, "base: &b {a: 1}\ncopy: *b\n", "dataset.yaml")
    with pytest.raises(InputFileError, match=r"^dataset.yaml: dataset file uses a YAML alias"):
        load_yaml(path, what="dataset")


def test_value_limit_names_the_file_the_limit_and_the_setting(tmp_path):
    path = write(tmp_path, "[" + ", ".join(["1"] * 30) + "]", "many.yaml")
    # 1 list + 30 numbers = 31 values: refused at the 21st.
    with pytest.raises(FrameworkSpecError) as caught:
        load_yaml(
            path, what="framework", error=FrameworkSpecError, settings=Settings(max_yaml_nodes=20)
        )
    assert str(caught.value) == (
        "many.yaml: framework file holds more than 20 values (the limit; setting "
        "max_yaml_nodes (environment variable EVALKIT_MAX_YAML_NODES)) (line 1)"
    )
    assert load_yaml(path, what="framework", settings=Settings(max_yaml_nodes=31)) == [1] * 30


def test_size_limit_is_checked_before_parsing(tmp_path):
    path = write(tmp_path, "note: " + "x" * 200 + "\n", "big.yaml")
    with pytest.raises(InputFileError) as caught:
        load_yaml(path, what="dataset", settings=Settings(max_yaml_bytes=100))
    assert str(caught.value) == (
        "big.yaml: dataset file is larger than 100 bytes (the limit; setting max_yaml_bytes "
        "(environment variable EVALKIT_MAX_YAML_BYTES))"
    )


def test_deep_nesting_is_refused(tmp_path):
    deep = "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5)
    with pytest.raises(InputFileError, match=f"nests values more than {MAX_DEPTH} levels deep"):
        load_yaml(write(tmp_path, deep, "deep.yaml"), what="framework")
    fine = "[" * 10 + "]" * 10
    assert load_yaml(write(tmp_path, fine, "ok.yaml"), what="framework") == [[[[[[[[[[]]]]]]]]]]


def test_python_tags_are_refused_as_unsafe(tmp_path):
    path = write(tmp_path, "x: !!python/object/apply:os.system ['echo hi']\n", "tag.yaml")
    with pytest.raises(InputFileError, match=r"^tag.yaml: framework file is not valid YAML"):
        load_yaml(path, what="framework")


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (lambda p: p.mkdir(), "is a folder, but a framework file was expected"),
        (lambda p: None, "framework file not found"),
        (lambda p: p.write_bytes(b"id: caf\xe9\n"), "framework file is not UTF-8 text (byte 7"),
        (lambda p: p.write_text("a: [1\n"), "framework file is not valid YAML at line 2"),
    ],
)
def test_unusable_files_are_named(tmp_path, make, fragment):
    path = tmp_path / "odd.yaml"
    make(path)
    with pytest.raises(FrameworkSpecError) as caught:
        load_yaml(path, what="framework", error=FrameworkSpecError)
    assert "odd.yaml" in str(caught.value) and fragment in str(caught.value)


def test_frameworks_validate_refuses_the_bomb_with_exit_2(tmp_path):
    bomb = write(tmp_path, BILLION_LAUGHS, "bomb.yaml")
    done = run_evalkit("frameworks", "validate", str(bomb))
    assert done.returncode == 2
    assert "bomb.yaml: framework file uses a YAML alias" in done.stdout
    assert done.stdout.rstrip().endswith("bomb.yaml: INVALID")
    assert "Traceback" not in done.stdout + done.stderr


def test_an_invalid_limit_in_the_environment_is_a_clear_error(tmp_path):
    bomb = write(tmp_path, "id: x\n", "x.yaml")
    done = run_evalkit("frameworks", "validate", str(bomb), env={"EVALKIT_MAX_YAML_BYTES": "lots"})
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "evalkit: error: environment variable EVALKIT_MAX_YAML_BYTES is 'lots': "
        "expected a whole number above 0"
    )
