// Shared by every page: fetching JSON, the live event stream, the banner that
// says when firefighterd (or this dashboard's server) is unreachable, and
// formatting. No framework, no build step: the process serves this file as is.
'use strict';

const FF = (() => {
  // The vocabulary — every status, severity, close reason, role and
  // follow-up status as {word, label, meaning}, in order — is embedded in
  // each page by the server, which owns the words; the endpoints answer
  // with the words.
  const VOCABULARY = JSON.parse(document.getElementById('vocabulary').textContent);
  const byWord = (terms, key) => Object.fromEntries(terms.map((t) => [t.word, t[key]]));
  const STATUS_LABELS = byWord(VOCABULARY.statuses, 'label');
  const STATUSES = VOCABULARY.statuses.map((t) => t.word);
  const SEVERITY_LABELS = byWord(VOCABULARY.severities, 'label');
  const SEVERITY_TITLES = byWord(VOCABULARY.severities, 'meaning');
  const SEVERITIES = VOCABULARY.severities.map((t) => t.word);
  const CLOSE_REASON_LABELS = byWord(VOCABULARY.close_reasons, 'label');
  // Which phase each status is in (responding, resolved, closed): the
  // status chips are coloured by it.
  const STATUS_PHASES = byWord(VOCABULARY.statuses, 'phase');

  // Difference between the server's clock and ours, so durations agree with
  // the server even when this machine's clock is off.
  let clockSkewMs = 0;

  // el('span', {class: 'x', text: 'hi'}, child…): a small DOM builder that
  // only ever sets text, never HTML, so stored text cannot inject markup.
  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'text') node.textContent = value;
      else if (key === 'class') node.className = value;
      else node.setAttribute(key, value === true ? '' : value);
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined) {
        node.append(child instanceof Node ? child : String(child));
      }
    }
    return node;
  }

  function severityBadge(severity) {
    const label = SEVERITY_LABELS[severity] || severity;
    return el('span', {
      class: `sev sev-${severity}`, text: label,
      title: `${label}: ${SEVERITY_TITLES[severity] || ''}`,
    });
  }

  // The chip always says the status in words; its colour (by phase) only
  // repeats what the word says.
  function statusBadge(status) {
    const phase = STATUS_PHASES[status] || 'responding';
    return el('span', {class: `status status-${status} phase-${phase}`,
      text: STATUS_LABELS[status] || status});
  }

  // A follow-up's status chip: open (or overdue) reads as still to do, done
  // as resolved, cancelled as closed.
  const FOLLOW_UP_STATUS_LABELS = byWord(VOCABULARY.follow_up_statuses, 'label');
  const FOLLOW_UP_PHASES = {open: 'responding', done: 'resolved', cancelled: 'closed'};
  function followUpBadge(followUp) {
    const label = followUp.overdue ? 'Overdue' :
      (FOLLOW_UP_STATUS_LABELS[followUp.status] || followUp.status);
    return el('span', {class: `status fu-status-${followUp.overdue ? 'overdue' : followUp.status}` +
      ` phase-${FOLLOW_UP_PHASES[followUp.status] || 'closed'}`, text: label});
  }

  // followUpFacts(f): owner, due date (marked when overdue) and the tracker
  // issue as a link, for a follow-up's line.
  function followUpFacts(followUp) {
    const tracker = followUp.tracker_key && (/^https?:\/\//i.test(followUp.tracker_url || '') ?
      el('a', {href: followUp.tracker_url, rel: 'noopener noreferrer', target: '_blank',
        class: 'fu-tracker', text: followUp.tracker_key}) :
      el('span', {class: 'fu-tracker', text: followUp.tracker_key}));
    return el('span', {class: 'fu-facts'},
      el('span', {class: 'fu-owner', text: followUp.owner || 'No owner'}),
      el('span', {class: followUp.overdue ? 'fu-due overdue' : 'fu-due',
        text: followUp.due_date ? `Due ${followUp.due_date}` : 'No due date'}),
      tracker || null);
  }

  function now() { return Date.now() + clockSkewMs; }

  // "45s", "12m 05s", "3h 07m", "2d 4h".
  function formatDuration(ms) {
    let s = Math.max(0, Math.floor(ms / 1000));
    const d = Math.floor(s / 86400); s -= d * 86400;
    const h = Math.floor(s / 3600); s -= h * 3600;
    const m = Math.floor(s / 60); s -= m * 60;
    const pad = (n) => String(n).padStart(2, '0');
    if (d > 0) return `${d}d ${h}h`;
    if (h > 0) return `${h}h ${pad(m)}m`;
    if (m > 0) return `${m}m ${pad(s)}s`;
    return `${s}s`;
  }

  // How long ago, for a "last update": "just now", "12 min ago",
  // "3 h ago", "2 d ago".
  function formatAgo(ms) {
    const minutes = Math.floor(Math.max(0, ms) / 60000);
    if (minutes < 1) return 'just now';
    if (minutes < 60) return `${minutes} min ago`;
    if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h ago`;
    return `${Math.floor(minutes / 1440)} d ago`;
  }

  // ago(iso): a <time> saying how long ago `iso` was (kept current by
  // tickDurations), with the date and time on hover.
  function ago(iso) {
    return el('time', {datetime: iso, title: formatTime(iso), 'data-ago': iso,
      text: formatAgo(now() - Date.parse(iso))});
  }

  // The local calendar day of `iso`, as a key ("2025-3-3") and as a heading
  // ("Mon 3 Mar 2025" in en-GB).
  function dayKey(iso) {
    const t = new Date(iso);
    return `${t.getFullYear()}-${t.getMonth() + 1}-${t.getDate()}`;
  }
  function formatDay(iso) {
    return new Date(iso).toLocaleDateString(undefined, {
      weekday: 'short', day: 'numeric', month: 'short', year: 'numeric',
    });
  }

  function formatTime(iso) {
    if (!iso) return '';
    const t = new Date(iso);
    return t.toLocaleString(undefined, {
      year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit',
      second: '2-digit',
    });
  }

  // Live durations: every element with data-since (and optional data-until)
  // shows the time between them, and every data-ago element how long ago it
  // was, refreshed each second.
  function tickDurations() {
    for (const node of document.querySelectorAll('[data-since]')) {
      const since = Date.parse(node.dataset.since);
      const until = node.dataset.until ? Date.parse(node.dataset.until) : now();
      const extra = Number(node.dataset.extraMs || 0);
      node.textContent = formatDuration(until - since + extra);
    }
    for (const node of document.querySelectorAll('[data-ago]')) {
      node.textContent = formatAgo(now() - Date.parse(node.dataset.ago));
    }
  }
  setInterval(tickDurations, 1000);

  // The banner shows whichever of the two links is broken: browser → this
  // dashboard's server, or dashboard → firefighterd.
  const problems = {web: false, core: false};
  function setProblem(kind, present) {
    problems[kind] = present;
    const banner = document.getElementById('banner');
    const live = document.getElementById('live');
    let text = '';
    if (problems.web) {
      text = 'The dashboard server is unreachable. Showing the last known state; reconnecting…';
    } else if (problems.core) {
      text = 'Cannot reach firefighterd. Showing the last known state; retrying…';
    }
    if (banner) {
      banner.textContent = text;
      banner.hidden = text === '';
    }
    if (live) {
      live.dataset.state = text ? 'down' : 'live';
      live.querySelector('.label').textContent = text ? 'Disconnected' : 'Live';
    }
  }

  // getJson fetches a JSON endpoint. Resolves with {status, body}; network
  // failures and 503 (firefighterd unreachable) raise the banner.
  async function getJson(path) {
    let response;
    try {
      response = await fetch(path, {headers: {Accept: 'application/json'}, cache: 'no-store'});
    } catch (e) {
      setProblem('web', true);
      return {status: 0, body: null};
    }
    setProblem('web', false);
    const body = await response.json().catch(() => null);
    if (response.status === 503) setProblem('core', true);
    else if (response.ok) setProblem('core', false);
    if (body && body.server_time) clockSkewMs = Date.parse(body.server_time) - Date.now();
    return {status: response.status, body};
  }

  // live(onChange, onReconnect): follows /api/events. onChange(event) runs
  // for each incident change; onReconnect() when firefighterd is reachable
  // again, since changes made while it was not were never streamed.
  function live(onChange, onReconnect) {
    let source = null;
    let coreDown = false;
    let webDown = false;
    function connect() {
      source = new EventSource('/api/events');
      source.addEventListener('open', () => {
        if (webDown) {
          webDown = false;
          setProblem('web', false);
          onReconnect();
        } else if (!coreDown) {
          setProblem('core', false);
        }
      });
      source.addEventListener('error', () => {
        webDown = true;
        setProblem('web', true);
        // The browser retries by itself unless the server answered with an
        // error; then start over.
        if (source.readyState === EventSource.CLOSED) setTimeout(connect, 2000);
      });
      source.addEventListener('core', (message) => {
        const connected = JSON.parse(message.data).connected;
        setProblem('core', !connected);
        if (connected && coreDown) onReconnect();
        coreDown = !connected;
      });
      source.addEventListener('incident', (message) => onChange(JSON.parse(message.data)));
    }
    connect();
  }

  // debounce(fn, ms): many changes in a burst cause one reload.
  function debounce(fn, ms) {
    let timer = null;
    return () => {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    };
  }

  // The signed-in person and their anti-CSRF token (GET /api/session),
  // fetched once per page; {can_act: false, why} without a person.
  let sessionPromise = null;
  function session(refresh = false) {
    if (!sessionPromise || refresh) {
      sessionPromise = getJson('/api/session').then(({status, body}) => (status === 200 ? body :
        {can_act: false, why: (body && body.error) || 'The dashboard cannot say who you are.'}));
    }
    return sessionPromise;
  }

  // act(path, body): POSTs a change as the signed-in person. Resolves with
  // {status, body}; a token from before a restart of the dashboard is
  // refreshed once.
  async function act(path, body, retried = false) {
    const {csrf_token: token} = await session();
    let response;
    try {
      response = await fetch(path, {method: 'POST', cache: 'no-store', body: JSON.stringify(body),
        headers: {'Content-Type': 'application/json', Accept: 'application/json',
          'X-CSRF-Token': token || ''}});
    } catch (e) {
      setProblem('web', true);
      return {status: 0, body: {error: 'The dashboard server is unreachable.', field: null}};
    }
    const answer = await response.json().catch(() => ({error: `HTTP ${response.status}`}));
    if (response.status === 403 && answer.reason === 'csrf' && !retried) {
      await session(true);
      return act(path, body, true);
    }
    return {status: response.status, body: answer};
  }

  // showErrors(form, body): clears the form's messages, then shows `body`'s
  // error beside its field (an element [data-error-for=field]) or, when it
  // names none the form has, at the form's top (.form-error).
  function showErrors(form, body) {
    for (const node of form.querySelectorAll('[data-error-for], .form-error')) {
      node.textContent = '';
      node.hidden = true;
    }
    for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
    if (!body) return;
    const beside = body.field && form.querySelector(`[data-error-for="${body.field}"]`);
    const target = beside || form.querySelector('.form-error');
    target.textContent = body.error;
    target.hidden = false;
    const input = beside && form.elements[body.field];
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    }
  }

  // guardForms(): without a signed-in person, every form.action is disabled
  // and every .why says why; resolves with the session.
  async function guardForms() {
    const me = await session();
    for (const form of document.querySelectorAll('form.action')) {
      form.querySelector('fieldset').disabled = !me.can_act;
    }
    for (const why of document.querySelectorAll('.why')) {
      why.textContent = me.can_act ? '' : me.why;
      why.hidden = me.can_act;
    }
    const who = document.getElementById('who');
    if (who) who.textContent = me.can_act ? `Signed in as ${me.person}` : 'Read only';
    return me;
  }

  // submitting(form, send): runs send() with the form's button disabled,
  // then shows its error or clears the messages.
  async function submitting(form, send) {
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      const {status, body} = await send();
      showErrors(form, status >= 200 && status < 300 ? null : body);
      return status >= 200 && status < 300 ? body : null;
    } finally {
      button.disabled = false;
    }
  }

  // field(id, name, label, control): a labelled control with the place its
  // error is shown, for forms built by the pages.
  function field(id, name, label, control) {
    control.id = id;
    control.name = name;
    control.setAttribute('aria-describedby', `${id}-error`);
    return [el('label', {for: id, text: label}), control,
      el('span', {class: 'field-error', id: `${id}-error`, 'data-error-for': name, hidden: true})];
  }

  return {
    session, act, field, showErrors, guardForms, submitting,
    VOCABULARY, STATUS_LABELS, STATUSES, SEVERITIES, SEVERITY_LABELS, SEVERITY_TITLES,
    CLOSE_REASON_LABELS, STATUS_PHASES, FOLLOW_UP_STATUS_LABELS, followUpBadge, followUpFacts,
    el, severityBadge, statusBadge, ago, dayKey, formatDay,
    formatAgo, formatDuration, formatTime, tickDurations, getJson, live, debounce, now, setProblem,
  };
})();
