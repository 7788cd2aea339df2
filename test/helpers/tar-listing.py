#!/usr/bin/env python3
"""Python's tarfile view of tar archives, for the differential test (tar-differential.test.ts).

Arguments: archive paths. Output: one JSON line per archive,
{"archive": path, "entries": [{"path": base64 of the raw name bytes, "type": "file"|"directory"|"other:<c>",
"size": n, "sha256": hex or null}]} or {"archive": path, "error": message}.
"""
import base64
import hashlib
import json
import sys
import tarfile


def view(path):
    entries = []
    with tarfile.open(path, mode="r:", encoding="utf-8", errors="surrogateescape") as archive:
        for member in archive:
            name = member.name.encode("utf-8", "surrogateescape")
            if member.isreg():
                kind = "file"
                handle = archive.extractfile(member)
                data = handle.read()
                if len(data) != member.size:
                    raise ValueError("short data for %r" % member.name)
                digest = hashlib.sha256(data).hexdigest()
            elif member.isdir():
                kind, digest = "directory", None
                name = name.rstrip(b"/")
            else:
                kind, digest = "other:" + member.type.decode("latin1"), None
            entries.append({"path": base64.b64encode(name).decode(), "type": kind,
                            "size": member.size if kind == "file" else 0, "sha256": digest})
    return entries


for archive_path in sys.argv[1:]:
    try:
        out = {"archive": archive_path, "entries": view(archive_path)}
    except Exception as error:  # every failure is a refusal to read, whatever its kind
        out = {"archive": archive_path, "error": "%s: %s" % (type(error).__name__, error)}
    print(json.dumps(out), flush=True)
