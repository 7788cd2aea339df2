#!/usr/bin/env python3
"""Builds and lists archives for the archive-walk tests (issue #16.3), with Python's own zipfile,
tarfile and gzip, so the walk is checked against an independent implementation.

  archive-maker.py build  < spec.json  > archive     (spec: see archive-maker.ts)
  archive-maker.py list   PATH                      (JSON: regular files' names and sizes, in order)

Hostile shapes Python will not write are crafted here byte by byte: ZipCrypto-encrypted members
(the traditional PKWARE cipher), overlapping entries (Fifield's "better zip bomb"), entries that
share one local header, and an unknown compression method.
"""
import gzip
import io
import json
import random
import struct
import sys
import tarfile
import zipfile
import zlib


def data_of(spec):
    if "text" in spec:
        return spec["text"].encode("utf-8")
    if "hex" in spec:
        return bytes.fromhex(spec["hex"])
    if "zeros" in spec:
        return bytes(spec["zeros"])
    if "random" in spec:
        rng = random.Random(spec.get("seed", 1))
        return bytes(rng.getrandbits(8) for _ in range(spec["random"]))
    if "archive" in spec:
        return build(spec["archive"])
    raise ValueError("unknown data spec: %r" % (spec,))


def name_of(member):
    if "nameHex" in member:
        return bytes.fromhex(member["nameHex"]).decode("utf-8", "surrogateescape")
    return member["name"]


# --- ZipCrypto (APPNOTE 6.1) -------------------------------------------------------------------

def crc_table_entry(i):
    c = i
    for _ in range(8):
        c = (c >> 1) ^ 0xEDB88320 if c & 1 else c >> 1
    return c


CRC_TABLE = [crc_table_entry(i) for i in range(256)]


def crc_byte(crc, b):
    return (crc >> 8) ^ CRC_TABLE[(crc ^ b) & 0xFF]


class ZipCrypto:
    def __init__(self, password):
        self.keys = [0x12345678, 0x23456789, 0x34567890]
        for b in password:
            self.update(b)

    def update(self, b):
        k = self.keys
        k[0] = crc_byte(k[0], b)
        k[1] = (k[1] + (k[0] & 0xFF)) & 0xFFFFFFFF
        k[1] = (k[1] * 134775813 + 1) & 0xFFFFFFFF
        k[2] = crc_byte(k[2], (k[1] >> 24) & 0xFF)

    def encrypt(self, data):
        out = bytearray()
        for b in data:
            t = (self.keys[2] | 2) & 0xFFFF
            c = b ^ (((t * (t ^ 1)) >> 8) & 0xFF)
            self.update(b)
            out.append(c)
        return bytes(out)


def raw_zip(entries):
    """entries: dicts name(bytes), data(bytes as stored), method, flags, crc, usize, offset(optional override), csize(optional)."""
    out = bytearray()
    central = bytearray()
    for e in entries:
        offset = len(out) if "offset" not in e else e["offset"]
        if "offset" not in e:
            out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, e["flags"], e["method"], 0, 0x21, e["crc"], len(e["data"]), e["usize"], len(e["name"]), 0)
            out += e["name"] + e["data"]
        csize = e.get("csize", len(e["data"]))
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, e["flags"], e["method"], 0, 0x21, e["crc"], csize, e["usize"], len(e["name"]), 0, 0, 0, 0, 0, offset)
        central += e["name"]
    cd_offset = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), cd_offset, 0)
    return bytes(out)


def deflate(data):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def build_special(spec):
    kind = spec["kind"]
    if kind == "zip-encrypted":
        entries = []
        for m in spec["members"]:
            plain = data_of(m["data"])
            crc = zlib.crc32(plain) & 0xFFFFFFFF
            if m.get("encrypted", True):
                crypto = ZipCrypto(b"secret")
                header = bytes(random.Random(7).getrandbits(8) for _ in range(11)) + bytes([crc >> 24])
                stored = crypto.encrypt(header + plain)
                flags = 0x1
            else:
                stored, flags = plain, 0
            entries.append({"name": name_of(m).encode(), "data": stored, "method": 0, "flags": flags, "crc": crc, "usize": len(plain)})
        return raw_zip(entries)
    if kind == "zip-method":
        plain = data_of(spec["data"])
        return raw_zip([{"name": b"odd.bin", "data": plain, "method": spec["method"], "flags": 0, "crc": zlib.crc32(plain), "usize": len(plain)},
                        {"name": b"plain.txt", "data": b"plain", "method": 0, "flags": 0, "crc": zlib.crc32(b"plain"), "usize": 5}])
    if kind == "zip-shared-header":
        # Many central entries, one local header: each "member" inflates the same kernel again.
        plain = bytes(spec["size"])
        packed = deflate(plain)
        first = {"name": b"k", "data": packed, "method": 8, "flags": 0, "crc": zlib.crc32(plain), "usize": len(plain)}
        more = [dict(first, offset=0) for _ in range(spec["count"] - 1)]
        return raw_zip([first] + more)
    if kind == "zip-overlap":
        # Fifield's construction: entry i's deflate data is a non-final stored block quoting entry
        # i+1's local header, followed by entry i+1's own data; the last entry's data is the kernel.
        # So the file is LH0 | 5 | LH1 | 5 | LH2 ... | LHn-1 | kernel, and every entry inflates all after it.
        plain = bytes(spec["size"])
        n = spec["count"]
        names = [("f%03d" % i).encode() for i in range(n)]
        data = [b""] * n
        unpacked = [b""] * n
        headers = [b""] * n
        data[n - 1], unpacked[n - 1] = deflate(plain), plain
        for i in range(n - 1, -1, -1):
            if i < n - 1:
                quoted = headers[i + 1]
                data[i] = bytes([0x00]) + struct.pack("<HH", len(quoted), len(quoted) ^ 0xFFFF) + quoted + data[i + 1]
                unpacked[i] = quoted + unpacked[i + 1]
            crc = zlib.crc32(unpacked[i]) & 0xFFFFFFFF
            headers[i] = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data[i]), len(unpacked[i]), len(names[i]), 0) + names[i]
        out = bytearray(headers[0] + data[0])
        central = bytearray()
        offset = 0
        for i in range(n):
            crc = zlib.crc32(unpacked[i]) & 0xFFFFFFFF
            central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(data[i]), len(unpacked[i]), len(names[i]), 0, 0, 0, 0, 0, offset) + names[i]
            offset += len(headers[i]) + 5
        cd = len(out)
        out += central
        out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n, len(central), cd, 0)
        return bytes(out)
    if kind == "raw":
        return data_of(spec["data"])
    raise ValueError("unknown kind %r" % kind)


def build_zip(spec):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", allowZip64=True) as z:
        for m in spec["members"]:
            method = zipfile.ZIP_STORED if m.get("compress") == "stored" else zipfile.ZIP_DEFLATED
            if m.get("type") == "dir":
                info = zipfile.ZipInfo(name_of(m).rstrip("/") + "/")
                z.writestr(info, b"")
                continue
            info = zipfile.ZipInfo(name_of(m), date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = method
            data = data_of(m["data"])
            with z.open(info, "w", force_zip64=bool(spec.get("zip64"))) as f:
                f.write(data)
    return buf.getvalue()


def build_tar(spec):
    buf = io.BytesIO()
    fmt = {"pax": tarfile.PAX_FORMAT, "gnu": tarfile.GNU_FORMAT, "ustar": tarfile.USTAR_FORMAT}[spec.get("format", "pax")]
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as t:
        for m in spec["members"]:
            info = tarfile.TarInfo(name_of(m))
            info.mtime = 1577836800
            kind = m.get("type", "file")
            if kind == "dir":
                info.type = tarfile.DIRTYPE
                t.addfile(info)
            elif kind == "symlink":
                info.type = tarfile.SYMTYPE
                info.linkname = m.get("target", "elsewhere")
                t.addfile(info)
            elif kind == "hardlink":
                info.type = tarfile.LNKTYPE
                info.linkname = m.get("target", "elsewhere")
                t.addfile(info)
            elif kind == "fifo":
                info.type = tarfile.FIFOTYPE
                t.addfile(info)
            else:
                data = data_of(m["data"])
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def gzip_bytes(data, name):
    buf = io.BytesIO()
    with gzip.GzipFile(filename=name or "", mode="wb", fileobj=buf, mtime=0) as g:
        g.write(data)
    return buf.getvalue()


def build(spec):
    kind = spec["kind"]
    if kind == "zip":
        return build_zip(spec)
    if kind == "tar":
        return build_tar(spec)
    if kind == "tgz":
        return gzip_bytes(build_tar(dict(spec, kind="tar")), spec.get("gzipName"))
    if kind == "gzip":
        return gzip_bytes(data_of(spec["data"]), spec.get("gzipName"))
    return build_special(spec)


def listing(path):
    out = []
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            for info in z.infolist():
                if not info.is_dir():
                    out.append({"name": info.filename, "size": info.file_size})
    else:
        with tarfile.open(path, "r:*") as t:
            for info in t:
                if info.isreg():
                    out.append({"name": info.name, "size": info.size})
    return out


def main():
    if sys.argv[1] == "build":
        sys.stdout.buffer.write(build(json.load(sys.stdin)))
    elif sys.argv[1] == "list":
        json.dump(listing(sys.argv[2]), sys.stdout)
    else:
        raise SystemExit("usage: archive-maker.py build|list")


if __name__ == "__main__":
    main()
