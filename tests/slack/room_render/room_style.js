// The stylesheet of the rendered room (room_html.js): Slack's light theme,
// approximately.
'use strict';

const STYLE = `
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: #1d1c1d;
  font: 15px/1.46668 "Lato", "Helvetica Neue", "Noto Sans", "DejaVu Sans", Arial, sans-serif,
  "Noto Color Emoji"; }
main { width: 100%; }
header { padding: 10px 20px 0; border-bottom: 1px solid #dddddd; }
header .title { display: flex; align-items: center; gap: 12px; }
header .name { font-size: 18px; font-weight: 900; }
header .members { margin-left: auto; font-size: 13px; color: #616061;
  border: 1px solid #dddddd; border-radius: 4px; padding: 1px 8px; }
header .topic { font-size: 13px; color: #616061; margin: 2px 0 6px; }
nav.bookmarks { display: flex; flex-wrap: wrap; gap: 4px; padding: 4px 0 8px; }
.bookmark { font-size: 13px; color: #1d1c1d; text-decoration: none; padding: 2px 8px;
  border-radius: 4px; background: #f8f8f8; }
.messages { padding: 8px 0 16px; }
.message { padding: 8px 20px; }
.message.pinned { background: #fef9ec; }
.pin { font-size: 12px; color: #616061; margin: 0 0 4px 48px; }
.row { display: flex; gap: 8px; }
.avatar { flex: 0 0 36px; height: 36px; border-radius: 4px; background: #4a154b; color: #fff;
  font-weight: 900; display: flex; align-items: center; justify-content: center; }
.avatar.bot { background: #e8412c; }
.avatar.none { height: 0; background: none; }
.message.followup { padding-top: 0; }
.content { flex: 1; min-width: 0; }
.meta { display: flex; align-items: baseline; gap: 6px; }
.author { font-weight: 900; }
.app { font-size: 10px; font-weight: 700; color: #616061; background: #e8e8e8;
  border-radius: 2px; padding: 0 3px; }
.time { font-size: 12px; color: #616061; }
.edited { font-size: 13px; color: #616061; margin-left: 2px; }
a { color: #1264a3; text-decoration: none; }
.mention, .channel { color: #1264a3; background: rgba(29,155,209,.1); border-radius: 3px;
  padding: 0 2px; }
.mention.broadcast { color: #1d1c1d; background: rgba(242,199,68,.4); }
code { font: 12px Monaco, Menlo, Consolas, "DejaVu Sans Mono", monospace; color: #e01e5a;
  background: rgba(29,28,29,.04); border: 1px solid rgba(29,28,29,.13); border-radius: 3px;
  padding: 2px 3px 1px; }
pre { font: 12px/1.5 Monaco, Menlo, Consolas, "DejaVu Sans Mono", monospace; margin: 4px 0;
  background: rgba(29,28,29,.04); border: 1px solid rgba(29,28,29,.13); border-radius: 4px;
  padding: 8px; white-space: pre-wrap; }
blockquote { margin: 4px 0; padding-left: 12px; border-left: 4px solid #dddddd; }
.bk-header { font-size: 18px; font-weight: 900; margin: 4px 0 6px; }
.bk-section { display: flex; gap: 12px; margin: 4px 0; }
.bk-body { flex: 1; min-width: 0; }
.bk-fields { display: grid; grid-template-columns: 1fr 1fr; gap: 8px 16px; max-width: 600px;
  margin: 4px 0; }
.bk-text { overflow-wrap: anywhere; }
.bk-context { font-size: 12px; color: #616061; margin: 6px 0; display: flex; gap: 8px; }
.bk-divider { border: 0; border-top: 1px solid #dddddd; margin: 8px 0; }
.bk-actions { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0 4px; }
.button { display: inline-flex; align-items: center; height: 28px; padding: 0 12px;
  font-size: 13px; font-weight: 700; color: #1d1c1d; background: #fff;
  border: 1px solid rgba(29,28,29,.3); border-radius: 4px; }
.button.primary { color: #fff; background: #007a5a; border-color: #007a5a; }
.button.danger { color: #fff; background: #e01e5a; border-color: #e01e5a; }
.unsupported { display: inline-block; margin: 4px 0; padding: 4px 8px; font: 12px monospace;
  color: #b00020; border: 2px dashed #b00020; border-radius: 4px; }
`;

module.exports = {STYLE};
