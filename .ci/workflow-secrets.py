#!/usr/bin/env python3
"""Fails unless README.md's table of repository secrets names exactly the
secrets that the GitHub workflows read: a maintainer sets up the repository
from that table, and a secret it misses fails only at release time."""
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parent.parent
used = set()
for workflow in sorted((root / '.github' / 'workflows').glob('*.yml')):
    used |= set(re.findall(r'secrets\.([A-Za-z0-9_]+)', workflow.read_text()))
# GitHub provides this one to every run; nobody sets it.
used.discard('GITHUB_TOKEN')

readme = (root / 'README.md').read_text()
table = re.search(r'^\| Secret \| Used for \|\n\|[-|]+\|\n((?:\|.*\|\n)+)', readme, re.M)
if not table:
    sys.exit('README.md has no "| Secret | Used for |" table of repository secrets')
listed = set()
for row in table[1].splitlines():
    listed |= set(re.findall(r'`([A-Z0-9_]+)`', row.split('|')[1]))

missing, extra = sorted(used - listed), sorted(listed - used)
for name in missing:
    print(f'README.md does not list the secret {name}, which .github/workflows read', file=sys.stderr)
for name in extra:
    print(f'README.md lists the secret {name}, which no workflow in .github/workflows reads', file=sys.stderr)
if missing or extra:
    sys.exit(1)
print(f'README.md lists the {len(used)} secrets the workflows read: {", ".join(sorted(used))}')
