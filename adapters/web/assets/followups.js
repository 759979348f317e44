// The Follow-ups page: every open follow-up (or only the overdue ones), by
// owner — owners with overdue ones first, then by name, nobody's last — and
// within an owner overdue first, then by due date. Reloads when the server
// streams a change; the filter lives in the URL (?overdue=1).
'use strict';

(() => {
  const {el} = FF;
  // The API's pages are followed up to this many: a bound on one load.
  const MAX_PAGES = 20;

  async function fetchAll(overdueOnly) {
    const all = [];
    let token = '';
    for (let page = 0; page < MAX_PAGES; ++page) {
      const query = new URLSearchParams({status: 'open', page_size: '500'});
      if (overdueOnly) query.set('overdue', 'true');
      if (token) query.set('page_token', token);
      const {status, body} = await FF.getJson(`/api/followups?${query}`);
      if (status !== 200) return null;
      all.push(...body.follow_ups);
      token = body.next_page_token;
      if (!token) break;
    }
    return all;
  }

  // byOwner(list): [[owner, follow-ups]…] in the page's order.
  function byOwner(list) {
    const groups = new Map();
    for (const f of list) {
      if (!groups.has(f.owner)) groups.set(f.owner, []);
      groups.get(f.owner).push(f);
    }
    const dueKey = (f) => f.due_date || '9999-99-99';
    for (const items of groups.values()) {
      items.sort((a, b) => (b.overdue - a.overdue) || dueKey(a).localeCompare(dueKey(b)) ||
        a.id - b.id);
    }
    const overdue = (items) => items.filter((f) => f.overdue).length;
    return [...groups.entries()].sort(([a, x], [b, y]) => ((a === '') - (b === '')) ||
      ((overdue(y) > 0) - (overdue(x) > 0)) || a.localeCompare(b));
  }

  function item(f) {
    return el('li', {class: f.overdue ? 'followup overdue' : 'followup',
      'data-followup-id': String(f.id)},
    el('div', {class: 'fu-head'}, el('span', {class: 'id', text: f.ref}),
      el('span', {class: 'fu-title', text: f.title}), FF.followUpBadge(f)),
    el('span', {class: 'fu-facts'},
      el('a', {href: `/incidents/${f.incident_id}`, class: 'fu-incident',
        text: `Incident #${f.incident_id}`}),
      FF.followUpFacts(f)));
  }

  function group([owner, items]) {
    const overdue = items.filter((f) => f.overdue).length;
    return el('section', {class: 'panel card owner-group', 'data-owner': owner},
      el('h2', {}, owner || 'Nobody', el('span', {class: 'count',
        text: ` ${items.length} open` + (overdue ? `, ${overdue} overdue` : '')})),
      el('ul', {class: 'followups'}, items.map(item)));
  }

  const checkbox = document.getElementById('overdue-only');
  let generation = 0;
  async function load() {
    const mine = ++generation;
    const list = await fetchAll(checkbox.checked);
    if (mine !== generation || list === null) return;
    document.getElementById('loading').hidden = list.length > 0;
    document.getElementById('loading').textContent =
      checkbox.checked ? 'No overdue follow-ups.' : 'No open follow-ups.';
    document.getElementById('owners').replaceChildren(...byOwner(list).map(group));
  }

  checkbox.checked = new URLSearchParams(location.search).get('overdue') === '1';
  checkbox.addEventListener('change', () => {
    history.replaceState(null, '', checkbox.checked ? '?overdue=1' : location.pathname);
    load();
  });
  const reload = FF.debounce(load, 100);
  FF.live((event) => { if (event.type.startsWith('followup.')) reload(); }, load);
  load();
  setInterval(() => { if (!document.getElementById('banner').hidden) load(); }, 5000);
})();
