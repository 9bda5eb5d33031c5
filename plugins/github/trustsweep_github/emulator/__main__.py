"""``python -m trustsweep_github.emulator --repos N --pulls M``: serve a large organisation (benchmarks).

Prints ``URL CA_BUNDLE TOKEN ORG`` on one line, then answers each ``stats`` line on stdin with the JSON
``{"requests", "not_modified", "rate_limit_used"}`` so far; stops at end of input.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from .demo import scale_estate
from .server import FakeGitHub


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=500)
    parser.add_argument("--pulls", type=int, default=200)
    args = parser.parse_args(argv)
    estate = scale_estate(args.repos, args.pulls)
    org = next(iter(estate.orgs))
    with tempfile.TemporaryDirectory() as workdir, FakeGitHub(estate, Path(workdir)) as fake:
        print(fake.url, fake.ca_bundle, estate.token, org, flush=True)
        for line in sys.stdin:
            if line.strip() == "stats":
                print(
                    json.dumps(
                        {
                            "requests": len(fake.requests()),
                            "not_modified": fake.not_modified,
                            "rate_limit_used": fake.used,
                        }
                    ),
                    flush=True,
                )


if __name__ == "__main__":
    main()
