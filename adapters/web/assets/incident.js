// One incident: header, time spent in each status, follow-ups
// (incident_followups.js), timeline (newest first, by day, delivery notices
// folded), roles, links and every field. Reloads when the server streams a
// change to this incident.
'use strict';

// isWebUrl is true for http(s) URLs only: a link whose url is something else
// (PagerDuty's routing-key fingerprint, a javascript: URL) is shown as text.
function isWebUrl(url) {
  return typeof url === 'string' && /^https?:\/\//i.test(url);
}

(() => {
  const {el} = FF;
  const id = Number(location.pathname.split('/').pop());

  // Links the procedure creates, in the order responders look for them; any
  // other kind is listed after these under its own name.
  const LINKS = [
    ['slack_channel', 'Slack channel'], ['call', 'Incident call'], ['pagerduty', 'PagerDuty'],
    ['oncall', 'On-call'], ['datadog_notebook', 'Datadog'], ['datadog_event', 'Datadog event'],
    ['statuspage', 'Status page'], ['postmortem', 'Postmortem'],
    ['postmortem_meeting', 'Postmortem meeting'],
  ];
  const ALWAYS_SHOWN = new Set(['slack_channel', 'pagerduty', 'datadog_notebook', 'statuspage',
    'postmortem']);

  function field(list, name, value) {
    const empty = value === null || value === undefined || value === '';
    list.append(el('dt', {text: name}),
      el('dd', {class: empty ? 'none' : undefined}, empty ? '—' : value));
  }

  function renderHeader(incident) {
    document.title = `#${incident.id} ${incident.title} · FireFighter`;
    document.getElementById('inc-id').textContent = `#${incident.id}`;
    document.getElementById('inc-title').textContent = incident.title;
    const {from, until, ended} = incident.duration;
    document.getElementById('inc-meta').replaceChildren(
      FF.severityBadge(incident.severity), FF.statusBadge(incident.status),
      el('span', {}, 'Domain ', el('strong', {text: incident.domain})),
      el('span', {class: 'lasted'}, until ? `${ended === 'fixed' ? 'Fixed' : 'Closed'} after ` :
        'Ongoing for ', el('strong', {'data-since': from, 'data-until': until || undefined})),
      el('span', {}, 'Commander ',
        el('strong', {text: incident.roles.commander || 'nobody yet'})));
  }

  // The workflow as six steps, each with the time spent in it; the current
  // one keeps counting.
  function renderSteps(incident, timeInStatus) {
    const spent = Object.fromEntries(timeInStatus.map((t) => [t.status, t]));
    const current = FF.STATUSES.indexOf(incident.status);
    document.getElementById('steps').replaceChildren(...FF.STATUSES.map((status, index) => {
      const t = spent[status];
      const state = status === incident.status ? 'current' : (t || index < current ? 'done' : '');
      let time = el('span', {class: 'spent', text: status === 'closed' ? '' : '—'});
      if (t && t.since) {
        time = el('span', {class: 'spent', 'data-since': t.since,
          'data-extra-ms': String(t.seconds * 1000)});
      } else if (t) {
        time = el('span', {class: 'spent', text: FF.formatDuration(t.seconds * 1000)});
      }
      if (status === 'closed' && incident.closed_at) {
        time = el('span', {class: 'spent', text: FF.formatTime(incident.closed_at)});
      }
      return el('li', {class: state, 'aria-current': state === 'current' ? 'step' : undefined},
        el('div', {class: 'name', text: FF.STATUS_LABELS[status]}), time);
    }));
  }

  // lines(entries): the timeline's lines, newest first. Each entry is a
  // line, except that consecutive delivery notices (entry.notice) of one
  // day share a line.
  function lines(entries) {
    const out = [];
    for (const entry of [...entries].reverse()) {
      const last = out[out.length - 1];
      if (entry.notice && last && last.notices &&
          FF.dayKey(last.entries[0].time) === FF.dayKey(entry.time)) {
        last.entries.push(entry);
      } else {
        out.push({notices: entry.notice, entries: [entry]});
      }
    }
    return out;
  }

  function clock(entry) {
    return el('time', {datetime: entry.time, title: FF.formatTime(entry.time),
      text: new Date(entry.time).toLocaleTimeString(undefined, {hour: '2-digit',
        minute: '2-digit', second: '2-digit'})});
  }

  function entryBody(entry) {
    return el('div', {},
      el('span', {class: 'kind', text: entry.kind}),
      el('span', {class: 'actor',
        text: entry.via ? `${entry.actor} via ${entry.via}` : entry.actor}),
      el('span', {class: 'text', text: entry.text}));
  }

  // A run of delivery notices: one line saying how many and from which
  // notifiers, which opens to show them.
  function noticesLine(entries) {
    const notifiers = [...new Set(entries.map((e) => e.actor))].join(', ');
    return el('details', {},
      el('summary', {text: `${entries.length} delivery notices (${notifiers})`}),
      el('ol', {}, entries.map((entry) => el('li', {'data-kind': entry.kind}, clock(entry),
        entryBody(entry)))));
  }

  // Dates are shown as day headings unless every entry is from today: a
  // time alone would make a five-day incident read as shuffled.
  let seenEntries = null;
  function renderTimeline(entries) {
    const fresh = (line) => seenEntries !== null &&
      line.entries.some((e) => !seenEntries.has(e.id));
    const today = FF.dayKey(new Date(FF.now()).toISOString());
    const dated = entries.some((e) => FF.dayKey(e.time) !== today);
    const items = [];
    let day = null;
    for (const line of lines(entries)) {
      const first = line.entries[0];
      if (dated && FF.dayKey(first.time) !== day) {
        day = FF.dayKey(first.time);
        items.push(el('li', {class: 'day'}, el('h3', {},
          el('time', {datetime: first.time.slice(0, 10), text: FF.formatDay(first.time)}))));
      }
      const folded = line.notices && line.entries.length > 1;
      items.push(el('li', {class: [fresh(line) ? 'fresh' : '', line.notices ? 'notice' : '']
        .join(' ').trim() || undefined, 'data-kind': folded ? 'notices' : first.kind},
      clock(first), folded ? noticesLine(line.entries) : entryBody(first)));
    }
    seenEntries = new Set(entries.map((e) => e.id));
    document.getElementById('timeline').replaceChildren(...items);
  }

  // A link shows its name when the server knows one (a Slack channel's
  // "#inc-12-…"), else its id or address; the id stays on hover.
  function linkElement(link) {
    const text = link.name || link.external_id || link.url;
    const title = link.name && link.external_id ? link.external_id : undefined;
    return isWebUrl(link.url) ? el('a', {href: link.url, rel: 'noopener noreferrer',
      target: '_blank', text, title}) : el('span', {text, title});
  }

  function renderSide(incident) {
    const roles = document.getElementById('roles');
    roles.replaceChildren();
    for (const role of FF.VOCABULARY.roles) field(roles, role.label, incident.roles[role.field]);
    field(roles, 'Reporter', incident.reporter);
    field(roles, 'Participants', incident.participants.join(', '));

    const links = document.getElementById('links');
    links.replaceChildren();
    const known = new Map(LINKS);
    const byKind = new Map();
    for (const link of incident.links) {
      if (!byKind.has(link.kind)) byKind.set(link.kind, []);
      byKind.get(link.kind).push(link);
    }
    const kinds = [...LINKS.map(([k]) => k).filter((k) => ALWAYS_SHOWN.has(k) || byKind.has(k)),
      ...[...byKind.keys()].filter((k) => !known.has(k))];
    for (const kind of kinds) {
      const found = byKind.get(kind) || [];
      field(links, known.get(kind) || kind, found.length === 0 ? null : found.map(linkElement));
    }

    const details = document.getElementById('details');
    details.replaceChildren();
    field(details, 'Occurred', FF.formatTime(incident.occurred_at));
    field(details, 'Opened', FF.formatTime(incident.created_at));
    // When it reached each status after open: the "<word>_at" fields.
    for (const status of FF.VOCABULARY.statuses.slice(1)) {
      field(details, status.label, FF.formatTime(incident[`${status.word}_at`]));
    }
    field(details, 'Close reason',
      FF.CLOSE_REASON_LABELS[incident.close_reason] || incident.close_reason);
    field(details, 'Last update', FF.formatTime(incident.updated_at));
    field(details, 'On-call paged', incident.trigger_oncall ? 'Yes' : 'No');
    field(details, 'Dedup key', incident.dedup_key);
    field(details, 'Version', String(incident.version));

    const description = document.getElementById('description');
    description.textContent = incident.description || 'No description.';
    description.classList.toggle('none', !incident.description);
  }

  // The action forms. Each is refilled from the incident as it stands,
  // unless someone is typing in it (data-dirty).
  let current = null;  // the incident last shown
  let shown = null;    // the incident the update form was filled from
  let rebased = null;  // after a refusal for a newer version: that version
  let me = {can_act: false};
  const TEXTS = [['title', 'Title', 'input'], ['description', 'Description', 'textarea'],
    ...FF.VOCABULARY.roles.map((role) => [role.field, role.label, 'input']),
    ['message', 'Message (why; needed to go back)', 'textarea']];

  function buildActionForms() {
    const update = document.getElementById('update-fields');
    update.append(...FF.field('update-status', 'status', 'Status', el('select')),
      ...FF.field('update-severity', 'severity', 'Severity', el('select', {},
        FF.VOCABULARY.severities.map((t) => el('option', {value: t.word,
          text: `${t.label} — ${t.meaning}`})))),
      ...TEXTS.flatMap(([name, label, tag]) => FF.field(`update-${name}`, name, label,
        el(tag, tag === 'textarea' ? {rows: 2} : {autocomplete: 'off'}))));
    document.getElementById('close-fields').append(
      ...FF.field('close-reason', 'reason', 'Reason', el('select', {},
        FF.VOCABULARY.close_reasons.map((t) => el('option', {value: t.word, text: t.label})))),
      ...FF.field('close-message', 'message', 'Message', el('textarea', {rows: 2})));
    for (const form of document.querySelectorAll('form.action')) {
      form.addEventListener('input', () => { form.dataset.dirty = '1'; });
    }
  }

  function fillActions(incident) {
    current = incident;
    const closed = incident.status === 'closed';
    document.querySelector('.acts').hidden = closed;
    document.getElementById('command-form').hidden = !me.can_act ||
      incident.roles.commander === me.person;
    const form = document.getElementById('update-form');
    if (form.dataset.dirty) return;
    shown = incident;
    rebased = null;
    const needing = new Set(incident.next_statuses_needing_message);
    form.elements.status.replaceChildren(
      el('option', {value: '', text: `Keep ${FF.STATUS_LABELS[incident.status]}`}),
      ...incident.allowed_next_statuses.filter((s) => s !== 'closed').map((s) =>
        el('option', {value: s, text: FF.STATUS_LABELS[s] +
          (needing.has(s) ? ' (needs a message)' : '')})));
    form.elements.severity.value = incident.severity;
    form.elements.title.value = incident.title;
    form.elements.description.value = incident.description;
    for (const role of FF.VOCABULARY.roles) {
      form.elements[role.field].value = incident.roles[role.field];
    }
    form.elements.message.value = '';
  }

  // changes(form): the update's body, only what the person changed from the
  // incident the form showed (`shown`), sent against that version: if the
  // incident moved on meanwhile the core refuses it, and a second press,
  // made knowing that, applies the same changes over the newer version.
  function changes(form) {
    const body = {expected_version: rebased ?? shown.version};
    if (form.elements.status.value) body.status = form.elements.status.value;
    if (form.elements.severity.value !== shown.severity) body.severity = form.elements.severity.value;
    for (const [name] of TEXTS) {
      const was = name === 'message' ? '' : (shown[name] ?? shown.roles[name]);
      if (form.elements[name].value !== was) body[name] = form.elements[name].value;
    }
    return body;
  }

  // on(formId, send): submits the form with send(form); on success, clears
  // it and shows the answer at once (every page also gets it live).
  function on(formId, send) {
    const form = document.getElementById(formId);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const answer = await FF.submitting(form, () => send(form));
      if (!answer) return;
      delete form.dataset.dirty;
      if (formId !== 'update-form') form.reset();
      if (answer.incident) fillActions(answer.incident);
      load();
    });
  }

  async function setUpActions() {
    buildActionForms();
    const path = (verb) => `/api/incidents/${id}/${verb}`;
    on('command-form', () => FF.act(path('take-command'), {expected_version: current.version}));
    on('note-form', (form) => FF.act(path('notes'), {text: form.elements.text.value}));
    on('update-form', async (form) => {
      const answer = await FF.act(path('update'), changes(form));
      if (answer.status === 409 && answer.body.field === 'expected_version') {
        rebased = current.version;
        answer.body.error = 'Someone changed this incident since this form was filled in ' +
          '(see above). Press Update again to apply your changes over theirs.';
      }
      return answer;
    });
    on('close-form', (form) => FF.act(path('close'), {reason: form.elements.reason.value,
      message: form.elements.message.value, expected_version: current.version}));
    me = await FF.guardForms();
    if (current) fillActions(current);
    FollowUpsPanel.setUp(id, load);
  }

  let generation = 0;
  async function load() {
    const mine = ++generation;
    const {status, body} = await FF.getJson(`/api/incidents/${id}`);
    if (mine !== generation) return;
    if (status === 404) {
      location.reload();  // deleted meanwhile: the server answers with its 404 page
      return;
    }
    if (status !== 200) return;
    renderHeader(body.incident);
    renderSteps(body.incident, body.time_in_status);
    renderTimeline(body.timeline);
    renderSide(body.incident);
    FollowUpsPanel.render(body.follow_ups);
    fillActions(body.incident);
    document.getElementById('loading').hidden = true;
    document.getElementById('content').hidden = false;
    FF.tickDurations();
  }

  setUpActions();
  const reload = FF.debounce(load, 100);
  FF.live((event) => { if (event.incident.id === id) reload(); }, load);
  load();
  setInterval(() => { if (!document.getElementById('banner').hidden) load(); }, 5000);
})();
