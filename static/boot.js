// openim-admin's loader. scripts/finish-dist.py fills in the file names, puts the wasm-bindgen
// glue in place of the import below and writes the result inline into dist/index.html, after
// static/early.js, so that a cold load waits on no request but the wasm's (and the table's).
//
// The release build's wasm comes in two modules. The first holds every function that opening
// the users table ran when the build was profiled (crates/openim-e2e/src/bin/
// openim-split-profile.rs); the second holds the rest. Until the second is attached, the first
// reaches those functions through placeholders, which attach it on the spot.
//
// Opened on the users table, signed in, the console starts with the first module alone and
// fetches the second once the table is drawn, or SECOND_AFTER_MS after start at the latest.
// Opened anywhere else, it fetches and compiles both before it starts.
import init from '__GLUE__';

const SECONDARY = '__SECONDARY__';
const SECONDARY_INTEGRITY = '__SECONDARY_INTEGRITY__';
const SECOND_AFTER_MS = 3000;
const EARLY_WAIT_MS = 100;

const split = (globalThis.openimSplit = { primary: null, ready: null, attached: false, loading: null });

function attach(module) {
    if (split.attached) return;
    new WebAssembly.Instance(module, { primary: split.primary });
    split.attached = true;
}

// A placeholder ran before the second module arrived. The call cannot wait, so the module is
// fetched and compiled now, synchronously.
function attachNow() {
    const xhr = new XMLHttpRequest();
    xhr.open('GET', SECONDARY, false);
    // A synchronous request gives no ArrayBuffer: this charset maps each byte to one char.
    xhr.overrideMimeType('text/plain; charset=x-user-defined');
    xhr.send();
    if (xhr.status !== 200) {
        throw new Error(`openim-admin: ${SECONDARY} answered HTTP ${xhr.status}; reload the page`);
    }
    const text = xhr.responseText;
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    attach(new WebAssembly.Module(bytes));
}

// The first module's table holds a stand-in in each slot the second module fills; each gets a
// placeholder of its slot's type before the module's start runs. A JavaScript function goes
// into a table only as a wasm function, so they come as the imports of a module written here,
// whose element segments put them in the first module's table as it is instantiated, as the
// second module's do with its own functions. (The first module imported them itself once: 1,081
// imports, 4 KB of its gzip.) scripts/finish-dist.py lists the types, as `params:results` in
// the letters of VALUE.
const PLACEHOLDER_TYPES = '__PLACEHOLDER_TYPES__';
// A letter per table slot: `.`, or the slot's type, as a place in TYPE_LETTERS.
const PLACEHOLDER_SLOTS = '__PLACEHOLDER_SLOTS__';
const TYPE_LETTERS = '__TYPE_LETTERS__';
const VALUE = { i: 0x7f, j: 0x7e, f: 0x7d, d: 0x7c, x: 0x6f, r: 0x70 };

function placeholderModule() {
    const slots = [];
    const bytes = new Uint8Array(64 + PLACEHOLDER_TYPES.length + 20 * PLACEHOLDER_SLOTS.length);
    bytes.set([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    let at = 8;
    const byte = (b) => {
        bytes[at++] = b;
    };
    const uleb = (n) => {
        for (; n > 0x7f; n >>>= 7) byte((n & 0x7f) | 0x80);
        byte(n);
    };
    // i32.const reads a signed LEB128: its last byte must not have 0x40 set.
    const sleb = (n) => {
        for (; n > 0x3f; n >>= 7) byte((n & 0x7f) | 0x80);
        byte(n);
    };
    // Room for a size or count known only later: five bytes, the longest LEB128 of a u32.
    const hole = () => (at += 5) - 5;
    const fill = (hole, n) => {
        for (let i = 0; i < 4; i++, n >>>= 7) bytes[hole + i] = (n & 0x7f) | 0x80;
        bytes[hole + 4] = n;
    };
    const types = PLACEHOLDER_TYPES.split(';');
    byte(1);
    let size = hole();
    uleb(types.length);
    for (const type of types) {
        byte(0x60);
        for (const values of type.split(':')) {
            uleb(values.length);
            for (let i = 0; i < values.length; i++) byte(VALUE[values[i]]);
        }
    }
    fill(size, at - size - 5);
    // The first module's table as t.t, then p.<slot> for each placeholder.
    byte(2);
    size = hole();
    const count = hole();
    bytes.set([1, 0x74, 1, 0x74, 1, 0x70, 0, 0], at);
    at += 8;
    const typeOf = new Uint8Array(128);
    for (let i = 0; i < TYPE_LETTERS.length; i++) typeOf[TYPE_LETTERS.charCodeAt(i)] = i;
    // No more than 62 types (one LEB128 byte), and slots under 10,000 (four digits).
    for (let slot = 0; slot < PLACEHOLDER_SLOTS.length; slot++) {
        const type = PLACEHOLDER_SLOTS.charCodeAt(slot);
        if (type === 0x2e) continue; // '.'
        slots.push(slot);
        const digits = slot < 10 ? 1 : slot < 100 ? 2 : slot < 1000 ? 3 : 4;
        bytes[at] = 1;
        bytes[at + 1] = 0x70;
        bytes[at + 2] = digits;
        for (let i = digits, n = slot; i > 0; i--, n = (n / 10) | 0) bytes[at + 2 + i] = 0x30 + (n % 10);
        bytes[at + 3 + digits] = 0;
        bytes[at + 4 + digits] = typeOf[type];
        at += 5 + digits;
    }
    fill(count, slots.length + 1);
    fill(size, at - size - 5);
    // An element segment for each run of adjacent slots, of the imports in order.
    byte(9);
    size = hole();
    const segments = hole();
    let runs = 0;
    for (let i = 0, j; i < slots.length; i = j, runs++) {
        for (j = i + 1; j < slots.length && slots[j] === slots[j - 1] + 1; ) j++;
        byte(0);
        byte(0x41);
        sleb(slots[i]);
        byte(0x0b);
        uleb(j - i);
        for (let k = i; k < j; k++) uleb(k);
    }
    fill(segments, runs);
    fill(size, at - size - 5);
    return { module: WebAssembly.compile(bytes.subarray(0, at)), slots };
}

// Compiled off this thread while the first module is on its way.
const placeholders = placeholderModule();

// The placeholder in table slot `index`, which calls what the second module puts there.
const placeholder = (index) => (...args) => {
    if (!split.attached) attachNow();
    return split.primary.table.get(index)(...args);
};

function placePlaceholders(table) {
    const p = {};
    for (const slot of placeholders.slots) p[slot] = placeholder(slot);
    new WebAssembly.Instance(placeholders.ready, { p, t: { t: table } });
}

// Called by the wasm-bindgen glue once the first module is instantiated, before its start.
split.started = (exports) => {
    split.primary = exports;
    placePlaceholders(exports.table);
    if (split.ready) attach(split.ready);
};

const loadSecond = () =>
    (split.loading ??= WebAssembly.compileStreaming(
        fetch(SECONDARY, { integrity: SECONDARY_INTEGRITY }),
    ));

const signIn = sessionStorage.getItem('openim-admin.sign-in');
const usersFirst = location.pathname === '/users' && signIn !== null;

// static/early.js has started compiling the first module and, when it could read the address,
// asked for the table's page.
const compiled = globalThis.openimPrimary;

if (usersFirst) {
    const answer = globalThis.openimEarly?.answer;
    // The console starts once the answer is in, so that its first render draws the rows: the
    // answer's body is read on this thread, which the start would keep busy until the render
    // is done. A slow server only holds it EARLY_WAIT_MS longer than the wasm itself does.
    if (answer) {
        const waited = () => new Promise((done) => setTimeout(done, EARLY_WAIT_MS));
        await Promise.race([answer.catch(() => {}), compiled.then(waited, () => {})]);
    }
    placeholders.ready = await placeholders.module;
    await init({ module_or_path: await compiled });
    // Asked twice, loadSecond gives the same promise and attach does nothing the second time.
    // A failure leaves the placeholders to fetch the module when it is needed.
    const later = () => loadSecond().then(attach, () => {});
    const drawn = new PerformanceObserver((list) => {
        if (list.getEntriesByName('users-rendered').length > 0) {
            drawn.disconnect();
            later();
        }
    });
    drawn.observe({ type: 'mark' });
    setTimeout(later, SECOND_AFTER_MS);
} else {
    split.ready = await loadSecond().catch(() => null);
    placeholders.ready = await placeholders.module;
    await init({ module_or_path: await compiled });
}
