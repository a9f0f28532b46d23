#!/usr/bin/env python3
"""Rewrite a bundle (.tar.zst) with one defect, for the rejection tests.

tamper.py IN OUT ACTION [ARG]
  flip PATH        flip one byte in the middle of PATH
  drop PATH        leave PATH out
  extra PATH       add a file PATH that the manifest does not list
  dotdot NAME      add an entry "../NAME"
  abs PATH         add an entry with the absolute path PATH
  symlink TARGET   add "charts/link" -> TARGET, then "charts/link/evil"
  big-manifest     replace manifest.yaml by 9 MiB of YAML comments
"""
import io
import subprocess
import sys
import tarfile


def main():
    src, dst, action = sys.argv[1:4]
    arg = sys.argv[4] if len(sys.argv) > 4 else None
    raw = subprocess.run(["zstd", "-dc", src], check=True,
                         stdout=subprocess.PIPE).stdout
    tin = tarfile.open(fileobj=io.BytesIO(raw), mode="r:")
    out = io.BytesIO()
    tout = tarfile.open(fileobj=out, mode="w:", format=tarfile.PAX_FORMAT)

    def add(name, data, **kw):
        ti = tarfile.TarInfo(name)
        ti.size = len(data)
        for k, v in kw.items():
            setattr(ti, k, v)
        tout.addfile(ti, io.BytesIO(data))

    found = False
    for ti in tin.getmembers():
        data = tin.extractfile(ti).read() if ti.isfile() else b""
        if ti.name == arg and action == "flip":
            b = bytearray(data)
            b[len(b) // 2] ^= 0x01
            data = bytes(b)
            found = True
        elif ti.name == arg and action == "drop":
            found = True
            continue
        elif ti.name == "manifest.yaml" and action == "big-manifest":
            data = b"# padding\n" * (9 * 1024 * 1024 // 10) + data
            found = True
        ti.size = len(data)
        tout.addfile(ti, io.BytesIO(data))
        if ti.name == "manifest.yaml" or ti.name == "manifest.yaml.sig":
            continue
        # defects go right after the head, before the real content
        if action == "extra" and not found:
            add(arg, b"not in the manifest\n")
            found = True
        elif action == "dotdot" and not found:
            add("../" + arg, b"escaped\n")
            found = True
        elif action == "abs" and not found:
            add(arg, b"escaped\n")
            found = True
        elif action == "symlink" and not found:
            tl = tarfile.TarInfo("charts/link")
            tl.type = tarfile.SYMTYPE
            tl.linkname = arg
            tout.addfile(tl)
            add("charts/link/evil", b"escaped\n")
            found = True
    tout.close()
    if not found:
        sys.exit("tamper.py: %s %s: nothing to do" % (action, arg))
    subprocess.run(["zstd", "-q", "-f", "-o", dst], input=out.getvalue(),
                   check=True)


main()
