// The room renderer (room_html.js) on crafted channels: mrkdwn, Block Kit,
// the channel header and message markers, and that nothing typed becomes
// markup.
//
// Usage: node --test room_html_test.js
'use strict';

const assert = require('node:assert/strict');
const test = require('node:test');
const {renderRoom, mrkdwn, blocks} = require('./room_html');

const users = {U2: 'dana', UBOT: 'firefighter-bot'};

test('mrkdwn: bold, italic, strike and code', () => {
  assert.equal(mrkdwn('*Status* is _now_ ~open~ `fixed`'),
    '<b>Status</b> is <i>now</i> <s>open</s> <code>fixed</code>');
  // Inside code nothing is formatted; a word-internal mark is not a mark.
  assert.equal(mrkdwn('`*x*` snake_case_name'), '<code>*x*</code> snake_case_name');
});

test('mrkdwn: mentions are chips named from the users map', () => {
  assert.equal(mrkdwn('<@U2> is now incident commander', users),
    '<span class="mention">@dana</span> is now incident commander');
  assert.equal(mrkdwn('<@U404|bob>'), '<span class="mention">@bob</span>');
  assert.equal(mrkdwn('<@U404>'), '<span class="mention">@U404</span>');
  assert.equal(mrkdwn('<!here>'), '<span class="mention broadcast">@here</span>');
  assert.equal(mrkdwn('<#C1|incidents>'), '<span class="channel">#incidents</span>');
  assert.equal(mrkdwn('*<@U2>*', users), '<b><span class="mention">@dana</span></b>');
});

test('mrkdwn: links, and only web and mail links are followed', () => {
  assert.equal(mrkdwn('<https://x.example/a?b=1&amp;c=2|the *page*>'),
    '<a href="https://x.example/a?b=1&amp;c=2">the *page*</a>');
  assert.equal(mrkdwn('<https://x.example/>'),
    '<a href="https://x.example/">https://x.example/</a>');
  assert.equal(mrkdwn('<javascript:alert(1)|click>'), '<a href="#">click</a>');
});

test('mrkdwn: a bare web address is a link, without trailing punctuation', () => {
  assert.equal(mrkdwn('call: https://zoom.example/j/1?pwd=a&amp;b=c.'),
    'call: <a href="https://zoom.example/j/1?pwd=a&amp;b=c">' +
    'https://zoom.example/j/1?pwd=a&amp;b=c</a>.');
  assert.equal(mrkdwn('`https://x.example/` and <https://y.example/|y>'),
    '<code>https://x.example/</code> and <a href="https://y.example/">y</a>');
});

test('mrkdwn: Slack escapes show as typed and never become markup', () => {
  const html = mrkdwn('&lt;b&gt;hi&lt;/b&gt; &amp; <img src=x onerror=alert(1)> "q"');
  assert.equal(html,
    '&lt;b&gt;hi&lt;/b&gt; &amp; <a href="#">img src=x onerror=alert(1)</a> &quot;q&quot;');
  assert.doesNotMatch(html, /<b>|<img/);
});

test('mrkdwn: dates, emoji, quotes, line breaks and fences', () => {
  assert.equal(mrkdwn('<!date^86400^{date_short} {time}|1970-01-02 00:00 UTC>'),
    'Jan 2, 1970 00:00');
  assert.equal(mrkdwn('<!date^x^{time}|fallback>'), 'fallback');
  assert.equal(mrkdwn(':white_check_mark: done :no_such_emoji:'), '\u2705 done :no_such_emoji:');
  assert.equal(mrkdwn('intro\n>one\n&gt; two\nafter'),
    'intro<blockquote>one<br>two</blockquote>after');
  assert.equal(mrkdwn('a ```x *y*\n&lt;z&gt;``` b'), 'a <pre>x *y*\n&lt;z&gt;</pre> b');
});

test('blocks: header, fields in two columns, context, divider, buttons', () => {
  const html = blocks([
    {type: 'header', text: {type: 'plain_text', text: '#1 A & <B>'}},
    {type: 'section', fields: [{type: 'mrkdwn', text: '*Status*\nFIXED'},
      {type: 'mrkdwn', text: '*Commander*\n<@U2>'}]},
    {type: 'context', elements: [{type: 'mrkdwn', text: '*Latest:* ok'}]},
    {type: 'divider'},
    {type: 'actions', elements: [
      {type: 'button', text: {type: 'plain_text', text: 'Update'}, style: 'primary'},
      {type: 'button', text: {type: 'plain_text', text: 'Close'}, style: 'danger'},
      {type: 'button', text: {type: 'plain_text', text: 'Open'}, url: 'https://x.example/1'}]},
  ], users);
  assert.match(html, /<div class="bk-header">#1 A &amp; &lt;B&gt;<\/div>/);
  assert.match(html, /<div class="bk-fields"><div class="bk-field"><b>Status<\/b><br>FIXED<\/div>/);
  assert.ok(html.includes(
    '<div class="bk-field"><b>Commander</b><br><span class="mention">@dana</span></div>'));
  assert.match(html, /<div class="bk-context"><span><b>Latest:<\/b> ok<\/span><\/div>/);
  assert.match(html, /<hr class="bk-divider">/);
  assert.match(html, /<span class="button primary">Update<\/span>/);
  assert.match(html, /<span class="button danger">Close<\/span>/);
  assert.match(html, /<a class="button" href="https:\/\/x.example\/1">Open<\/a>/);
});

test('blocks: what is not drawn shows as a visible box', () => {
  const html = blocks([
    {type: 'image', image_url: 'https://x.example/a.png', alt_text: 'graph'},
    {type: 'actions', elements: [{type: 'static_select'}]},
    {type: 'context', elements: [{type: 'image'}]},
  ], users);
  assert.match(html,
    /\[unsupported: image\].*\[unsupported: static_select\].*\[unsupported: image\]/);
});

test('page: header, topic, bookmarks, pinned and edited messages', () => {
  const html = renderRoom({
    users,
    channel: {
      name: 'inc-1-payment-checkout', topic: 'FIXED · SEV1 · <@U2> — #1 Checkout',
      bookmarks: [{title: 'Call', url: 'https://zoom.example/j/1'}],
      pins: ['1767225600.000001'], members: ['UBOT', 'U2'],
      messages: [
        {ts: '1767225600.000001', user: 'UBOT', bot: true, text: 'fallback', edits: 2,
          blocks: [{type: 'section', text: {type: 'mrkdwn', text: 'the summary'}}]},
        {ts: '1767229200.000002', user: 'U2', bot: false, text: 'a *person*', blocks: null,
          edits: 0},
      ],
    },
  });
  assert.match(html, /<span class="name"># inc-1-payment-checkout<\/span>/);
  assert.ok(html.includes(
    '<div class="topic">FIXED · SEV1 · <span class="mention">@dana</span> — #1 Checkout</div>'));
  assert.match(html, /<span class="members">\S+ 2<\/span>/);
  assert.match(html, new RegExp('<span class="bookmark">\\S+ 1 Pinned</span>' +
    '<a class="bookmark" href="https://zoom.example/j/1">\\S+ Call</a>'));
  const [summary, person] = html.split('<div class="message').slice(1);
  assert.match(summary, /^ pinned" data-ts="1767225600.000001">/);
  assert.match(summary, /Pinned<\/div>/);
  assert.ok(summary.includes(
    'firefighter-bot</span><span class="app">APP</span><span class="time">00:00</span>'));
  assert.match(summary, /the summary/);
  assert.doesNotMatch(summary, /fallback/);  // blocks, when present, are what Slack shows
  assert.match(summary, /\(edited\)/);
  assert.match(person, /^" data-ts="1767229200.000002">/);
  assert.doesNotMatch(person, /Pinned|\(edited\)|APP/);
  assert.match(person, /dana<\/span><span class="time">01:00<\/span>/);
  assert.match(person, /a <b>person<\/b>/);
});

test('page: an author\'s messages within five minutes are grouped under one name', () => {
  const at = (seconds) => `${1767225600 + seconds}.000000`;
  const post = (ts, user, text) => ({ts, user, bot: user === 'UBOT', text, blocks: null, edits: 0});
  const html = renderRoom({
    users,
    channel: {
      name: 'inc-2', topic: '', bookmarks: [], pins: [at(0)], members: [],
      messages: [post(at(0), 'UBOT', 'summary'), post(at(1), 'UBOT', 'one'),
        post(at(2), 'UBOT', 'two'), post(at(3), 'U2', 'three'), post(at(400), 'U2', 'four')],
    },
  });
  const shown = html.split('<div class="message').slice(1);
  const named = shown.map((m) => /class="author"/.test(m));
  assert.deepEqual(named, [true, true, false, true, true]);
  assert.match(shown[2], /^ followup" data-ts="1767225602.000000">/);
  assert.match(shown[2], /<div class="avatar none"><\/div>/);
});
