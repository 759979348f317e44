// docs/slack-room.png, checked: runs SlackRoomTest (the real firefighterd
// against the fake Slack) with FF_SLACK_ROOM_DUMP, renders the incident
// channel it leaves (render_room.js) and checks that the page shows what the
// summary holds — title, FIXED, SEV1, the commander as a mention chip, the
// latest note — and that the PNG is there, --width pixels wide.
//
// Usage: node room_picture_test.js --e2e PATH_TO_e2e_test --chromium PATH
//                                  --out DIR [--width PIXELS]
// Leaves DIR/slack-room.{json,html,png}; docs/slack.md says how to refresh
// the committed picture from them.
'use strict';

const assert = require('node:assert/strict');
const {execFileSync} = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const {readArgs, renderRoomFiles} = require('./render_room');

// pngSize reads a PNG's width and height from its IHDR chunk.
function pngSize(file) {
  const bytes = fs.readFileSync(file);
  assert.equal(bytes.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', `${file} is not a PNG`);
  assert.equal(bytes.subarray(12, 16).toString('latin1'), 'IHDR');
  return {width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20)};
}

// messageHtml is the rendered message with timestamp `ts`.
function messageHtml(html, ts) {
  const found = html.split('<div class="message').find((m) => m.includes(`data-ts="${ts}"`));
  assert.ok(found, `no message ${ts} in the page`);
  return found;
}

// dumpRoom runs SlackRoomTest, which writes the room it checked to `json`.
function dumpRoom(e2e, json) {
  fs.rmSync(json, {force: true});
  const env = {...process.env, FF_SLACK_ROOM_DUMP: json};
  delete env.FF_TEST_BACKEND;  // SQLite: the picture needs no PostgreSQL cluster
  execFileSync(e2e, ['--gtest_filter=SlackRoomTest.*'],
    {env, stdio: ['ignore', 'ignore', 'inherit']});
}

function includes(html, fragment) {
  assert.ok(html.includes(fragment), `the page lacks ${fragment}`);
}

// checkPage checks that the rendered `html` shows the pinned summary of
// `channel` as the scenario left it, and the topic and timeline lines.
function checkPage(html, channel) {
  assert.equal(channel.pins.length, 1);
  const summary = messageHtml(html, channel.pins[0]);
  const dana = '<span class="mention">@dana</span>';
  assert.match(summary, /^ pinned"/);
  assert.match(summary, /<div class="bk-header">#\d+ Checkout fails<\/div>/);
  includes(summary, '<div class="bk-field"><b>Status</b><br>FIXED</div>');
  includes(summary, '<div class="bk-field"><b>Severity</b><br>SEV1 — ');
  includes(summary, `<div class="bk-field"><b>Commander</b><br>${dana}</div>`);
  includes(summary, '<blockquote>Card payments answer 502 since the 14:00 release.</blockquote>');
  includes(summary, '<b>Latest:</b> Rolled back to 2024.11.2; card payments succeed again — ' +
    '<span class="mention">@alice</span>');
  includes(summary, '<span class="button primary">Update</span>');
  includes(summary, '<span class="edited">(edited)</span>');
  assert.doesNotMatch(html, /\[unsupported:/);
  assert.match(html, new RegExp(`<div class="topic">FIXED · SEV1 · ${dana} — #\\d+ Checkout fails`));
  includes(html, `${dana} is now incident commander`);
}

async function main() {
  const args = readArgs(process.argv.slice(2), ['e2e', 'chromium', 'out']);
  const width = Number(args.width || 1000);
  fs.mkdirSync(args.out, {recursive: true});
  const file = (ext) => path.join(args.out, `slack-room.${ext}`);
  dumpRoom(args.e2e, file('json'));
  const html = await renderRoomFiles({dumpPath: file('json'), htmlPath: file('html'),
    pngPath: file('png'), chromiumPath: args.chromium, width});
  checkPage(html, JSON.parse(fs.readFileSync(file('json'), 'utf8')).channel);

  const size = pngSize(file('png'));
  assert.equal(size.width, width);
  assert.ok(size.height > 400, `the picture is ${size.height} px high`);
  console.log(`ok - ${file('png')} (${size.width}x${size.height})`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
