// What a cold load starts before anything else: a classic script, which index.html carries
// inline right after the wasm's preload. It runs as it is parsed, where the loader's module
// script (static/boot.js) runs only once the whole document has arrived and been parsed.
// scripts/finish-dist.py fills in the first module's path; the split profile's page loads it
// as a file.
//
// 1. The first wasm module starts compiling, from the preload's bytes, into
//    globalThis.openimPrimary, which the loader instantiates.
// 2. Opened from its address in a signed-in tab, the users table's page is asked for at once,
//    while the wasm is still compiling, and the call is kept in globalThis.openimEarly for the
//    loader to wait on and the page to claim (src/api.rs `take_early`), which logs it like a
//    call it sent itself. It must be the request src/pages/users.rs `page_request` builds from
//    the same address and sign-in, byte for byte, or the page sends its own. So an address
//    this does not read exactly as the console does (a repeated or malformed page or size, an
//    unknown API generation) asks for nothing.
(() => {
    globalThis.openimPrimary = WebAssembly.compileStreaming(fetch('__PRIMARY__'));
    // A failure is the loader's to report, when it waits for the module.
    globalThis.openimPrimary.catch(() => {});

    const PAGE_SIZES = [10, 20, 50, 100, 500, 1000];

    function sendEarly(stored) {
        let signIn;
        try {
            signIn = JSON.parse(stored);
        } catch {
            return;
        }
        const { base, token, version } = signIn ?? {};
        if (typeof base !== 'string' || typeof token !== 'string') return;
        const query = {};
        for (const [key, value] of new URLSearchParams(location.search)) {
            if (!['page', 'size', 'user', 'nick'].includes(key)) continue;
            if (key in query) return;
            query[key] = value;
        }
        const number = (text, absent) =>
            text === undefined ? absent : /^[0-9]{1,9}$/.test(text) ? Number(text) : NaN;
        const page = number(query.page, 1);
        const size = number(query.size, 20);
        if (Number.isNaN(page) || Number.isNaN(size)) return;
        const req = {
            pagination: {
                pageNumber: Math.max(page, 1),
                showNumber: PAGE_SIZES.includes(size) ? size : 20,
            },
        };
        if (version === 'v3.8') {
            if (query.user) req.userID = query.user;
            if (query.nick) req.nickName = query.nick;
        } else if (version !== 'v3.4') {
            return;
        }
        const operationID = `${Date.now()}-0`;
        const headers = [
            ['operationID', operationID],
            ['Content-Type', 'application/json'],
            ['token', token],
        ];
        const early = {
            url: `${base.trim().replace(/\/+$/, '')}/user/get_users`,
            token,
            body: JSON.stringify(req),
            operationID,
            headers,
            abort: new AbortController(),
            started: Date.now(),
            settled: null,
        };
        const init = { method: 'POST', headers, body: early.body, signal: early.abort.signal };
        early.answer = fetch(early.url, init)
            .then(async (r) => ({ status: r.status, body: await r.text() }))
            .then((answer) => (early.settled = { ...answer, at: Date.now() }));
        // Claimed or not, a failure is the page's to report, not the console's.
        early.answer.catch(() => {});
        globalThis.openimEarly = early;
    }

    const signIn = sessionStorage.getItem('openim-admin.sign-in');
    if (location.pathname === '/users' && signIn !== null) sendEarly(signIn);
})();
