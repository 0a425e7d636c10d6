"""The floor: read and parse every *.yaml file under DATA_DIR with libyaml, nothing else.

    python benchmarks/floor.py DATA_DIR

No validation, no models, no output but the count: the least any tool must do to look at the data.
"""

import os
import sys

import yaml


def main() -> int:
    count = 0
    for dirpath, _dirs, files in os.walk(sys.argv[1]):
        for name in files:
            if name.endswith(".yaml"):
                with open(os.path.join(dirpath, name), encoding="utf-8") as f:
                    yaml.load(f.read(), Loader=yaml.CSafeLoader)
                count += 1
    print(count)
    return 0


if __name__ == "__main__":
    sys.exit(main())
