// Checks journeymap's HTML page (-f html) in headless Chromium (see test_browser.sh):
//  - no console error, no request other than file: and data: (the page is self-contained);
//  - the map is fitted to the window; the wheel changes its scale;
//  - a hovered card and a focused card (Tab) show their details;
//  - the page's words are in the map's language;
//  - printing gives a PDF with every stage name (pdftotext).
// Usage: node html.js CHROMIUM PAGE.html LAYOUT.json TOUCHPOINT-DESCRIPTION FAILED-DIR
'use strict';
const puppeteer = require('puppeteer-core');
const fs = require('fs'), os = require('os'), path = require('path');
const {execFileSync} = require('child_process');

const [chromium, file, layoutFile, description, failedDir] = process.argv.slice(2);
let failures = 0;
const fail = (msg) => { console.error('FAIL: ' + msg); failures++; };

(async () => {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'jm-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: chromium, headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync',
           '--user-data-dir=' + profile]});
  try {
    const page = await browser.newPage();
    const errors = [], requests = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => { if (!/^(file|data):/.test(r.url())) requests.push(r.url()); });
    page.on('requestfailed', (r) => errors.push('request failed: ' + r.url()));
    await page.setViewport({width: 1280, height: 800, deviceScaleFactor: 1});
    await page.goto('file://' + path.resolve(file), {waitUntil: 'load'});

    // Fitted: the whole map inside the view.
    const fit = await page.evaluate(() => {
      const v = document.getElementById('jm-view').getBoundingClientRect();
      const m = document.querySelector('#jm-map svg').getBoundingClientRect();
      return {inside: m.left >= v.left - 1 && m.right <= v.right + 1 && m.top >= v.top - 1 &&
                      m.bottom <= v.bottom + 1, scale: +document.getElementById('jm-map').dataset.scale};
    });
    if (!fit.inside) fail('the map is not fitted to the window');

    // The wheel zooms.
    await page.mouse.move(500, 400);
    await page.mouse.wheel({deltaY: -400});
    await new Promise((r) => setTimeout(r, 100));
    const zoomed = await page.evaluate(() => +document.getElementById('jm-map').dataset.scale);
    if (!(zoomed > fit.scale * 1.2)) fail(`the wheel did not zoom in: scale ${fit.scale} -> ${zoomed}`);
    await page.keyboard.press('Escape');
    await page.click('#jm-fit');

    const details = () => page.evaluate(() => document.getElementById('jm-details').textContent);
    // Hover: the first card with a description shows it.
    const layout = JSON.parse(fs.readFileSync(layoutFile)).elements;
    const cards = await page.$$('g.jm-card');
    if (cards.length < 2) fail(`${cards.length} cards in the page`);
    let hovered = false;
    for (const c of cards) {
      await c.hover();
      if ((await details()).includes(description)) { hovered = true; break; }
    }
    if (!hovered) fail(`no hovered card shows "${description}" in its details`);

    // The page's own words are in the map's language (Russian here: bank-account-ru).
    const lang = await page.evaluate(() => document.documentElement.lang);
    if (lang.startsWith('ru')) {
      const chrome = await page.evaluate(() => document.querySelector('header').innerText + ' ' +
          [...document.querySelectorAll('header [aria-label], #jm-view')]
            .map((e) => e.getAttribute('aria-label')).join(' '));
      for (const w of ['Zoom', 'Fit', 'wheel', 'Journey map', 'Tab to the cards'])
        if (chrome.includes(w)) fail(`English "${w}" in the page of a Russian map: ${chrome}`);
      const d = await details();
      if (hovered && !d.includes('Описание:')) fail(`a card's details are not in Russian: ${d.slice(0, 80)}`);
    }

    // Tab: the first card is focused after the view, and shows its own details.
    await page.click('#jm-fit');
    await page.focus('#jm-view');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const a = document.activeElement;
      return a && a.classList && a.classList.contains('jm-card') ?
        {ref: a.getAttribute('data-ref'), text: document.getElementById('jm-details').textContent} : null;
    });
    if (!focused) fail('Tab from the map does not reach a card');
    else {
      const name = layout.find((e) => e.ref === focused.ref + '/name');
      if (!name || !focused.text.includes(name.text.replace(/\s+/g, ' ').slice(0, 10)))
        fail(`the focused card ${focused.ref} does not show its name: "${focused.text.slice(0, 80)}"`);
    }

    // Print: every stage name in the PDF.
    const pdf = path.join(path.dirname(file), 'printed.pdf');
    await page.pdf({path: pdf, landscape: true, printBackground: true});
    const text = execFileSync('pdftotext', ['-layout', pdf, '-']).toString().replace(/\s+/g, ' ');
    const stages = layout.filter((e) => e.kind === 'text' && e.parent >= 0 &&
                                  layout[e.parent].kind === 'stage_header').map((e) => e.text);
    if (!stages.length) fail('no stage names in the layout');
    for (const s of stages)
      if (!text.includes(s.replace(/\s+/g, ' '))) fail(`the printed PDF lacks the stage "${s}"`);

    for (const e of errors) fail('console: ' + e);
    for (const r of requests) fail('request: ' + r);
    if (failures) {
      fs.mkdirSync(failedDir, {recursive: true});
      await page.screenshot({path: path.join(failedDir, 'html.png')});
      fs.copyFileSync(pdf, path.join(failedDir, 'printed.pdf'));
      console.error('  kept ' + failedDir + '/html.png and printed.pdf');
    } else {
      console.log(`html: fitted at ${fit.scale.toFixed(3)}, wheel to ${zoomed.toFixed(3)}; hover ` +
                  `and Tab show details; ${stages.length} stages in the printed PDF`);
    }
  } finally {
    await browser.close();
    fs.rmSync(profile, {recursive: true, force: true});
  }
  if (failures) { console.error(`html: ${failures} failure(s)`); process.exit(1); }
})().catch((e) => { console.error('html: ' + (e && e.stack || e)); process.exit(1); });
