// One incident: header, time spent in each status, timeline (newest first),
// roles, links and every field. Reloads when the server streams a change to
// this incident.
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
    const since = incident.occurred_at || incident.created_at;
    document.getElementById('inc-meta').replaceChildren(
      FF.severityBadge(incident.severity), FF.statusBadge(incident.status),
      el('span', {}, 'Domain ', el('strong', {text: incident.domain})),
      el('span', {}, incident.closed_at ? 'Lasted ' : 'Ongoing for ',
        el('strong', {'data-since': since, 'data-until': incident.closed_at || undefined})),
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

  let seenEntries = null;
  function renderTimeline(entries) {
    const fresh = seenEntries === null ? new Set() :
      new Set(entries.filter((e) => !seenEntries.has(e.id)).map((e) => e.id));
    seenEntries = new Set(entries.map((e) => e.id));
    const items = [...entries].reverse().map((entry) => el('li',
      {class: fresh.has(entry.id) ? 'fresh' : undefined, 'data-kind': entry.kind},
      el('time', {datetime: entry.time, title: FF.formatTime(entry.time),
        text: new Date(entry.time).toLocaleTimeString(undefined, {hour: '2-digit',
          minute: '2-digit', second: '2-digit'})}),
      el('div', {},
        el('span', {class: 'kind', text: entry.kind}),
        el('span', {class: 'actor',
          text: entry.via ? `${entry.actor} via ${entry.via}` : entry.actor}),
        el('span', {class: 'text', text: entry.text}))));
    document.getElementById('timeline').replaceChildren(...items);
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
      field(links, known.get(kind) || kind, found.length === 0 ? null : found.map((link) =>
        isWebUrl(link.url) ? el('a', {href: link.url, rel: 'noopener noreferrer', target: '_blank',
          text: link.external_id || link.url}) : el('span', {text: link.external_id || link.url})));
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
    document.getElementById('loading').hidden = true;
    document.getElementById('content').hidden = false;
    FF.tickDurations();
  }

  const reload = FF.debounce(load, 100);
  FF.live((event) => { if (event.incident.id === id) reload(); }, load);
  load();
  setInterval(() => { if (!document.getElementById('banner').hidden) load(); }, 5000);
})();
