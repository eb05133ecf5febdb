// The one call the users table waits on, sent by the loader as the console starts to load.
// scripts/finish-dist.py puts this file in static/boot.js in place of its import; the split
// profile's loader imports it as it is.
//
// Opened from its address in a signed-in tab (`stored` is the tab's sign-in), the table's page
// is asked for at once, while the wasm is still on its way, and kept in globalThis.openimEarly
// for the page to claim (src/api.rs `take_early`), which logs it like a call it sent itself.
// It must be the request src/pages/users.rs `page_request` builds from the same address and
// sign-in, byte for byte, or the page sends its own. So an address this does not read exactly
// as the console does (a repeated or malformed page or size, an unknown API generation) asks
// for nothing, and gives undefined instead of the answer's promise.
const PAGE_SIZES = [10, 20, 50, 100, 500, 1000];

export function sendEarly(stored) {
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
        pagination: { pageNumber: Math.max(page, 1), showNumber: PAGE_SIZES.includes(size) ? size : 20 },
    };
    if (version === 'v3.8') {
        if (query.user) req.userID = query.user;
        if (query.nick) req.nickName = query.nick;
    } else if (version !== 'v3.4') {
        return;
    }
    const operationID = `${Date.now()}-0`;
    const headers = [['operationID', operationID], ['Content-Type', 'application/json'], ['token', token]];
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
    early.answer = fetch(early.url, { method: 'POST', headers, body: early.body, signal: early.abort.signal })
        .then(async (r) => ({ status: r.status, body: await r.text() }))
        .then((answer) => (early.settled = { ...answer, at: Date.now() }));
    // Claimed or not, a failure is the page's to report, not the console's.
    early.answer.catch(() => {});
    globalThis.openimEarly = early;
    return early.answer;
}
