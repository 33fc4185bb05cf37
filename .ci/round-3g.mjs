// Issue 18's figures, reported (never asserted): a team member's round on Chromium behind a
// proxy that behaves as 3G (1.6 Mbit/s down, 750 kbit/s up, 150 ms each way: 300 ms round
// trip), so the service worker's fetches are slowed as much as the page's. The first load of the
// round right after signing in (only the style sheet is cached, by the login page), until the
// round is kept on the phone; then, the proxy refusing connections (no
// network), the round reopened from the service worker and the phone's copy.
// Usage: node .ci/round-3g.mjs BASE LOGIN PASSWORD   (playwright-core and Debian's chromium;
// NODE_PATH may name where playwright-core is installed)
import net from 'node:net';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const [base, login, password] = process.argv.slice(2);
const target = new URL(base);

let throttled = false;
let online = true;
const DOWN = 1.6e6 / 8, UP = 750e3 / 8, ONE_WAY_MS = 150;
let bytes = 0;
/** Forwards `from` to `to`, each chunk no sooner than 150 ms after it came and after the
 * previous chunk has had its bandwidth's time. */
function pipe(from, to, rate, counted) {
  let free = 0;
  from.on('data', (chunk) => {
    if (!throttled) { to.write(chunk); return; }
    if (counted) bytes += chunk.length;
    const now = Date.now();
    free = Math.max(free, now + ONE_WAY_MS) + (chunk.length / rate) * 1000;
    setTimeout(() => to.write(chunk), free - now);
  });
  from.on('end', () => setTimeout(() => to.end(), Math.max(0, free - Date.now())));
  from.on('error', () => to.destroy());
}
const open = new Set();
const proxy = net.createServer((client) => {
  if (!online) { client.destroy(); return; }
  const server = net.connect(Number(target.port || 80), target.hostname);
  for (const s of [client, server]) { open.add(s); s.on('close', () => open.delete(s)); }
  pipe(client, server, UP, false);
  pipe(server, client, DOWN, true);
});
await new Promise((ok) => proxy.listen(0, '127.0.0.1', ok));
const via = `http://127.0.0.1:${proxy.address().port}`;

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
const page = await context.newPage();

// Signed in at full speed: the session is not what is measured.
await page.goto(`${via}/login?next=/account`);
await page.fill('input[name=login]', login);
await page.fill('input[name=password]', password);
await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);

throttled = true;
let start = Date.now();
await page.goto(`${via}/round`);
await page.waitForSelector('a[href$="/visit"]', { timeout: 60000 });
const usable = Date.now() - start;
await page.waitForFunction(
  () => navigator.serviceWorker.controller && document.querySelector('#offline-status a[href="#propose=new"]'),
  null, { timeout: 180000 });
const kept = Date.now() - start;
const shown = await page.evaluate(() => document.querySelectorAll('a[href$="/visit"]').length);
const wire = bytes;

online = false;
for (const s of open) s.destroy();
await page.goto('about:blank');
start = Date.now();
await page.goto(`${via}/round`);
await page.waitForFunction(() => document.querySelectorAll('#offline-page ul.round a').length > 0, null, { timeout: 60000 });
const reopened = Date.now() - start;
const drawn = await page.evaluate(() => document.querySelectorAll('#offline-page ul.round a').length);

console.log(`3G, first load: usable after ${usable} ms (${shown} households on the page), the round kept on the phone after ${kept} ms, ${Math.round(wire / 1024)} KB received`);
console.log(`no network, reopened: ${reopened} ms, ${drawn} households drawn from the phone`);
await browser.close();
proxy.close();
