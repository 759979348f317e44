// The overview: active incidents first, in the triage order the server
// sends (unattended first, then severity, phase and age), then the recently
// closed ones; filters live in the URL so a filtered view can be shared.
// Reloads on every change streamed by the server.
'use strict';

(() => {
  const {el} = FF;
  const FILTERS = ['q', 'status', 'severity', 'domain'];

  // The status and severity choices, from the vocabulary: each value, plus
  // "not closed" and the two most severe together.
  function fillChoices() {
    const {statuses, severities} = FF.VOCABULARY;
    const notClosed = FF.STATUSES.filter((s) => s !== 'closed').join(',');
    document.getElementById('filter-status').append(
      el('option', {value: notClosed, text: 'Not closed'}),
      ...statuses.map((t) => el('option', {value: t.word, text: t.label, title: t.meaning})));
    const [first, second] = severities;
    document.getElementById('filter-severity').append(
      ...severities.map((t) => el('option', {
        value: t.word, text: `${t.label} ${t.meaning.split(',')[0]}`, title: t.meaning,
      })),
      el('option', {value: `${first.word},${second.word}`,
        text: `${first.label} and ${second.label}`}));
  }

  function readFiltersFromUrl() {
    const params = new URLSearchParams(location.search);
    for (const name of FILTERS) {
      const input = document.getElementById(`filter-${name}`);
      const value = params.get(name) || '';
      if (input.tagName === 'SELECT' && value &&
          ![...input.options].some((o) => o.value === value)) {
        input.append(el('option', {value, text: value}));  // e.g. a domain not loaded yet
      }
      input.value = value;
    }
  }

  function currentQuery() {
    const params = new URLSearchParams();
    for (const name of FILTERS) {
      const value = document.getElementById(`filter-${name}`).value.trim();
      if (value) params.set(name, value);
    }
    return params;
  }

  // The duration shown: from when it occurred (or was opened) until the
  // server says it ended (fixed, or closed without a fix), else to now.
  function durationCell(incident) {
    const {from, until, ended} = incident.duration;
    if (until) {
      return el('span', {class: 'duration ended',
        title: `From when it occurred to when it was ${ended}`,
        text: `${ended} after ${FF.formatDuration(Date.parse(until) - Date.parse(from))}`});
    }
    return el('span', {class: 'duration', 'data-since': from, title: 'Since it occurred'});
  }

  function row(incident) {
    const commander = incident.roles.commander;
    return el('li', {'data-id': incident.id},
      el('a', {class: 'row', href: `/incidents/${incident.id}`},
        el('span', {class: 'sev-cell'}, FF.severityBadge(incident.severity)),
        el('span', {class: 'id', text: `#${incident.id}`}),
        el('span', {class: 'title', text: incident.title}),
        el('span', {class: 'status-cell'}, FF.statusBadge(incident.status)),
        el('span', {class: 'domain', text: incident.domain}),
        el('span', {class: commander ? 'commander' : 'commander none',
                    text: commander ? `IC ${commander}` : 'No commander'}),
        el('span', {class: 'updated'}, el('span', {class: 'prefix', text: 'Updated '}),
          FF.ago(incident.updated_at)),
        durationCell(incident)));
  }

  function head() {
    return el('li', {class: 'row list-head', 'aria-hidden': 'true'},
      el('span', {text: 'Severity'}), el('span', {text: 'ID'}), el('span', {text: 'Title'}),
      el('span', {text: 'Status'}), el('span', {text: 'Domain'}), el('span', {text: 'Commander'}),
      el('span', {text: 'Last update'}), el('span', {class: 'duration', text: 'Duration'}));
  }

  function fill(containerId, incidents, emptyText) {
    const container = document.getElementById(containerId);
    container.replaceChildren(incidents.length === 0
      ? el('p', {class: 'empty', text: emptyText})
      : el('ul', {class: 'list', 'aria-label': containerId === 'active'
          ? 'Active incidents' : 'Recently closed incidents'}, head(), incidents.map(row)));
  }

  function describeCounts(active) {
    if (active.length === 0) return 'No active incident matches.';
    const bySeverity = FF.SEVERITIES.map((s) => [s, active.filter((i) => i.severity === s).length])
      .filter(([, n]) => n > 0).map(([s, n]) => `${n} ${FF.SEVERITY_LABELS[s]}`);
    return `${active.length} active: ${bySeverity.join(', ')}.`;
  }

  let generation = 0;
  async function load() {
    const mine = ++generation;
    const query = currentQuery();
    const {status, body} = await FF.getJson(`/api/incidents?${query}`);
    if (mine !== generation || status !== 200) return;  // a newer load or an error shown by FF
    const active = body.incidents.filter((i) => i.status !== 'closed');
    const closed = body.incidents.filter((i) => i.status === 'closed');
    fill('active', active, 'No active incident matches these filters.');
    fill('closed', closed, 'No closed incident matches these filters.');
    document.getElementById('counts').textContent = describeCounts(active);
    FF.tickDurations();
  }

  async function loadDomains() {
    const {status, body} = await FF.getJson('/api/domains');
    if (status !== 200) return;
    const select = document.getElementById('filter-domain');
    const chosen = select.value;
    select.replaceChildren(el('option', {value: '', text: 'Any domain'}),
      ...body.domains.map((d) => el('option', {value: d.name, text: d.name})));
    select.value = chosen;
    const declare = document.getElementById('declare-domain');
    const picked = declare.value;
    declare.replaceChildren(el('option', {value: '', text: 'Choose a domain'}),
      ...body.domains.map((d) => el('option', {value: d.name,
        text: d.description ? `${d.name} — ${d.description}` : d.name})));
    declare.value = picked;
  }

  // The declare form: severities with their meanings; on success, the new
  // incident's page.
  function setUpDeclare() {
    document.getElementById('declare-severity').append(...FF.VOCABULARY.severities.map((t) =>
      el('option', {value: t.word, text: `${t.label} — ${t.meaning}`})));
    const form = document.getElementById('declare-form');
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const body = {page_oncall: form.elements.page_oncall.checked};
      for (const name of ['title', 'domain', 'severity', 'description']) {
        if (form.elements[name].value !== '') body[name] = form.elements[name].value;
      }
      const answer = await FF.submitting(form, () => FF.act('/api/incidents', body));
      if (answer) location.assign(`/incidents/${answer.incident.id}`);
    });
    FF.guardForms();
  }

  function onFilterChange() {
    const query = currentQuery().toString();
    history.replaceState(null, '', query ? `/?${query}` : '/');
    load();
  }

  fillChoices();
  setUpDeclare();
  readFiltersFromUrl();
  document.getElementById('filters').addEventListener('submit', (e) => e.preventDefault());
  for (const name of ['status', 'severity', 'domain']) {
    document.getElementById(`filter-${name}`).addEventListener('change', onFilterChange);
  }
  document.getElementById('filter-q').addEventListener('input', FF.debounce(onFilterChange, 200));

  const reload = FF.debounce(load, 150);
  FF.live(reload, () => { loadDomains(); load(); });
  loadDomains();
  load();
  // Retry on a slow timer while something is wrong, in case a change of
  // state was missed.
  setInterval(() => { if (!document.getElementById('banner').hidden) load(); }, 5000);
})();
