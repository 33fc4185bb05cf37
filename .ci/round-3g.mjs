// Issue 18's figures, reported (never asserted): a team member's round on Chromium with
// emulated 3G (1.6 Mbit/s down, 750 kbit/s up, 300 ms round trip), first load with an empty
// cache until the round is kept on the phone, then reopened offline from the service worker.
// Usage: node .ci/round-3g.mjs BASE LOGIN PASSWORD   (playwright-core and Debian's chromium)
import { chromium } from 'playwright-core';

const [base, login, password] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
const page = await context.newPage();
const cdp = await context.newCDPSession(page);
await cdp.send('Network.enable');
const threeG = { offline: false, latency: 300, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 };

// Signed in at full speed: the session is not what is measured.
await page.goto(`${base}/login?next=/account`);
await page.fill('input[name=login]', login);
await page.fill('input[name=password]', password);
await Promise.all([page.waitForNavigation(), page.click('form[action^="/login"] button[type=submit]')]);

let bytes = 0;
cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
await cdp.send('Network.emulateNetworkConditions', threeG);
let start = Date.now();
await page.goto(`${base}/round`);
await page.waitForSelector('#offline-page a[href$="/visit"], ul.round a', { timeout: 60000 });
const usable = Date.now() - start;
await page.waitForFunction(
  () => navigator.serviceWorker.controller && document.querySelector('#offline-status a[href="#propose=new"]'),
  null, { timeout: 120000 });
const kept = Date.now() - start;
const households = await page.evaluate(() => document.querySelectorAll('a[href$="/visit"]').length);

await cdp.send('Network.emulateNetworkConditions', { ...threeG, offline: true });
await context.setOffline(true);
await page.goto('about:blank');
start = Date.now();
await page.goto(`${base}/round`);
await page.waitForFunction(() => document.querySelectorAll('#offline-page ul.round a').length > 0, null, { timeout: 60000 });
const reopened = Date.now() - start;
const offlineHouseholds = await page.evaluate(() => document.querySelectorAll('#offline-page ul.round a').length);

console.log(`first load on 3G: usable ${usable} ms (households on the page: ${households}), round kept on the phone after ${kept} ms, ${Math.round(bytes / 1024)} KB on the wire`);
console.log(`reopened offline: ${reopened} ms, ${offlineHouseholds} households drawn from the phone`);
await browser.close();
