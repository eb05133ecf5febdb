#!/usr/bin/env python3
"""Finishes trunk's dist/ for production hosting (run by scripts/build.sh).

1. The wasm is split in two (see static/boot.js for how the halves meet in the browser):
   - an instrumented copy (`wasm-split --instrument`, Debian's binaryen) is served behind
     nginx in front of the emulator, and crates/openim-e2e's openim-split-profile records in
     headless Chromium which functions opening the users table runs, for each generation and
     each way a tab can be signed in;
   - `wasm-split --profile` keeps those functions in the first module,
     openim-admin-<hash>_bg.wasm, and moves the rest to openim-admin-more-<hash>.wasm, each
     named by its own content.
   The first module imports no placeholders: static/boot.js makes them, of the types this
   script lists, and puts them in its table. The wasm-bindgen glue gets a hook to do that and to
   attach the second module; index.html's preload link follows the new first module.
   Static data the first module's code holds no address of (by wasm-ld's link map) moves to
   the second module too; target/dist-poisoned is the build with it poisoned instead, for the
   e2e test that shows the first module never reads it.
2. index.html carries what it needs before the wasm inline, so that a cold load waits on no
   other request: the stylesheet, without comments and spaces, as a <style>; static/early.js
   as a classic script, which starts compiling the first module and asks for the users table's
   page as soon as it is parsed; and one module script, static/boot.js filled in with the glue
   in place of its import (the split needs its own loader); both scripts through terser. A
   <meta> Content-Security-Policy at the top of the page allows exactly those three by their
   sha256 and WebAssembly; deploy/nginx.conf's header policy keeps everything else and leaves
   inline script and style to it. The policy travels with the page, so no rebuild can leave
   nginx allowing the hashes of an older one.
3. Every text and wasm file gets .gz (gzip -9) and .br (brotli -q 11) siblings, which
   nginx serves to browsers that accept them (gzip_static, brotli_static).

Prints each file's size raw, gzip and brotli.
"""
import base64
import bisect
import gzip
import hashlib
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

COMPRESSIBLE = {".html", ".js", ".wasm", ".css", ".svg", ".json", ".txt"}
REPO = pathlib.Path(__file__).resolve().parent.parent


def fail(message: str) -> None:
    sys.exit(f"finish-dist: {message}")


def sri(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


def content_name(prefix: str, data: bytes, suffix: str) -> str:
    return f"{prefix}{hashlib.sha256(data).hexdigest()[:16]}{suffix}"


# --- wasm sections -----------------------------------------------------------------------------


def leb(data: bytes, at: int) -> tuple[int, int]:
    """An unsigned LEB128 at `at`: (value, offset after it)."""
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, at


def sections(data: bytes):
    """(id, start of contents, end of contents) of each section."""
    at = 8
    while at < len(data):
        size, start = leb(data, at + 1)
        yield data[at], start, start + size
        at = start + size


def one_slot_fills_as_sets(wasm: bytes) -> bytes:
    """Debian's binaryen (108) cannot read `table.fill`, which wasm-bindgen's externref shims
    use with a count of 1: `i32.const 1; table.fill t` becomes `table.set t` and three nops,
    the same length, so no size in the module changes."""
    out = bytearray(wasm)
    code = [(s, e) for sid, s, e in sections(wasm) if sid == 10]
    if len(code) != 1:
        fail("the wasm has no code section")
    start, end = code[0]
    fill = bytes([0x41, 0x01, 0xFC, 0x11])  # i32.const 1; table.fill
    at = wasm.find(fill, start, end)
    while at != -1:
        table = wasm[at + 4]
        if table >= 0x80:
            fail("a table.fill names a table past 127")
        out[at : at + 5] = bytes([0x26, table, 0x01, 0x01, 0x01])  # table.set t; nop x3
        at = wasm.find(fill, at + 5, end)
    # A table.fill of another shape is left as it is: wasm-split then refuses the module.
    return bytes(out)


def table_exports(wasm: bytes) -> dict[str, tuple[int, int]]:
    """Each table export's name: (table index, offset of that index in the module)."""
    found = {}
    for sid, start, _ in sections(wasm):
        if sid != 7:
            continue
        count, at = leb(wasm, start)
        for _ in range(count):
            length, at = leb(wasm, at)
            export = wasm[at : at + length].decode()
            kind = wasm[at + length]
            index, after = leb(wasm, at + length + 1)
            if kind == 1:
                if after != at + length + 2:
                    fail(f"the export {export} has a long table index")
                found[export] = (index, at + length + 1)
            at = after
    return found


def table_exports_as(wasm: bytes, original: bytes) -> bytes:
    """binaryen 108 writes every table export as table 0: `wasm` with each table export the
    original module also has pointing at the table it pointed at there (wasm-bindgen's
    externref table, `__wbindgen_externrefs`, is not table 0)."""
    out = bytearray(wasm)
    before = table_exports(original)
    for export, (_, at) in table_exports(wasm).items():
        if export in before:
            if before[export][0] >= 0x80:
                fail(f"the export {export} names a table past 127")
            out[at] = before[export][0]
    return bytes(out)


def uleb(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def short_name(i: int) -> str:
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    name = ""
    while True:
        name = letters[i % len(letters)] + name
        i //= len(letters)
        if i == 0:
            return name
        i -= 1


def imports_of(wasm: bytes) -> list[tuple[bytes, str, int, int | None, bytes]]:
    """Each import as (module, field, kind, type index for a function or None, and its
    description as written: the kind and what follows it)."""
    found = []
    for sid, start, _ in sections(wasm):
        if sid != 2:
            continue
        count, at = leb(wasm, start)
        for _ in range(count):
            length, at = leb(wasm, at)
            mod = wasm[at : at + length]
            at += length
            length, at = leb(wasm, at)
            field = wasm[at : at + length].decode()
            at += length
            described = at
            kind = wasm[at]
            at += 1
            type_index = None
            if kind == 0:
                type_index, at = leb(wasm, at)
            elif kind in (1, 2):  # table: type, limits; memory: limits
                if kind == 1:
                    at += 1
                flags = wasm[at]
                _, at = leb(wasm, at + 1)
                if flags & 1:
                    _, at = leb(wasm, at)
            elif kind == 3:  # global: type, mutability
                at += 2
            else:
                fail(f"an import of kind {kind} this script does not know")
            found.append((mod, field, kind, type_index, wasm[described:at]))
    return found


def short_imports(wasm: bytes, glue: str) -> tuple[bytes, str]:
    """The wasm-bindgen imports under one-letter module and short field names, in the module
    and in the glue alike: their generated names (`__wbg_setAttribute_` and 16 hex digits)
    cost the first module about 4 KB gzipped."""
    module = re.search(r'\n        "(\./[^"]+_bg\.js)": import0,\n', glue)
    if not module:
        fail("the wasm-bindgen glue's import object is not the one this script knows")
    old_module = module.group(1).encode()
    if sum(1 for sid, _, _ in sections(wasm) if sid == 2) != 1:
        fail("the wasm has no import section")
    entries = imports_of(wasm)
    body = bytearray(uleb(len(entries)))
    renamed = 0
    for mod, field, _, _, desc in entries:
        if mod == old_module:
            new = short_name(renamed)
            key = f"\n        {field}: function("
            if glue.count(key) != 1:
                fail(f"the glue does not define the import {field} once")
            glue = glue.replace(key, f"\n        {new}: function(")
            mod, field = b"a", new
            renamed += 1
        name = field.encode()
        body += uleb(len(mod)) + mod + uleb(len(name)) + name + desc
    glue = glue.replace(module.group(0), "\n        a: import0,\n")
    return with_sections(wasm, {2: bytes(body)}, {}), glue


# What rustc's wasm32-unknown-unknown target enables, for wasm-opt (npm binaryen): with
# --all-features it writes imports in an encoding browsers do not read yet.
RUSTC_WASM_FEATURES = [
    "--enable-sign-ext", "--enable-mutable-globals", "--enable-nontrapping-float-to-int",
    "--enable-bulk-memory", "--enable-bulk-memory-opt", "--enable-reference-types",
    "--enable-multivalue", "--enable-call-indirect-overlong",
]

# The letters static/boot.js reads value types and placeholder types by.
VALUE_LETTERS = {0x7F: "i", 0x7E: "j", 0x7D: "f", 0x7C: "d", 0x6F: "x", 0x70: "r"}
TYPE_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def function_types(wasm: bytes) -> list[str]:
    """Each entry of the type section as `params:results` in VALUE_LETTERS."""
    found = [(s, e) for sid, s, e in sections(wasm) if sid == 1]
    if len(found) != 1:
        fail("the wasm has no type section")
    count, at = leb(wasm, found[0][0])
    types = []
    for _ in range(count):
        if wasm[at] != 0x60:
            fail(f"a type of form {wasm[at]:#x}, not a function type, which this script knows")
        at += 1
        parts = []
        for _ in range(2):
            n, at = leb(wasm, at)
            codes = wasm[at : at + n]
            at += n
            if any(c not in VALUE_LETTERS for c in codes):
                fail(f"a function type with a value type this script does not know: {codes.hex()}")
            parts.append("".join(VALUE_LETTERS[c] for c in codes))
        types.append(":".join(parts))
    return types


def placeholders_at_run_time(wasm: bytes, work: pathlib.Path) -> tuple[bytes, str, str]:
    """The first module without wasm-split's placeholder imports (`p.<table slot>`, one per
    function of the second module the first can call: 1,081, about 4 KB of its gzip), and what
    static/boot.js needs to make them instead: the placeholders' types (`params:results`,
    `;`-separated) and a letter per table slot up to the last placeholder's, the type's letter
    (TYPE_LETTERS) for a placeholder's slot and `.` for any other. The table's element segment
    holds another function in those slots, which the loader replaces before the module's start
    runs; binaryen's wasm-opt then drops the imports no longer used, numbering the rest anew."""
    # A start function would run as the module is instantiated, before the loader could put
    # the placeholders in: a call then would reach a stand-in.
    if any(sid == 8 for sid, _, _ in sections(wasm)):
        fail("the first module has a start function; the loader fills its table only after")
    types = function_types(wasm)
    placeholders = {}  # function index: (slot, type index)
    functions = [imp for imp in imports_of(wasm) if imp[2] == 0]
    for index, (mod, field, _, type_index, _) in enumerate(functions):
        if mod == b"p":
            if not field.isdigit():
                fail(f"a placeholder import p.{field} that names no table slot")
            placeholders[index] = (int(field), type_index)
    if not placeholders:
        fail("wasm-split wrote no placeholder imports")

    elems = [(s, e) for sid, s, e in sections(wasm) if sid == 9]
    if len(elems) != 1:
        fail("the wasm has no element section")
    start, end = elems[0]
    segments, at = leb(wasm, start)
    # wasm-split writes one active segment of function indices into table 0 at a constant.
    if segments != 1 or wasm[at] != 0 or wasm[at + 1] != 0x41:
        fail("the element section is not the single segment this script knows")
    offset, at = leb(wasm, at + 2)  # i32.const <offset>
    if wasm[at] != 0x0B:
        fail("the element segment's offset is not a constant")
    header = wasm[start:at + 1]
    entries_count, at = leb(wasm, at + 1)
    entries = []
    for _ in range(entries_count):
        index, at = leb(wasm, at)
        entries.append(index)
    if at != end:
        fail("the element section has more than this script read")
    kept = [f for f in entries if f not in placeholders]
    if not kept:
        fail("the element segment holds nothing but placeholders")
    stand_in = kept[0]
    slots = {}
    for i, f in enumerate(entries):
        if f in placeholders:
            slot, type_index = placeholders[f]
            if slot != offset + i:
                fail(f"placeholder p.{slot} sits in table slot {offset + i}")
            slots[slot] = type_index
    if len(slots) != len(placeholders):
        fail("a placeholder import is not in the table's element segment")
    body = bytearray(header) + uleb(len(entries))
    for f in entries:
        body += uleb(stand_in if f in placeholders else f)
    (work / "stand-ins.wasm").write_bytes(with_sections(wasm, {9: bytes(body)}, {}))
    subprocess.run(
        ["wasm-opt", *RUSTC_WASM_FEATURES, "--remove-unused-module-elements",
         str(work / "stand-ins.wasm"), "-o", str(work / "without-placeholders.wasm")],
        check=True,
    )
    out = (work / "without-placeholders.wasm").read_bytes()
    if any(mod == b"p" for mod, *_ in imports_of(out)):
        fail("wasm-opt kept a placeholder import")

    used = sorted(set(slots.values()))
    if len(used) > len(TYPE_LETTERS):
        fail(f"{len(used)} placeholder types, more than TYPE_LETTERS names")
    if max(slots) > 9999:
        fail("a placeholder's table slot past 9999, which static/boot.js writes in four digits")
    letter = {t: TYPE_LETTERS[i] for i, t in enumerate(used)}
    table = ["."] * (max(slots) + 1)
    for slot, type_index in slots.items():
        table[slot] = letter[type_index]
    return out, ";".join(types[t] for t in used), "".join(table)


def wasm_split(*args: str) -> None:
    subprocess.run(["wasm-split", "--all-features", "--quiet", *args], check=True)


# --- static data ------------------------------------------------------------------------------

# An address the first module's code holds may point just past the object it reads (the end of
# a slice it walks), or a little before it (a loop that steps before it loads): the object
# ending at any such address, and objects starting within this many bytes after it, stay in
# the first module too.
ADDRESS_SLACK = 64


def link_map_objects(path: pathlib.Path) -> list[tuple[int, int]]:
    """The (address, size) of every input section of .rodata and .data in wasm-ld's link map:
    the static data objects, as the linker laid them out."""
    line = re.compile(r"^\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)\s+\S.*:\(\.(?:rodata|data)\S*\)\s*$")
    objects = []
    for text in path.read_text(encoding="utf-8", errors="replace").splitlines():
        m = line.match(text)
        if m and int(m.group(2), 16):
            objects.append((int(m.group(1), 16), int(m.group(2), 16)))
    if not objects:
        fail(f"{path} lists no data objects")
    return sorted(objects)


def memory_image(wasm: bytes) -> dict[int, bytes]:
    """The module's active data segments, by address."""
    segments = {}
    for sid, start, _ in sections(wasm):
        if sid != 11:
            continue
        count, at = leb(wasm, start)
        for _ in range(count):
            if wasm[at] != 0 or wasm[at + 1] != 0x41:
                fail("a data segment that is not active at a constant address")
            address, at = leb(wasm, at + 2)
            if wasm[at] != 0x0B:
                fail("a data segment whose address is not one i32.const")
            size, at = leb(wasm, at + 1)
            segments[address] = wasm[at : at + size]
            at += size
    return segments


def code_addresses(wasm: bytes) -> set[int]:
    """Every i32.const and load/store offset in the module's code and global initialisers:
    the static addresses its code can reach without going through data."""
    with tempfile.TemporaryDirectory(prefix="openim-split-") as tmp:
        path = pathlib.Path(tmp) / "m.wasm"
        path.write_bytes(wasm)
        text = subprocess.run(
            ["wasm-dis", str(path)], check=True, capture_output=True, text=True
        ).stdout
    code = "\n".join(line for line in text.splitlines() if not line.startswith(" (data "))
    found = re.findall(r"i32\.const (-?\d+)", code) + re.findall(r"offset=(\d+)", code)
    return {int(v) & 0xFFFFFFFF for v in found}


def data_segment(address: int, data: bytes) -> bytes:
    return bytes([0, 0x41]) + sleb(address) + bytes([0x0B]) + uleb(len(data)) + data


def sleb(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if (value == 0 and not byte & 0x40) or (value == -1 and byte & 0x40):
            out.append(byte)
            return bytes(out)
        out.append(byte | 0x80)


def nonzero_runs(image: bytearray, gap: int = 8):
    """(offset, bytes) of the runs of `image` that are not zero, split where at least `gap`
    zero bytes lie between."""
    at, end = 0, len(image)
    while at < end:
        if image[at] == 0:
            at += 1
            continue
        first = last = at
        while at < end and at - last < gap:
            if image[at]:
                last = at
            at += 1
        yield first, bytes(image[first : last + 1])


def with_sections(
    wasm: bytes, replace: dict[int, bytes], after: dict[int, tuple[int, bytes]]
) -> bytes:
    """The module with the contents of the sections whose ids `replace` lists swapped, and for
    each id in `after` a new section (id, contents) inserted after the section of that id."""
    out = bytearray(wasm[:8])
    for sid, start, end in sections(wasm):
        contents = replace.get(sid, wasm[start:end])
        out += bytes([sid]) + uleb(len(contents)) + contents
        if sid in after:
            new_id, new_contents = after[sid]
            out += bytes([new_id]) + uleb(len(new_contents)) + new_contents
    return bytes(out)


def without_custom_sections(wasm: bytes) -> bytes:
    """The module without its custom sections (rustc's `producers` and `target_features`),
    which no browser reads: 257 bytes of the first module's gzip."""
    out = bytearray(wasm[:8])
    for sid, start, end in sections(wasm):
        if sid != 0:
            out += bytes([sid]) + uleb(end - start) + wasm[start:end]
    return bytes(out)


def move_data(first: bytes, second: bytes, objects: list[tuple[int, int]]):
    """Moves the static data objects the first module's code cannot reach into the second
    module, as active segments written when it is attached. An object is kept when the first
    module's code holds an address in it, just past its end or up to ADDRESS_SLACK bytes
    before it, or when a kept object holds, at an address that is a multiple of 4, four bytes
    that read as an address in it. Returns the modules and the (address, length) of the moved
    bytes that are not zero."""
    starts = [a for a, _ in objects]

    def containing(value: int):
        i = bisect.bisect_right(starts, value) - 1
        if i >= 0 and objects[i][0] <= value < objects[i][0] + objects[i][1]:
            return i
        return None

    segments = memory_image(first)
    low = min(objects[0][0], min(segments))
    high = max(max(a + s for a, s in objects), max(a + len(d) for a, d in segments.items()))
    image = bytearray(high - low)
    for address, data in segments.items():
        image[address - low : address - low + len(data)] = data
    covered = bytearray(high - low)
    for address, size in objects:
        covered[address - low : address - low + size] = b"\x01" * size
    stray = [i for i, b in enumerate(image) if b and not covered[i]]
    if stray:
        fail(f"the link map does not match the wasm: data at {low + stray[0]:#x} is in no object "
             "(was target/openim-admin-wasm.map written by this build?)")

    kept = set()
    for value in code_addresses(first):
        for i in (containing(value), containing(value - 1)):
            if i is not None:
                kept.add(i)
        j = bisect.bisect_right(starts, value)
        while j < len(objects) and objects[j][0] <= value + ADDRESS_SLACK:
            kept.add(j)
            j += 1
    todo = list(kept)
    while todo:
        address, size = objects[todo.pop()]
        # A pointer in a static object sits at an address that is a multiple of 4 (wasm32
        # Rust aligns pointer fields so, and objects that hold one as well).
        for at in range(address + (-address % 4), address + size - 3, 4):
            pointer = int.from_bytes(image[at - low : at - low + 4], "little")
            i = containing(pointer)
            if i is not None and i not in kept:
                kept.add(i)
                todo.append(i)

    moved = bytearray(high - low)
    for i, (address, size) in enumerate(objects):
        if i not in kept:
            at = address - low
            moved[at : at + size] = image[at : at + size]
            image[at : at + size] = bytes(size)
    first_runs = list(nonzero_runs(image))
    second_runs = list(nonzero_runs(moved))
    first_data = uleb(len(first_runs)) + b"".join(data_segment(low + a, d) for a, d in first_runs)
    second_data = uleb(len(second_runs)) + b"".join(
        data_segment(low + a, d) for a, d in second_runs
    )
    if any(sid in (11, 12) for sid, _, _ in sections(second)):
        fail("the second module already has data")
    first = with_sections(first, {11: first_data, 12: uleb(len(first_runs))}, {})
    second = with_sections(second, {}, {10: (11, second_data)})
    ranges = [(low + a, len(d)) for a, d in second_runs]
    return first, second, ranges


def poisoned(first: bytes, ranges: list[tuple[int, int]]) -> bytes:
    """The first module with every moved range filled with 0xA5 instead of left zero: code
    that read moved data before the second module arrived would now go visibly wrong. For the
    e2e test that checks it does not (crates/openim-e2e/tests/split.rs)."""
    segments = memory_image(first)
    count = len(segments) + len(ranges)
    data = uleb(count) + b"".join(data_segment(a, d) for a, d in sorted(segments.items()))
    data += b"".join(data_segment(a, b"\xa5" * n) for a, n in ranges)
    return with_sections(first, {11: data, 12: uleb(count)}, {})


# --- the glue and the page ---------------------------------------------------------------------


def loader_names(html: str) -> tuple[str, str]:
    """The glue and the wasm trunk's inline loader starts."""
    m = re.search(
        r"import init, \* as bindings from '/([^']+\.js)';\s*"
        r"const wasm = await init\(\{ module_or_path: '/([^']+\.wasm)' \}\);",
        html,
    )
    if not m:
        fail("trunk's inline loader is not the one this script knows (trunk 0.21.14)")
    return m.group(1), m.group(2)


def patched_glue(glue: str) -> str:
    """The wasm-bindgen glue with the loader told when the first module is instantiated, before
    its start function runs (to put the placeholders in its table)."""
    start = "    wasm = instance.exports;\n"
    if glue.count(start) != 1:
        fail("the wasm-bindgen glue's finalize step is not the one this script knows")
    return glue.replace(start, start + "    globalThis.openimSplit.started(wasm);\n")


def minified_js(text: str, module: bool = True) -> str:
    """An ES module (or a classic script) through terser (.tools, from npm): its comments,
    whitespace and local names go; property names, which the glue and the loader share, stay."""
    return subprocess.run(
        ["terser", *(["--module"] if module else []), "--compress", "--mangle"],
        input=text, check=True, capture_output=True, text=True,
    ).stdout


def compact_css(text: str) -> str:
    """CSS without comments and the whitespace around its punctuation. Leaves spaces around
    `:` alone, since `a :focus` and `a:focus` differ."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s*([{};,>])\s*", r"\1", text)
    return text.replace(";}", "}").strip() + "\n"


def early_script(primary: str) -> str:
    """static/early.js, a classic script (it imports and exports nothing), with the first
    module's path filled in."""
    text = (REPO / "static" / "early.js").read_text(encoding="utf-8")
    if re.findall(r"^(?:export|import)\b", text, re.M) or text.count("__PRIMARY__") != 1:
        fail("static/early.js is not the classic script with one __PRIMARY__ this script knows")
    return text.replace("__PRIMARY__", primary)


def loader_script(
    glue: str, secondary: str, secondary_bytes: bytes, placeholder_types: str,
    placeholder_slots: str,
) -> str:
    """static/boot.js filled in, with the wasm-bindgen glue in place of its import, minified:
    one module script, which index.html carries inline."""
    text = (REPO / "static" / "boot.js").read_text(encoding="utf-8")
    for token, value in [
        ("__SECONDARY__", f"/{secondary}"),
        ("__SECONDARY_INTEGRITY__", sri(secondary_bytes)),
        ("__PLACEHOLDER_TYPES__", placeholder_types),
        ("__PLACEHOLDER_SLOTS__", placeholder_slots),
        ("__TYPE_LETTERS__", TYPE_LETTERS),
    ]:
        if token not in text:
            fail(f"static/boot.js has no {token}")
        text = text.replace(token, value)
    import_line = "import init from '__GLUE__';\n"
    if text.count(import_line) != 1:
        fail(f"static/boot.js has no single line {import_line.strip()!r}")
    # The glue is an ES module whose only export is this last statement and which imports
    # nothing; inside a function it keeps its names to itself.
    export = "export { initSync, __wbg_init as default };"
    if glue.count(export) != 1 or len(re.findall(r"^(?:export|import)\b", glue, re.M)) != 1:
        fail("the wasm-bindgen glue's imports or exports are not the ones this script knows")
    scoped = "const init = (() => {\n" + glue.replace(export, "return __wbg_init;") + "\n})();\n"
    return minified_js(text.replace(import_line, scoped))


# trunk's inline loader, which the profile's loader replaces (see profile()).
INLINE_LOADER = re.compile(r'<script type="module">.*?</script>', re.S)
TRUNK_LOADER = "import init, * as bindings from"


def with_loader(html: str, name: str, data: bytes) -> str:
    """index.html with trunk's inline loader replaced by the module script /name."""
    if len(INLINE_LOADER.findall(html)) != 1:
        fail("expected exactly one inline script in dist/index.html")
    tag = (f'<script type="module" src="/{name}" integrity="{sri(data)}" '
           'crossorigin="anonymous"></script>')
    return INLINE_LOADER.sub(lambda _: tag, html)


# trunk's link to its stylesheet; the stylesheet's file name is the group.
STYLESHEET = re.compile(r'<link rel="stylesheet" href="/([^"]+\.css)"[^>]*>')


def csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def inlined(dist: pathlib.Path, html: str, glue_name: str, early: str, loader: str) -> str:
    """index.html carrying the stylesheet, static/early.js and the loader (glue included)
    inline, so that the page needs no request but the wasm's (and the users table's) before it
    starts; its own Content-Security-Policy allows those three by hash and no other inline
    script or style (deploy/nginx.conf's header policy leaves inline to this one)."""
    sheets = STYLESHEET.findall(html)
    if len(sheets) != 1:
        fail(f"index.html links {len(sheets)} stylesheets, expected trunk's one")
    css = compact_css((dist / sheets[0]).read_text("utf-8"))
    (dist / sheets[0]).unlink()
    for text, end in [(css, "</style"), (early, "</script"), (loader, "</script")]:
        if end in text.lower():
            fail(f"an inline text contains {end}>, which would end its element early")
    html = STYLESHEET.sub(lambda _: f"<style>{css}</style>", html)
    glue_preload = rf'\s*<link rel="modulepreload" href="/{re.escape(glue_name)}"[^>]*>'
    html, n = re.subn(glue_preload, "", html)
    if n != 1:
        fail(f"index.html has no single modulepreload of /{glue_name}")
    # The wasm's preload goes first; early.js, which compiles from it, runs as it is parsed;
    # the loader runs once the document is parsed.
    preload = re.findall(r'<link rel="preload"[^>]*as="fetch"[^>]*>', html)
    if len(preload) != 1:
        fail("index.html has no single preload of the wasm")
    html = html.replace(preload[0], "")
    if len(INLINE_LOADER.findall(html)) != 1 or TRUNK_LOADER not in html:
        fail("expected trunk's inline loader, alone, in dist/index.html")
    script = f'{preload[0]}\n<script>{early}</script>\n<script type="module">{loader}</script>'
    html = INLINE_LOADER.sub(lambda _: script, html)
    scripts = f"{csp_hash(early)} {csp_hash(loader)}"
    policy = f"script-src {scripts} 'wasm-unsafe-eval'; style-src {csp_hash(css)}"
    charset = '<meta charset="utf-8" />'
    if html.count(charset) != 1:
        fail(f"index.html has no single {charset}: the policy must come before any script")
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}" />'
    return html.replace(charset, f"{charset}\n    {meta}")


def relinked(html: str, old: str, new: str, data: bytes) -> str:
    """index.html with the link to /old pointing at /new, with new's integrity."""
    link = re.compile(rf'(<link [^>]*href=")/{re.escape(old)}("[^>]*>)')
    if len(link.findall(html)) != 1:
        fail(f"index.html has no single link to /{old}")

    def swap(m: re.Match) -> str:
        tag = f"{m.group(1)}/{new}{m.group(2)}"
        return re.sub(r'integrity="[^"]*"', f'integrity="{sri(data)}"', tag)

    return link.sub(swap, html)


# --- the profile -------------------------------------------------------------------------------


# The profile's loader, after static/early.js (the instrumented module compiling, the users
# table's call sent): the whole instrumented module. openim-split-profile opens the table both
# ways the console can start: with the answer in (the first render draws the rows), and, when
# it sets `openim-split-profile.late` in the tab, before it (the page's effect claims the call
# and waits for it).
PROFILE_LOADER = """import init from '/%s';
const early = globalThis.openimEarly;
let started;
if (early && sessionStorage.getItem('openim-split-profile.late') !== null) {
    const start = new Promise((done) => (started = done));
    globalThis.openimEarly = { ...early, settled: null, answer: start.then(() => early.answer) };
} else if (early) {
    await early.answer.catch(() => {});
}
window.openimExports = await init({ module_or_path: await globalThis.openimPrimary });
started?.();
"""


def profile(dist: pathlib.Path, html: str, glue: str, instrumented: bytes, out: pathlib.Path):
    """Serves a copy of dist/ running the instrumented wasm and records what the users table
    runs, merged over both generations, into `out`."""
    with tempfile.TemporaryDirectory(prefix="openim-split-") as tmp:
        site = pathlib.Path(tmp) / "dist"
        shutil.copytree(dist, site)
        (site / "instrumented.wasm").write_bytes(instrumented)
        (site / "early.js").write_text(early_script("/instrumented.wasm"), encoding="utf-8")
        boot = (PROFILE_LOADER % glue).encode()
        (site / "boot-profile.js").write_bytes(boot)
        page = with_loader(html, "boot-profile.js", boot)
        early = '<script src="/early.js"></script>\n'
        page = page.replace('<script type="module"', early + '<script type="module"', 1)
        # The preload of the real wasm would only be a wasted fetch here.
        page = re.sub(r'<link rel="preload"[^>]*as="fetch"[^>]*>', "", page)
        (site / "index.html").write_text(page, encoding="utf-8")
        recorded = pathlib.Path(tmp) / "users.prof"
        subprocess.run(
            ["cargo", "run", "--quiet", "-p", "openim-e2e", "--bin", "openim-split-profile",
             "--", str(site), str(recorded)],
            check=True,
            cwd=REPO,
        )
        runs = sorted(pathlib.Path(tmp).glob("users.prof.*"))
        if len(runs) < 6:
            fail(f"openim-split-profile wrote {len(runs)} profiles, expected 3 per generation")
        wasm_split("--merge-profiles", *map(str, runs), "-o", str(out))


def split(dist: pathlib.Path, link_map: pathlib.Path) -> tuple[str, bytes]:
    """Splits the wasm; returns the first module's file name and its poisoned variant."""
    index = dist / "index.html"
    html = index.read_text(encoding="utf-8")
    glue_name, wasm_name = loader_names(html)
    original = (dist / wasm_name).read_bytes()
    readable = one_slot_fills_as_sets(original)
    with tempfile.TemporaryDirectory(prefix="openim-split-") as tmp:
        work = pathlib.Path(tmp)
        (work / "whole.wasm").write_bytes(readable)
        wasm_split("--instrument", str(work / "whole.wasm"), "-o", str(work / "instrumented.wasm"))
        instrumented = table_exports_as((work / "instrumented.wasm").read_bytes(), readable)
        profile(dist, html, glue_name, instrumented, work / "users.prof")
        wasm_split(
            str(work / "whole.wasm"),
            f"--profile={work / 'users.prof'}",
            "--placeholder-namespace=p",
            "-o1", str(work / "first.wasm"),
            "-o2", str(work / "second.wasm"),
        )
        first = table_exports_as((work / "first.wasm").read_bytes(), readable)
        second = (work / "second.wasm").read_bytes()
        first, placeholder_types, placeholder_slots = placeholders_at_run_time(first, work)
    first, second, moved = move_data(first, second, link_map_objects(link_map))
    first, second = without_custom_sections(first), without_custom_sections(second)

    first, glue_text = short_imports(first, patched_glue((dist / glue_name).read_text("utf-8")))
    (dist / glue_name).unlink()
    poison = poisoned(first, moved)
    primary = content_name("openim-admin-", first, "_bg.wasm")
    secondary = content_name("openim-admin-more-", second, ".wasm")
    (dist / wasm_name).unlink()
    (dist / primary).write_bytes(first)
    (dist / secondary).write_bytes(second)

    html = relinked(html, wasm_name, primary, first)
    early = minified_js(early_script(f"/{primary}"), module=False)
    loader = loader_script(glue_text, secondary, second, placeholder_types, placeholder_slots)
    html = inlined(dist, html, glue_name, early, loader)
    index.write_text(html, encoding="utf-8")
    print(f"finish-dist: {wasm_name} ({len(original)} bytes) split into {primary} "
          f"({len(first)} bytes) and {secondary} ({len(second)} bytes, with "
          f"{sum(n for _, n in moved)} bytes of static data the first module's code cannot reach)")
    return primary, poison


def precompress(dist: pathlib.Path) -> None:
    rows = []
    for f in sorted(dist.iterdir()):
        if f.suffix not in COMPRESSIBLE or not f.is_file():
            continue
        raw = f.read_bytes()
        gz = dist / (f.name + ".gz")
        gz.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
        br = dist / (f.name + ".br")
        subprocess.run(["brotli", "-q", "11", "-f", "-o", str(br), str(f)], check=True)
        rows.append((f.name, len(raw), gz.stat().st_size, br.stat().st_size))
    width = max(len(r[0]) for r in rows)
    print(f"{'file':<{width}}  {'raw':>9}  {'gzip -9':>9}  {'brotli':>9}")
    for name, raw, gz, br in rows:
        print(f"{name:<{width}}  {raw:>9}  {gz:>9}  {br:>9}")
    total = [sum(r[i] for r in rows) for i in (1, 2, 3)]
    print(f"{'total':<{width}}  {total[0]:>9}  {total[1]:>9}  {total[2]:>9}")


def main() -> None:
    args = sys.argv[1:]
    if len(args) != 3 or args[1] != "--link-map":
        sys.exit("usage: finish-dist.py DIST --link-map MAP (wasm-ld's map of the wasm trunk built)")
    dist, link_map = pathlib.Path(args[0]), pathlib.Path(args[2])
    for stale in list(dist.glob("*.gz")) + list(dist.glob("*.br")):
        stale.unlink()
    html = (dist / "index.html").read_text(encoding="utf-8")
    if TRUNK_LOADER not in html:
        fail("dist/index.html has no trunk loader: finish-dist runs once, on trunk's output")
    primary, poison = split(dist, link_map)
    precompress(dist)
    write_poisoned_copy(dist, primary, poison)


def write_poisoned_copy(dist: pathlib.Path, primary: str, poison: bytes) -> None:
    """target/dist-poisoned: dist/ with the poisoned first module (see poisoned())."""
    copy = REPO / "target" / "dist-poisoned"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(dist, copy)
    for sibling in (copy / f"{primary}.gz", copy / f"{primary}.br"):
        sibling.unlink()
    (copy / primary).write_bytes(poison)
    index = copy / "index.html"
    index.write_text(relinked(index.read_text("utf-8"), primary, primary, poison), "utf-8")


if __name__ == "__main__":
    main()
