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

// Imported by the first module as `p.<table index>`.
split.placeholders = new Proxy({}, {
    get: (_, index) => (...args) => {
        if (!split.attached) attachNow();
        return split.primary.table.get(Number(index))(...args);
    },
});

// Called by the wasm-bindgen glue once the first module is instantiated, before its start.
split.started = (exports) => {
    split.primary = exports;
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
    await init({ module_or_path: await compiled });
}
