// Checks journeymap's SVG in headless Chromium (see test_browser.sh, which prepares WORK):
//  - three different maps inlined in one page each draw as the same SVG does alone (a map
//    borrowing another's glyph outlines, as with ids shared between documents, fails this:
//    1.25-1.46 % of pixels off, against 0.14-0.41 % with unique ids, antialiasing on another
//    sub-pixel grid), and look like their PNG;
//  - librsvg's rendering of each SVG looks like its PNG;
//  - window.find() finds a Russian card title and a stage name (the text layer);
//  - the accessibility tree holds every stage name and card title.
// "Looks like": at most MAX_DIFF of the pixels differ by more than 48/255 in a channel
// (measured: 0.3-0.9 %, antialiasing of outlines against cairo's raster).
// In Firefox (BROWSER named firefox*): the same, less the accessibility tree, which puppeteer
// reads from Chromium only.
// Usage: node browser.js BROWSER WORK FAILED-DIR MAP...
'use strict';
const puppeteer = require('puppeteer-core');
const fs = require('fs'), os = require('os'), path = require('path');

const [chromium, work, failedDir, ...maps] = process.argv.slice(2);
const firefox = /firefox/.test(path.basename(chromium));
const engine = firefox ? 'firefox' : 'chromium';
const MAX_DIFF = 0.02;
const ALONE_MAX_DIFF = 0.008;
let failures = 0;
const fail = (msg) => { console.error(`FAIL (${engine}): ` + msg); failures++; };
const names = maps.map((m) => m.replace(/\.[^.]*$/, ''));
const keep = (name, data) => { // a screenshot of a failed check, for a person to look at
  fs.mkdirSync(failedDir, {recursive: true});
  fs.writeFileSync(path.join(failedDir, engine + '.' + name), data);
  console.error('  kept ' + path.join(failedDir, engine + '.' + name));
};
const dataUrl = (buf) => 'data:image/png;base64,' + Buffer.from(buf).toString('base64');

// Share of pixels differing by more than 48/255, over the common area; sizes must agree to 2 px.
async function difference(page, a, b) {
  return page.evaluate(async (x, y) => {
    const load = (s) => new Promise((ok, no) => {
      const im = new Image(); im.onload = () => ok(im); im.onerror = no; im.src = s;
    });
    const [A, B] = [await load(x), await load(y)];
    if (Math.abs(A.width - B.width) > 2 || Math.abs(A.height - B.height) > 2)
      return {size: `${A.width}x${A.height} against ${B.width}x${B.height}`, diff: 1};
    const w = Math.min(A.width, B.width), h = Math.min(A.height, B.height);
    const pixels = (im) => {
      const c = document.createElement('canvas'); c.width = w; c.height = h;
      const g = c.getContext('2d'); g.fillStyle = '#fff'; g.fillRect(0, 0, w, h);
      g.drawImage(im, 0, 0); return g.getImageData(0, 0, w, h).data;
    };
    const p = pixels(A), q = pixels(B);
    let n = 0;
    for (let k = 0; k < p.length; k += 4)
      if (Math.abs(p[k] - q[k]) > 48 || Math.abs(p[k + 1] - q[k + 1]) > 48 ||
          Math.abs(p[k + 2] - q[k + 2]) > 48) n++;
    return {size: `${w}x${h}`, diff: n / (w * h)};
  }, dataUrl(a), dataUrl(b));
}

// The stage names and card titles of a map, from its layout.
function labels(name) {
  const els = JSON.parse(fs.readFileSync(path.join(work, name + '.layout.json'))).elements;
  const stages = els.filter((e) => e.kind === 'text' && e.parent >= 0 &&
                             els[e.parent].kind === 'stage_header').map((e) => e.text);
  const cards = els.filter((e) => /^\/touchpoints\/\d+\/name$/.test(e.ref || '')).map((e) => e.text);
  return {stages, cards};
}

(async () => {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'jm-browser-'));
  const browser = firefox ?
    await puppeteer.launch({browser: 'firefox', executablePath: chromium, headless: true,
                            userDataDir: profile}) :
    await puppeteer.launch({
      executablePath: chromium, headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
             '--disable-background-networking', '--disable-component-update', '--disable-sync',
             '--user-data-dir=' + profile]});
  try {
    const page = await browser.newPage();
    await page.setViewport({width: 1400, height: 900, deviceScaleFactor: 1});
    // One page, the three maps inlined one under the other.
    const svgs = names.map((n) => fs.readFileSync(path.join(work, n + '.svg'), 'utf8')
                                     .replace(/^<\?xml[^>]*>\s*/, ''));
    const html = '<!DOCTYPE html><html><head><meta charset="utf-8"><style>' +
      'body{margin:0;background:#fff} div{margin:0} svg{display:block}</style></head><body>' +
      svgs.map((s, i) => {
        // whole pixels between maps, so each is drawn on the pixel grid as when alone
        const h = Math.ceil(parseFloat(s.match(/height="([0-9.]+)pt"/)[1]) * 4 / 3);
        return `<div id="map${i}" style="height:${h}px">${s}</div>`;
      }).join('\n') + '</body></html>';
    const file = path.join(work, 'three-maps.html');
    fs.writeFileSync(file, html);
    await page.goto('file://' + file, {waitUntil: 'load'});

    for (let i = 0; i < names.length; i++) {
      const png = fs.readFileSync(path.join(work, names[i] + '.png'));
      // Whole-pixel clips: an element's own box is fractional (a point is 4/3 px), which each
      // browser rounds its own way (Firefox differently inlined and alone).
      const clip = async (p, sel) => p.evaluate((q) => {
        const r = document.querySelector(q).getBoundingClientRect();
        return {x: Math.round(r.left + scrollX), y: Math.round(r.top + scrollY),
                width: Math.ceil(r.width), height: Math.ceil(r.height)};
      }, sel);
      const shot = await page.screenshot({type: 'png', clip: await clip(page, `#map${i} > svg`),
                                          captureBeyondViewport: true});
      const r = await difference(page, shot, png);
      if (r.diff > MAX_DIFF) {
        fail(`${names[i]} inlined with two other maps: ${(100 * r.diff).toFixed(2)} % of pixels ` +
             `differ from its PNG (${r.size}; at most ${100 * MAX_DIFF} %)`);
        keep(names[i] + '.inlined.png', shot);
        keep(names[i] + '.expected.png', png);
      } else {
        console.log(`${engine}: ${names[i]}: inlined ${(100 * r.diff).toFixed(2)} % off its PNG`);
      }
      const alone = await browser.newPage();
      await alone.setViewport({width: 1400, height: 900, deviceScaleFactor: 1});
      await alone.goto('file://' + path.join(work, names[i] + '.svg'), {waitUntil: 'load'});
      const aloneShot = await alone.screenshot({type: 'png', clip: await clip(alone, 'svg'),
                                                captureBeyondViewport: true});
      await alone.close();
      const ra = await difference(page, shot, aloneShot);
      if (ra.diff > ALONE_MAX_DIFF) {
        fail(`${names[i]} inlined with two other maps: ${(100 * ra.diff).toFixed(3)} % of pixels ` +
             `differ from the SVG alone (${ra.size}; at most ${100 * ALONE_MAX_DIFF} %)`);
        keep(names[i] + '.alone.png', aloneShot);
        keep(names[i] + '.inlined.png', shot);
      } else {
        console.log(`${engine}: ${names[i]}: inlined ${(100 * ra.diff).toFixed(3)} % off the SVG alone`);
      }
      const rsvg = fs.readFileSync(path.join(work, names[i] + '.rsvg.png'));
      const rr = await difference(page, rsvg, png);
      if (rr.diff > MAX_DIFF) {
        fail(`${names[i]}: rsvg-convert's rendering differs from the PNG in ` +
             `${(100 * rr.diff).toFixed(2)} % of pixels (${rr.size})`);
        keep(names[i] + '.rsvg.png', rsvg);
      } else {
        console.log(`${names[i]}: rsvg-convert ${(100 * rr.diff).toFixed(2)} % off its PNG`);
      }
    }

    // The browser's find: a Russian card title and a stage name.
    for (const want of ['Билборд у метро', 'Осведомлённость', 'Picks up the coffee']) {
      const found = await page.evaluate((w) => {
        getSelection().removeAllRanges();
        return window.find(w, false, false, true);
      }, want);
      if (!found) fail(`window.find() does not find "${want}"`);
    }

    // Every stage name and card title in the accessibility tree.
    const tree = firefox ? {} : await page.accessibility.snapshot();
    const spoken = [];
    (function walk(n) {
      if (n.name) spoken.push(n.name);
      (n.children || []).forEach(walk);
    })(tree);
    const norm = (s) => s.replace(/\s+/g, ' ').trim();
    const all = norm(spoken.join(' '));
    let checked = 0;
    for (const n of firefox ? [] : names) {
      const {stages, cards} = labels(n);
      if (!stages.length || !cards.length) fail(`${n}: no stage or card labels in its layout`);
      for (const label of [...stages, ...cards]) {
        checked++;
        if (!all.includes(norm(label))) fail(`${n}: "${label}" is not in the accessibility tree`);
      }
    }
    if (!firefox) console.log(`${checked} stage names and card titles in the accessibility tree`);
    if (failures) keep('three-maps.png', await page.screenshot({fullPage: true}));
  } finally {
    await browser.close();
    fs.rmSync(profile, {recursive: true, force: true});
  }
  if (failures) {
    console.error(`test_browser: ${failures} failure(s)`);
    process.exit(1);
  }
  console.log('test_browser: all checks passed');
})().catch((e) => { console.error('test_browser: ' + (e && e.stack || e)); process.exit(1); });
