// Renders a dump of one Slack channel (room_html.js says its shape) as an
// HTML page and a PNG screenshot of it, taken with headless Chromium through
// playwright-core.
//
// Usage: node render_room.js --dump ROOM.json --html OUT.html --png OUT.png
//                            --chromium PATH [--width PIXELS]
// The screenshot is the whole page, --width (default 1000) pixels wide.
'use strict';

const fs = require('node:fs');
const {renderRoom} = require('./room_html');

// readArgs parses "--name value" pairs, failing on a missing required one.
function readArgs(argv, required) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || argv[i + 1] === undefined) {
      throw new Error(`expected --name value, got "${String(argv[i]).slice(0, 40)}"`);
    }
    args[argv[i].slice(2)] = argv[i + 1];
  }
  for (const name of required) {
    if (!args[name]) throw new Error(`missing --${name}`);
  }
  return args;
}

// screenshot loads `html` in Chromium at `width` and writes the full page to
// `png`.
async function screenshot(chromiumPath, html, png, width) {
  const {chromium} = require('playwright-core');
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    // Chromium refuses to run as root with its sandbox (CI runs as root).
    args: process.getuid() === 0 ? ['--no-sandbox'] : [],
  });
  try {
    const page = await browser.newPage({
      viewport: {width, height: 200}, deviceScaleFactor: 1, colorScheme: 'light',
      locale: 'en-GB', timezoneId: 'UTC',
    });
    // Nothing to fetch: the page is self-contained (links are not followed).
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, {waitUntil: 'load'});
    await page.screenshot({path: png, fullPage: true});
  } finally {
    await browser.close();
  }
}

// renderRoomFiles renders dump file `dumpPath` to `htmlPath` and `pngPath`;
// resolves with the HTML.
async function renderRoomFiles({dumpPath, htmlPath, pngPath, chromiumPath, width = 1000}) {
  const html = renderRoom(JSON.parse(fs.readFileSync(dumpPath, 'utf8')));
  fs.writeFileSync(htmlPath, html);
  await screenshot(chromiumPath, html, pngPath, width);
  return html;
}

if (require.main === module) {
  const args = readArgs(process.argv.slice(2), ['dump', 'html', 'png', 'chromium']);
  renderRoomFiles({dumpPath: args.dump, htmlPath: args.html, pngPath: args.png,
    chromiumPath: args.chromium, width: Number(args.width || 1000)})
    .then(() => console.log(`wrote ${args.html} and ${args.png}`))
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}

module.exports = {renderRoomFiles, readArgs};
