"""Split a rendered multi-document manifest into one file per resource.

Usage: split_manifests.py RENDERED.yaml OUTPUT_DIR. Files are named
KIND-NAME.yaml, so validators can be pointed at kinds by file name.
"""

import sys
from pathlib import Path

import yaml


def main():
    rendered, output_dir = Path(sys.argv[1]), Path(sys.argv[2])
    output_dir.mkdir(parents=True, exist_ok=True)
    for document in yaml.safe_load_all(rendered.read_text()):
        if not document:
            continue
        name = f"{document['kind']}-{document['metadata']['name']}.yaml"
        (output_dir / name).write_text(yaml.safe_dump(document, sort_keys=False))


if __name__ == "__main__":
    main()
