# lit configuration for the akida tools.
import os

import lit.formats

config.name = "akida"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.akida_obj_root, "tests", "lit")

# Our tools first, then LLVM's FileCheck/not (not on the default PATH).
path = os.pathsep.join([config.akida_tools_dir, config.llvm_tools_dir,
                        config.environment.get("PATH", os.environ.get("PATH", ""))])
config.environment["PATH"] = path
config.substitutions.append(("%python", config.python_executable))

# The ONNX tests: the committed models live in tests/onnx; ONNX Runtime
# (scripts/install-ml-deps.sh puts it in tools/ort/node_modules) is the
# reference where a test compares numbers.
config.substitutions.append(("%onnx", os.path.join(config.akida_src_root, "tests", "onnx")))
if os.path.isdir(os.path.join(config.akida_src_root, "tools", "ort", "node_modules", "onnxruntime-node")):
    config.available_features.add("onnxruntime")
