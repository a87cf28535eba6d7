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
