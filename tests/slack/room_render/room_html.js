// Renders a dump of one Slack channel (as the fake Slack holds it) into a
// standalone HTML page that approximates how Slack shows it: the channel
// header with its topic and bookmarks bar, then each message with its author,
// time, "Pinned" marker and "(edited)", its Block Kit blocks or, without
// blocks, its mrkdwn text.
//
// The dump: {"channel": {name, topic, bookmarks: [{title, url}], pins: [ts],
// members: [user id], messages: [{ts, user, bot, text, blocks, edits}]},
// "users": {"U…": "display name"}}.
//
// Everything shown is HTML-escaped; Slack's own escapes (&amp; &lt; &gt;) are
// undone first, so "&lt;b&gt;" shows as "<b>" and is never markup. A block or
// element type this file does not draw shows as a visible
// "[unsupported: type]" box, so a picture never hides content.
//
// Pure functions, no I/O.
'use strict';

const {STYLE} = require('./room_style');

// A few emoji shortcodes Slack messages use; others stay as typed.
const EMOJI = {
  white_check_mark: '\u2705', warning: '\u26a0\ufe0f', x: '\u274c', memo: '\ud83d\udcdd',
  bust_in_silhouette: '\ud83d\udc64', rotating_light: '\ud83d\udea8', fire: '\ud83d\udd25',
  pushpin: '\ud83d\udccc', link: '\ud83d\udd17', telephone_receiver: '\ud83d\udcde',
  bell: '\ud83d\udd14', lock: '\ud83d\udd12', tada: '\ud83c\udf89', eyes: '\ud83d\udc40',
};

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December'];

// escapeHtml makes `text` safe as HTML text and attribute content.
function escapeHtml(text) {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

// unescapeSlack undoes Slack's three escapes: the text as people read it.
function unescapeSlack(text) {
  return String(text).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

// display is Slack-escaped `text` as escaped HTML, emoji shortcodes drawn.
function display(text) {
  return escapeHtml(unescapeSlack(text))
    .replace(/:([a-z0-9_+-]+):/g, (all, name) => EMOJI[name] || all);
}

function pad2(n) { return String(n).padStart(2, '0'); }

// formatDate renders Slack's <!date^…> tokens for `seconds`, in UTC.
function formatDate(seconds, format) {
  const d = new Date(seconds * 1000);
  const month = MONTHS[d.getUTCMonth()];
  const tokens = {
    date_num: `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`,
    date: `${month} ${d.getUTCDate()}, ${d.getUTCFullYear()}`,
    date_short: `${month.slice(0, 3)} ${d.getUTCDate()}, ${d.getUTCFullYear()}`,
    date_long: `${month} ${d.getUTCDate()}, ${d.getUTCFullYear()}`,
    time: `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`,
    time_secs: `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`,
  };
  return format.replace(/\{(\w+)\}/g, (all, name) => tokens[name] || all);
}

function chip(text, kind = 'mention') {
  return `<span class="${kind}">${escapeHtml(text)}</span>`;
}

// controlSequence renders the inside of one <…> of mrkdwn.
function controlSequence(inner, users) {
  const bar = inner.indexOf('|');
  const target = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 ? '' : unescapeSlack(inner.slice(bar + 1));
  if (target.startsWith('@')) {
    const id = target.slice(1);
    return chip('@' + (users[id] || label || id));
  }
  if (target.startsWith('#')) return chip('#' + (label || target.slice(1)), 'channel');
  if (target.startsWith('!date^')) {
    const [, seconds, format] = target.split('^');
    const when = Number(seconds);
    return escapeHtml(Number.isFinite(when) && format ? formatDate(when, format) : label);
  }
  if (target.startsWith('!subteam^')) return chip(label || '@group');
  if (target.startsWith('!')) return chip('@' + target.slice(1), 'mention broadcast');
  const url = unescapeSlack(target);
  const safe = /^(https?:|mailto:)/i.test(url) ? url : '#';
  return `<a href="${escapeHtml(safe)}">${escapeHtml(label || url)}</a>`;
}

// inline renders one line of mrkdwn: code spans and <…> sequences first
// (their content is not formatted), then *bold*, _italic_ and ~strike~.
function inline(line, users) {
  const atoms = [];
  const keep = (html) => `\u0000${atoms.push(html) - 1}\u0000`;
  let text = line.replace(/`([^`]+)`/g, (all, code) => keep(`<code>${display(code)}</code>`));
  text = text.replace(/<([^<>]*)>/g, (all, inner) => keep(controlSequence(inner, users)));
  // Slack links a bare web address too (without its trailing punctuation).
  text = text.replace(/\bhttps?:\/\/[^\s<>\u0000]*[^\s<>\u0000.,;:!?)]/g,
    (url) => keep(controlSequence(url, users)));
  let html = display(text);
  const around = (mark, tag) => {
    const re = new RegExp(`(^|[^\\w${mark}])\\${mark}([^${mark}]+?)\\${mark}(?=[^\\w${mark}]|$)`,
      'g');
    html = html.replace(re, (all, before, body) => `${before}<${tag}>${body}</${tag}>`);
  };
  around('*', 'b');
  around('_', 'i');
  around('~', 's');
  return html.replace(/\u0000(\d+)\u0000/g, (all, i) => atoms[Number(i)]);
}

// mrkdwn renders Slack mrkdwn `text` as HTML: lines starting with ">" are
// quotes, ``` fences preformatted, and mentions of `users` (id → name) chips.
function mrkdwn(text, users = {}) {
  const parts = String(text).split('```');
  return parts.map((part, i) => {
    if (i % 2 === 1) return `<pre>${display(part.replace(/^\n/, ''))}</pre>`;
    const out = [];
    let quote = [];
    const flush = () => {
      if (quote.length) out.push(`<blockquote>${quote.join('<br>')}</blockquote>`);
      quote = [];
    };
    for (const line of part.split('\n')) {
      const quoted = line.match(/^(?:>|&gt;) ?(.*)$/);
      if (quoted) {
        quote.push(inline(quoted[1], users));
      } else {
        flush();
        out.push(inline(line, users));
      }
    }
    flush();
    return out.join('<br>').replace(/<br>(<blockquote>)/g, '$1')
      .replace(/(<\/blockquote>)<br>/g, '$1');
  }).join('');
}

// textObject renders a Block Kit text object (mrkdwn or plain_text).
function textObject(object, users) {
  if (!object) return '';
  if (object.type === 'mrkdwn') return mrkdwn(object.text, users);
  if (object.type === 'plain_text') {
    return escapeHtml(object.text).replace(/:([a-z0-9_+-]+):/g, (all, name) => EMOJI[name] || all)
      .replace(/\n/g, '<br>');
  }
  return unsupported(object.type);
}

function unsupported(type) {
  return `<div class="unsupported">[unsupported: ${escapeHtml(type || 'no type')}]</div>`;
}

// element renders an interactive element of an actions block or accessory.
function element(el, users) {
  if (el.type !== 'button') return unsupported(el.type);
  const style = el.style === 'primary' || el.style === 'danger' ? ` ${el.style}` : '';
  const label = textObject(el.text, users);
  if (el.url) return `<a class="button${style}" href="${escapeHtml(el.url)}">${label}</a>`;
  return `<span class="button${style}">${label}</span>`;
}

function div(cls, html) { return `<div class="${cls}">${html}</div>`; }

function each(list, render) { return (list || []).map(render).join(''); }

function section(b, users) {
  const text = b.text ? div('bk-text', textObject(b.text, users)) : '';
  const fields = b.fields ?
    div('bk-fields', each(b.fields, (f) => div('bk-field', textObject(f, users)))) : '';
  const accessory = b.accessory ? div('bk-accessory', element(b.accessory, users)) : '';
  return div('bk-section', div('bk-body', text + fields) + accessory);
}

function context(b, users) {
  return div('bk-context', each(b.elements, (el) =>
    (el.type === 'mrkdwn' || el.type === 'plain_text' ?
      `<span>${textObject(el, users)}</span>` : unsupported(el.type))));
}

const BLOCKS = {
  header: (b, users) => div('bk-header', textObject(b.text, users)),
  divider: () => '<hr class="bk-divider">',
  section,
  context,
  actions: (b, users) => div('bk-actions', each(b.elements, (el) => element(el, users))),
};

// blocks renders a message's Block Kit blocks.
function blocks(list, users) {
  return list.map((b) => (BLOCKS[b.type] ? BLOCKS[b.type](b, users) : unsupported(b.type)))
    .join('');
}

// timeOf is a message ts as Slack shows it beside the author: HH:MM (UTC).
function timeOf(ts) {
  return formatDate(Math.floor(Number(ts)), '{time}');
}

function initials(name) {
  return escapeHtml(name.replace(/[^A-Za-z0-9]/g, '').slice(0, 1).toUpperCase() || '?');
}

// message renders one message; `pinned` when the channel pinned it, a
// `followup` (no avatar or name, as Slack groups them) when it continues the
// previous message's author.
function message(m, users, {pinned, followup}) {
  const name = users[m.user] || m.user || 'unknown';
  const badge = m.bot ? '<span class="app">APP</span>' : '';
  const body = Array.isArray(m.blocks) && m.blocks.length ?
    blocks(m.blocks, users) : `<div class="bk-text">${mrkdwn(m.text || '', users)}</div>`;
  const edited = m.edits > 0 ? '<span class="edited">(edited)</span>' : '';
  const pin = pinned ? '<div class="pin">\ud83d\udccc Pinned</div>' : '';
  const avatar = followup ? '<div class="avatar none"></div>' :
    `<div class="avatar${m.bot ? ' bot' : ''}">${initials(name)}</div>`;
  const meta = followup ? '' : `<div class="meta"><span class="author">${escapeHtml(name)}</span>` +
    `${badge}<span class="time">${timeOf(m.ts)}</span></div>`;
  const classes = `message${pinned ? ' pinned' : ''}${followup ? ' followup' : ''}`;
  return `<div class="${classes}" data-ts="${escapeHtml(m.ts)}">${pin}
<div class="row">${avatar}<div class="content">${meta}
${body}${edited}</div></div></div>`;
}

// Slack groups an author's messages posted within five minutes of the last.
const GROUP_SECONDS = 300;

// messages renders the channel's messages, oldest first.
function messages(channel, users) {
  const pins = new Set(channel.pins || []);
  let previous = null;
  return (channel.messages || []).map((m) => {
    const pinned = pins.has(m.ts);
    const followup = previous !== null && !pinned && !pins.has(previous.ts) &&
      previous.user === m.user && Number(m.ts) - Number(previous.ts) < GROUP_SECONDS;
    previous = m;
    return message(m, users, {pinned, followup});
  }).join('\n');
}

// header renders the channel's name, topic, member count and bookmarks bar.
function header(channel, users) {
  const bookmarks = (channel.bookmarks || []).map((b) =>
    `<a class="bookmark" href="${escapeHtml(b.url)}">\ud83d\udd17 ${escapeHtml(b.title)}</a>`);
  const pins = (channel.pins || []).length;
  if (pins) bookmarks.unshift(`<span class="bookmark">\ud83d\udccc ${pins} Pinned</span>`);
  return `<header><div class="title"><span class="name"># ${escapeHtml(channel.name)}</span>
<span class="members">\ud83d\udc65 ${(channel.members || []).length}</span></div>
<div class="topic">${mrkdwn(channel.topic || '', users)}</div>
<nav class="bookmarks">${bookmarks.join('')}</nav></header>`;
}

// renderRoom returns the whole page for dump {channel, users}.
function renderRoom(dump) {
  const users = dump.users || {};
  const channel = dump.channel;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>#${escapeHtml(channel.name)}</title><style>${STYLE}</style></head>
<body><main>${header(channel, users)}
<section class="messages">${messages(channel, users)}</section></main></body></html>`;
}

module.exports = {renderRoom, mrkdwn, blocks, escapeHtml};
