"""The committed schemas work, with no options, in the validators users reach for besides Python's.

Ajv (JavaScript) refuses unknown keywords in its default strict mode, so a schema that only Python's
``jsonschema`` accepts is of no use to a web front end. Each validator must compile every committed
schema as it is, and judge every example as ``jsonschema`` does.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import jsonschema_rs
import pytest
from jsonschema import Draft202012Validator

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = sorted(
    [*(ROOT / "schemas").glob("*.schema.json"), *(ROOT / "tradeschema" / "schemas").glob("*.json")]
)
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))
AJV = "ajv@8"

# A plain `new Ajv2020()`, as a user would write it; warnings printed while compiling count as failures.
_CHECK_JS = """
const Ajv2020 = require("ajv/dist/2020");
const fs = require("fs");
const warnings = [];
console.warn = (...parts) => warnings.push(parts.join(" "));
const [schemaFiles, dataSchema, dataFiles] = JSON.parse(fs.readFileSync(0, "utf8"));
const compiled = {};
for (const file of schemaFiles) {
  try {
    new Ajv2020().compile(JSON.parse(fs.readFileSync(file, "utf8")));
    compiled[file] = "ok";
  } catch (error) {
    compiled[file] = String(error.message);
  }
}
const validate = new Ajv2020().compile(JSON.parse(fs.readFileSync(dataSchema, "utf8")));
const valid = {};
for (const file of dataFiles) valid[file] = validate(JSON.parse(fs.readFileSync(file, "utf8")));
process.stdout.write(JSON.stringify({compiled, valid, warnings}));
"""


@pytest.fixture(scope="module")
def ajv_folder(tool_cache: Path) -> Path:
    """A folder with Ajv installed from npm, kept between runs."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("Node.js and npm are not installed: the Ajv check needs them")
    cache = tool_cache / "ajv8"
    if not (cache / "node_modules" / "ajv" / "package.json").exists():
        cache.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--silent", "--prefix", str(cache), AJV],
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        assert result.returncode == 0, f"npm install {AJV} failed:\n{result.stdout}{result.stderr}"
    (cache / "check.js").write_text(_CHECK_JS, encoding="utf-8")
    return cache


def _jsonschema_verdicts() -> dict[str, bool]:
    validator = Draft202012Validator(
        json.loads((ROOT / "schemas" / "dataset.schema.json").read_text("utf-8"))
    )
    return {str(path): validator.is_valid(json.loads(path.read_text("utf-8"))) for path in EXAMPLES}


def test_there_are_schemas_and_examples_of_both_verdicts() -> None:
    assert len(SCHEMAS) == 12
    assert set(_jsonschema_verdicts().values()) == {True, False}


def test_ajv_compiles_every_committed_schema_and_agrees_on_the_examples(ajv_folder: Path) -> None:
    request = [[str(path) for path in SCHEMAS], str(ROOT / "schemas" / "dataset.schema.json")]
    request.append([str(path) for path in EXAMPLES])
    result = subprocess.run(
        ["node", str(ajv_folder / "check.js")],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        check=False,
        cwd=ajv_folder,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["compiled"] == {str(path): "ok" for path in SCHEMAS}
    assert answer["warnings"] == []
    assert answer["valid"] == _jsonschema_verdicts()


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_jsonschema_rs_compiles_every_committed_schema_with_no_options(path: Path) -> None:
    jsonschema_rs.validator_for(json.loads(path.read_text("utf-8")))


def test_jsonschema_rs_agrees_on_the_examples() -> None:
    validator = jsonschema_rs.validator_for(
        json.loads((ROOT / "schemas" / "dataset.schema.json").read_text("utf-8"))
    )
    found = {str(path): validator.is_valid(json.loads(path.read_text("utf-8"))) for path in EXAMPLES}
    assert found == _jsonschema_verdicts()
